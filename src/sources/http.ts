/**
 * A small HTTP client for reading photos by range: node:http(s) with keep-alive, a redirect limit,
 * a timeout per request (until the headers arrive, and between body chunks), retries with backoff
 * for 429 and 503 that honour Retry-After, and a cap on requests in flight per host beside the
 * scan's global concurrency. Bodies are pulled, never pushed: nothing is read that the caller did
 * not ask for, so a server that ignores Range costs no more than the bytes triage wanted.
 */
import { readFileSync } from "node:fs";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { pipeline, Transform, type Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import zlib from "node:zlib";
import { describeError } from "../errors.js";
import { SourceError, type InputClock } from "./types.js";

const PACKAGE = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

/** Says who is asking, so that a site's operator can tell exifhunt's requests apart and write. */
export const USER_AGENT = `exifhunt/${PACKAGE.version} (+https://github.com/exifhunt)`;

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

/** What a request did on the way: updated in place, so it is known even when the request fails. */
export interface Trace {
  requests: number;
  bytesRead: number;
  redirects: { status: number; location: string }[];
  /** The URL last requested (the final one once the request has an answer). */
  url: string;
}

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

function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? String(value) : value.toFixed(1)} s`;
}

/** The one header value of a name (the first, when a server repeats it). */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

export function statusText(response: IncomingMessage): string {
  const code = response.statusCode ?? 0;
  const reason = response.statusMessage !== undefined && response.statusMessage !== "" ? response.statusMessage : http.STATUS_CODES[code];
  return reason === undefined ? `HTTP ${String(code)}` : `HTTP ${String(code)} ${reason}`;
}

/** Turns what node:http throws into a record's error code and a message that says what happened. */
export function classifyNetworkError(error: unknown, url: URL): SourceError {
  if (error instanceof SourceError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? "";
  const where = url.host;
  switch (code) {
    case "ECONNREFUSED":
      return new SourceError("connection-refused", `connection refused by ${where}`, { cause: error });
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new SourceError("host-not-found", `host ${url.hostname} not found (DNS: ${code})`, { cause: error });
    case "ETIMEDOUT":
      return new SourceError("timeout", `connecting to ${where} timed out`, { cause: error });
    case "ECONNRESET":
    case "EPIPE":
      return new SourceError("network-error", `${where} closed the connection (${code})`, { cause: error });
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new SourceError("network-error", `${where} is unreachable (${code})`, { cause: error });
  }
  if (code.startsWith("HPE_")) {
    return new SourceError("network-error", `${where} sent an invalid HTTP response (${code})`, { cause: error });
  }
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code.startsWith("ERR_SSL")) {
    return new SourceError("network-error", `TLS with ${where} failed: ${describeError(error)} (${code})`, { cause: error });
  }
  return new SourceError("network-error", `${where}: ${describeError(error)}`, { cause: error });
}

/**
 * The error a request stopped by `signal` fails with: the signal's reason when it is a SourceError
 * (the scan's per-input time limit says `timeout` and why), else a network error saying so.
 */
export function abortedError(signal: AbortSignal, url: URL): SourceError {
  const reason: unknown = signal.reason;
  if (reason instanceof SourceError) return reason;
  return new SourceError("network-error", `the request to ${url.host} was stopped: ${describeError(reason)}`, { cause: reason });
}

/** Calls `onAbort` once when `signal` aborts; returns the function that stops listening. */
function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (signal === undefined) return () => undefined;
  signal.addEventListener("abort", listener, { once: true });
  return () => {
    signal.removeEventListener("abort", listener);
  };
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

/**
 * A response whose body is read on demand. Holds its host slot until the body ends or close().
 */
export class HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  /** The URL that answered, after redirects. */
  readonly url: URL;
  readonly #body: Readable;
  readonly #iterator: AsyncIterator<Buffer>;
  readonly #release: () => void;
  readonly #timeoutMs: number;
  #pending: Buffer | null = null;
  #ended = false;
  #received = 0;
  /** Body bytes that came off the wire for this response. */
  #wire = 0;
  /** Set when the request's signal aborted: the body is gone and every read fails with it. */
  #stopped: SourceError | null = null;
  /** Resolves when the signal aborts, for reads waiting on the body to race. */
  readonly #aborted: Promise<"aborted">;
  readonly #stopListening: () => void;

  constructor(response: IncomingMessage, url: URL, trace: Trace, release: () => void, timeoutMs: number, signal?: AbortSignal) {
    this.status = response.statusCode ?? 0;
    this.statusText = statusText(response);
    this.headers = response.headers;
    this.url = url;
    this.#release = release;
    this.#timeoutMs = timeoutMs;
    // A request given up (the scan's time limit for the input, Ctrl-C) ends at once: its socket is
    // destroyed and its host slot freed then, not when the server finally stops sending.
    let aborted = (): void => undefined;
    this.#aborted = new Promise((resolve) => {
      aborted = () => {
        resolve("aborted");
      };
    });
    this.#stopListening = onAbort(signal, () => {
      if (signal !== undefined) this.#stopped = abortedError(signal, url);
      this.close();
      aborted();
    });
    // Every body passes a counter (bytes as they came off the wire), then any decoder. Decoding
    // is bounded like everything else: zlib only inflates as far as the reader pulls.
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        trace.bytesRead += chunk.length;
        this.#wire += chunk.length;
        callback(null, chunk);
      },
    });
    const encoding = (header(response.headers, "content-encoding") ?? "identity").trim().toLowerCase();
    const decoder = encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : null;
    // pipeline's callback gets body errors too; reads see them through the iterator.
    const ignore = (): void => undefined;
    this.#body = decoder === null ? pipeline(response, counter, ignore) : pipeline(response, counter, decoder, ignore);
    this.#iterator = this.#body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The Content-Encoding, when the body is encoded (a server that ignored `identity`). */
  get encoded(): boolean {
    const encoding = header(this.headers, "content-encoding");
    return encoding !== null && encoding.trim().toLowerCase() !== "identity";
  }

  /** Bytes of body read so far (after decoding). */
  get received(): number {
    return this.#received;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Why the request was given up, if it was (set by the abort listener, so read through a call). */
  #stopReason(): SourceError | null {
    return this.#stopped;
  }

  /** The next chunk of the body; null at its end. Throws a `timeout` SourceError when idle too long. */
  async #next(): Promise<Buffer | null> {
    if (this.#pending !== null) {
      const chunk = this.#pending;
      this.#pending = null;
      return chunk;
    }
    if (this.#stopped !== null) throw this.#stopped;
    if (this.#ended) return null;
    const next = this.#iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<"idle">((resolve) => {
      timer = setTimeout(() => {
        resolve("idle");
      }, this.#timeoutMs);
    });
    let result: IteratorResult<Buffer> | "idle" | "aborted";
    try {
      result = await Promise.race([next, idle, this.#aborted]);
    } catch (error: unknown) {
      this.close();
      throw this.#stopReason() ?? classifyNetworkError(error, this.url);
    } finally {
      clearTimeout(timer);
    }
    if (result === "aborted") {
      next.catch(() => undefined); // rejects once the body is destroyed
      throw this.#stopReason() ?? new SourceError("network-error", `the request to ${this.url.host} was stopped`);
    }
    if (result === "idle") {
      next.catch(() => undefined); // rejects once the body is destroyed below
      const got = this.#wire;
      this.close();
      throw new SourceError("timeout", `no data for ${seconds(this.#timeoutMs)} while reading the body from ${this.url.host} (stalled after ${String(got)} bytes)`);
    }
    if (result.done === true) {
      this.#finish();
      return null;
    }
    return result.value;
  }

  /** Reads up to `length` bytes of body; fewer only at its end. */
  async read(length: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < length) {
      const chunk = await this.#next();
      if (chunk === null) break;
      const take = Math.min(chunk.length, length - have);
      if (take < chunk.length) this.#pending = chunk.subarray(take);
      parts.push(chunk.subarray(0, take));
      have += take;
    }
    this.#received += have;
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, have);
  }

  /** Skips `length` bytes of body, returning how many were there. */
  async skip(length: number): Promise<number> {
    let skipped = 0;
    while (skipped < length) {
      const chunk = await this.read(Math.min(length - skipped, 1 << 20));
      if (chunk.length === 0) break;
      skipped += chunk.length;
    }
    return skipped;
  }

  /** The rest of the body, chunk by chunk. */
  async *chunks(): AsyncGenerator<Buffer> {
    for (let chunk = await this.#next(); chunk !== null; chunk = await this.#next()) {
      this.#received += chunk.length;
      yield chunk;
    }
  }

  #finish(): void {
    this.#ended = true;
    this.#stopListening();
    this.#release();
  }

  /** Stops reading: an unfinished body is abandoned (its connection closed), the slot freed. */
  close(): void {
    if (!this.#ended) {
      this.#ended = true;
      this.#pending = null;
      this.#body.destroy();
    }
    this.#stopListening();
    this.#release();
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
  readonly #agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };

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
    const agent = url.protocol === "https:" ? this.#agents["https:"] : this.#agents["http:"];
    const send = url.protocol === "https:" ? https.request : http.request;
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
    this.#agents["http:"].destroy();
    this.#agents["https:"].destroy();
  }
}
