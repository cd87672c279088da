/**
 * One HTTP response whose body is read on demand (HttpResponse), with the vocabulary the client
 * and the URL source share: the trace of what a request did, header and status in words.
 */
import type * as Http from "node:http";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type * as Https from "node:https";
import { createRequire } from "node:module";
import { pipeline, Transform, type Readable } from "node:stream";
import type * as Zlib from "node:zlib";
import { describeError, errnoCode } from "../errors.js";
import { SourceError } from "./types.js";

const requireBuiltin = createRequire(import.meta.url);

/**
 * Node's HTTP client modules (with TLS and the sockets under them) and zlib, loaded with the first
 * URL: a scan of local folders does without them, some 4 ms of every start-up.
 */
export const nodeHttp = (): typeof Http => requireBuiltin("node:http") as typeof Http;
export const nodeHttps = (): typeof Https => requireBuiltin("node:https") as typeof Https;
const nodeZlib = (): typeof Zlib => requireBuiltin("node:zlib") as typeof Zlib;

/** What a request did on the way: updated in place, so it is known even when the request fails. */
export interface Trace {
  requests: number;
  bytesRead: number;
  redirects: { status: number; location: string }[];
  /** The URL last requested (the final one once the request has an answer). */
  url: string;
}

export function seconds(ms: number): string {
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
  const reason = response.statusMessage !== undefined && response.statusMessage !== "" ? response.statusMessage : nodeHttp().STATUS_CODES[code];
  return reason === undefined ? `HTTP ${String(code)}` : `HTTP ${String(code)} ${reason}`;
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

/** Calls `listener` once when `signal` aborts; returns the function that stops listening. */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (signal === undefined) return () => undefined;
  signal.addEventListener("abort", listener, { once: true });
  return () => {
    signal.removeEventListener("abort", listener);
  };
}

/**
 * A TLS failure as one sentence. OpenSSL's own text ("C0B7…:error:0A00010B:SSL routines:
 * ssl3_get_record:wrong version number:../deps/openssl/…" and a line break) is cut to its reason.
 */
function tlsSentence(where: string, code: string, message: string): string {
  const reason = /routines:[^:]*:([^:]+)/.exec(message)?.[1]?.trim() ?? null;
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_PACKET_LENGTH_TOO_LONG" || reason === "wrong version number" || reason === "packet length too long") {
    return `${where} did not answer in TLS: it may serve plain http://, not https://`;
  }
  if (code.includes("SELF_SIGNED")) return `${where}'s certificate is self-signed, so it cannot be trusted`;
  if (code === "CERT_HAS_EXPIRED") return `${where}'s certificate has expired`;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return `${where}'s certificate is for another host name`;
  if (code.includes("CERT") || code.includes("VERIFY")) return `${where}'s certificate cannot be verified`;
  return `TLS with ${where} failed${reason === null ? "" : `: ${reason}`}`;
}

/** Turns what node:http throws into a record's error code and a message that says what happened. */
export function classifyNetworkError(error: unknown, url: URL): SourceError {
  if (error instanceof SourceError) return error;
  const code = errnoCode(error) ?? "";
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
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code.startsWith("ERR_SSL") || code === "EPROTO") {
    return new SourceError("network-error", `${tlsSentence(where, code, describeError(error))} (${code})`, { cause: error });
  }
  return new SourceError("network-error", `${where}: ${describeError(error)}`, { cause: error });
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
      ? nodeZlib().createGunzip()
      : encoding === "deflate"
        ? nodeZlib().createInflate()
        : encoding === "br"
          ? nodeZlib().createBrotliDecompress()
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

  /** The next chunk of the body; null at its end. Throws a `timeout` SourceError when idle too long. */
  /** Why the request was given up, if it was (set by the abort listener, so read through a call). */
  #stopReason(): SourceError | null {
    return this.#stopped;
  }

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
