/**
 * A small HTTP client for reading photos by range: node:http(s) with keep-alive, a redirect limit,
 * a timeout per request (until the headers arrive, and between body chunks), retries with backoff
 * for 429 and 503 that honour Retry-After, and a cap on requests in flight per host beside the
 * scan's global concurrency. Bodies are pulled, never pushed: nothing is read that the caller did
 * not ask for, so a server that ignores Range costs no more than the bytes triage wanted. A
 * response and its body reader are http-response.ts.
 */
import type { Agent, IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { abortedError, classifyNetworkError, header, HttpResponse, nodeHttp, nodeHttps, onAbort, seconds, statusText, type Trace } from "./http-response.js";
import { SourceError, type InputClock } from "./types.js";
import { VERSION } from "../version.js";


/** Says who is asking, so that a site's operator can tell exifhunt's requests apart and write. */
export const USER_AGENT = `exifhunt/${VERSION} (+https://github.com/exifhunt)`;

export interface HttpOptions {
  /** Per request: the longest wait for the response headers, and between two body chunks. */
  timeoutMs: number;
  /** Redirects followed per request before giving up. */
  maxRedirects: number;
  /** Retries of a 429 (Too Many Requests) or 503 (Service Unavailable) answer. */
  retries: number;
  /** First wait before a retry when the server sends no Retry-After; doubles each retry. */
  backoffMs: number;
  /** The longest wait for one retry: a server asking for longer gets an error record instead. */
  maxRetryDelayMs: number;
  /** Requests in flight to one host at once. */
  perHost: number;
  userAgent: string;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  timeoutMs: 30_000,
  maxRedirects: 5,
  retries: 3,
  backoffMs: 1_000,
  maxRetryDelayMs: 30_000,
  perHost: 4,
  userAgent: USER_AGENT,
};

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const RETRIED: ReadonlySet<number> = new Set([429, 503]);

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Counts requests in flight per host and makes callers wait for a free slot. */
class HostGate {
  readonly #limit: number;
  readonly #hosts = new Map<string, { active: number; waiting: (() => void)[]; notBefore: number }>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  #host(host: string) {
    let state = this.#hosts.get(host);
    if (state === undefined) {
      state = { active: 0, waiting: [], notBefore: 0 };
      this.#hosts.set(host, state);
    }
    return state;
  }

  /**
   * Waits for a slot (and for any pause a 429 asked for); returns the function that frees it. A
   * caller whose signal aborts while waiting leaves the queue and takes no slot.
   */
  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    const state = this.#host(host);
    if (state.active >= this.#limit) {
      await new Promise<void>((resolve, reject) => {
        const granted = (): void => {
          stop();
          resolve();
        };
        const stop = onAbort(signal, () => {
          const at = state.waiting.indexOf(granted);
          if (at !== -1) state.waiting.splice(at, 1);
          reject(signal?.reason as Error);
        });
        state.waiting.push(granted);
      });
    } else {
      state.active++;
    }
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const next = state.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next !== undefined) next();
      else {
        state.active--;
        if (state.active === 0 && state.notBefore <= Date.now()) this.#hosts.delete(host);
      }
    };
    const pause = state.notBefore - Date.now();
    if (pause > 0) {
      try {
        await sleep(pause, undefined, signal === undefined ? {} : { signal });
      } catch (error: unknown) {
        release();
        throw error;
      }
    }
    return release;
  }

  /** A server asked to slow down: no new request to it before `until`. */
  pause(host: string, until: number): void {
    const state = this.#host(host);
    state.notBefore = Math.max(state.notBefore, until);
  }
}

export interface RequestOptions {
  /** Byte range asked for: `end` inclusive, open-ended when absent. */
  range?: { start: number; end?: number };
  /** Extra headers (If-Range …). */
  headers?: Record<string, string>;
  trace: Trace;
  /**
   * Gives the request up: waiting for a slot, for the headers or for the body, it fails at once
   * with abortedError, its connection closed and its host slot freed.
   */
  signal?: AbortSignal;
  /** The input's time limit: stopped while the request waits for a host slot. */
  clock?: InputClock;
}

/** The HTTP client of one scan: its agents (keep-alive connections) and its per-host gate. */
export class HttpClient {
  readonly options: HttpOptions;
  readonly #gate: HostGate;
  /** Keep-alive agents, made with the first request of each protocol. */
  #httpAgent: Agent | undefined;
  #httpsAgent: Agent | undefined;

  constructor(options: Partial<HttpOptions> = {}) {
    this.options = { ...DEFAULT_HTTP_OPTIONS, ...options };
    this.#gate = new HostGate(this.options.perHost);
  }

  /**
   * GETs a URL, following redirects and retrying 429 and 503 as the options say. Resolves once the
   * final response's headers are in, whatever its status; its body is read through the result.
   */
  async get(start: URL, request: RequestOptions): Promise<HttpResponse> {
    const { trace } = request;
    const seen = new Set<string>([start.href]);
    let url = start;
    const { signal } = request;
    for (let retry = 0; ; ) {
      trace.url = url.href;
      let release: () => void;
      const resume = request.clock?.pause();
      try {
        release = await this.#gate.acquire(url.host, signal);
      } catch (error: unknown) {
        throw signal?.aborted === true ? abortedError(signal, url) : classifyNetworkError(error, url);
      } finally {
        resume?.();
      }
      let response: IncomingMessage;
      try {
        trace.requests++;
        response = await this.#send(url, request);
      } catch (error: unknown) {
        release();
        throw classifyNetworkError(error, url);
      }
      const status = response.statusCode ?? 0;
      const location = header(response.headers, "location");
      if (REDIRECTS.has(status) && location !== null) {
        response.destroy();
        release();
        url = this.#redirect(url, location, status, trace, seen);
        continue;
      }
      if (RETRIED.has(status) && retry < this.options.retries) {
        const asked = retryAfterMs(header(response.headers, "retry-after") ?? undefined);
        const wait = asked ?? this.options.backoffMs * 2 ** retry;
        response.destroy();
        if (wait > this.options.maxRetryDelayMs) {
          release();
          throw new SourceError(
            "http-status",
            `${statusText(response)} from ${url.href}: the server asked to retry after ${seconds(wait)}, longer than the ${seconds(this.options.maxRetryDelayMs)} exifhunt waits`,
          );
        }
        // Every request to this host waits, not only this one: the server asked the client.
        this.#gate.pause(url.host, Date.now() + wait);
        release();
        retry++;
        continue;
      }
      if (RETRIED.has(status) && retry > 0) {
        const text = statusText(response);
        response.destroy();
        release();
        throw new SourceError("http-status", `${text} from ${url.href}, still after ${String(retry)} ${retry === 1 ? "retry" : "retries"}`);
      }
      if (signal?.aborted === true) {
        response.destroy();
        release();
        throw abortedError(signal, url);
      }
      return new HttpResponse(response, url, trace, release, this.options.timeoutMs, signal);
    }
  }

  #redirect(from: URL, location: string, status: number, trace: Trace, seen: Set<string>): URL {
    let next: URL;
    try {
      next = new URL(location, from);
    } catch (error: unknown) {
      throw new SourceError("bad-url", `${from.href} redirected (${String(status)}) to an invalid URL: ${location}`, { cause: error });
    }
    trace.redirects.push({ status, location: next.href });
    if (seen.has(next.href)) {
      throw new SourceError("too-many-redirects", `redirect loop: ${[...seen, next.href].join(" -> ")}`);
    }
    if (trace.redirects.length > this.options.maxRedirects) {
      throw new SourceError("too-many-redirects", `more than ${String(this.options.maxRedirects)} redirects (last to ${next.href})`);
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new SourceError("bad-url", `${from.href} redirected to ${next.href}: only http and https are followed`);
    }
    seen.add(next.href);
    return next;
  }

  #send(url: URL, request: RequestOptions): Promise<IncomingMessage> {
    const headers: Record<string, string> = {
      "user-agent": this.options.userAgent,
      accept: "image/*, */*;q=0.8",
      // Ranges of an encoded body are ranges of the encoding: ask for the bytes as stored.
      "accept-encoding": "identity",
      ...request.headers,
    };
    if (request.range !== undefined) {
      headers["range"] = `bytes=${String(request.range.start)}-${request.range.end === undefined ? "" : String(request.range.end)}`;
    }
    const secure = url.protocol === "https:";
    const agent = secure ? (this.#httpsAgent ??= new (nodeHttps().Agent)({ keepAlive: true })) : (this.#httpAgent ??= new (nodeHttp().Agent)({ keepAlive: true }));
    const send = secure ? nodeHttps().request : nodeHttp().request;
    const { signal } = request;
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortedError(signal, url));
        return;
      }
      const outgoing = send(url, { method: "GET", headers, agent });
      const timer = setTimeout(() => {
        outgoing.destroy(new SourceError("timeout", `no response from ${url.host} within ${seconds(this.options.timeoutMs)}`));
      }, this.options.timeoutMs);
      const stop = onAbort(signal, () => {
        if (signal !== undefined) outgoing.destroy(abortedError(signal, url));
      });
      outgoing.once("response", (response) => {
        clearTimeout(timer);
        stop();
        // From here on a failure shows in the body, which the reader sees; the request itself
        // must not throw it a second time with no one listening.
        outgoing.on("error", () => undefined);
        resolve(response);
      });
      outgoing.once("error", (error) => {
        clearTimeout(timer);
        stop();
        reject(error);
      });
      outgoing.end();
    });
  }

  /** Closes idle keep-alive connections (open ones close as their bodies end). */
  close(): void {
    this.#httpAgent?.destroy();
    this.#httpsAgent?.destroy();
  }
}
