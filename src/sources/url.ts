/**
 * http(s) URLs as PhotoSources. Triage reads a photo's head with Range requests (the first 64 KiB,
 * more only when the metadata runs past it); a server that ignores Range is read as one plain GET,
 * pulled only as far as triage asks and never past --max-bytes. The deep pass downloads the whole
 * file, and the record says so. Every request is written into the record's chain of custody.
 */
import type { HttpCustody } from "../record.js";
import { HttpClient, type RequestOptions } from "./http.js";
import { header, type HttpResponse, type Trace } from "./http-response.js";
import { SourceError, type OpenedSource, type OpenOptions, type PhotoSource } from "./types.js";

/** The first range asked for: triage's prefix (EXIF lives in the first 64 KiB of a JPEG). */
export const FIRST_RANGE_BYTES = 64 * 1024;

/** The most bytes read from one URL for its metadata unless --max-bytes says otherwise. */
export const DEFAULT_URL_MAX_BYTES = 8 * 1024 * 1024;

/** Whether a command-line input or list line names a URL rather than a path. */
export function isUrlInput(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

export interface UrlSourceOptions {
  client: HttpClient;
  /** The most body bytes triage reads from the URL (the deep pass is not bounded by it). */
  maxBytes: number;
}

/** Parses `Content-Range: bytes 0-65535/3723140` (the total may be `*`). */
export function parseContentRange(value: string | null): { start: number; end: number; total: number | null } | { total: number } | null {
  if (value === null) return null;
  const unsatisfied = /^bytes \*\/(\d+)$/i.exec(value.trim());
  if (unsatisfied !== null) return { total: Number(unsatisfied[1]) };
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return null;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === "*" ? null : Number(match[3]) };
}

function contentLength(response: HttpResponse): number | null {
  const value = header(response.headers, "content-length");
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}

/** A validator for If-Range: a strong ETag, else Last-Modified (RFC 9110 §13.1.5). */
function ifRange(custody: HttpCustody): Record<string, string> {
  if (custody.etag !== null && !custody.etag.startsWith("W/")) return { "if-range": custody.etag };
  if (custody.lastModified !== null) return { "if-range": custody.lastModified };
  return {};
}

class OpenedUrl implements OpenedSource {
  size: number | null = null;
  #url: URL;
  readonly #options: UrlSourceOptions;
  readonly #custody: HttpCustody;
  readonly #trace: Trace;
  /** The file's bytes from offset 0, as far as triage has read them. */
  #prefix: Buffer = Buffer.alloc(0);
  /** A body still being read, positioned at the end of #prefix; null when none is open. */
  #body: HttpResponse | null = null;
  /** Triage's body bytes so far, against --max-bytes. */
  #triageBytes = 0;

  readonly #open: OpenOptions;

  constructor(url: URL, options: UrlSourceOptions, custody: HttpCustody, trace: Trace, open: OpenOptions) {
    this.#url = url;
    this.#options = options;
    this.#custody = custody;
    this.#trace = trace;
    this.#open = open;
  }

  /**
   * Every request of this input carries its signal (given up, it ends at once and frees its slot)
   * and its clock (stopped while it waits for a slot).
   */
  #request(request: Omit<RequestOptions, "trace" | "signal" | "clock">): RequestOptions {
    const { signal, clock } = this.#open;
    return { ...request, trace: this.#trace, ...(signal === undefined ? {} : { signal }), ...(clock === undefined ? {} : { clock }) };
  }

  /** The first request: status, headers, size and whether ranges work. Throws for error statuses. */
  async start(): Promise<void> {
    const length = Math.min(FIRST_RANGE_BYTES, this.#options.maxBytes);
    const response = await this.#options.client.get(this.#url, this.#request({ range: { start: 0, end: length - 1 } }));
    const custody = this.#custody;
    custody.status = response.status;
    custody.contentType = header(response.headers, "content-type");
    custody.contentLength = contentLength(response);
    custody.etag = header(response.headers, "etag");
    custody.lastModified = header(response.headers, "last-modified");
    this.#url = response.url;
    if (response.status === 206) {
      const range = parseContentRange(header(response.headers, "content-range"));
      if (range === null || !("start" in range) || range.start !== 0) {
        response.close();
        throw new SourceError("network-error", `asked ${response.url.host} for bytes 0-${String(length - 1)} and got a different range (Content-Range: ${header(response.headers, "content-range") ?? "none"})`);
      }
      if (response.encoded) {
        response.close();
        throw new SourceError("network-error", `${response.url.host} compressed a partial response (Content-Encoding: ${header(response.headers, "content-encoding") ?? ""}), which cannot be read by range`);
      }
      custody.ranges = true;
      this.size = range.total;
      this.#body = response;
      return;
    }
    if (response.status === 416) {
      // Range Not Satisfiable for bytes 0-…: an empty file (Content-Range: bytes */0).
      const range = parseContentRange(header(response.headers, "content-range"));
      response.close();
      custody.ranges = true;
      this.size = range !== null && !("start" in range) ? range.total : 0;
      return;
    }
    if (response.status >= 200 && response.status < 300) {
      custody.ranges = false;
      this.size = response.encoded ? null : contentLength(response);
      this.#body = response;
      return;
    }
    response.close();
    const redirected = response.url.href === custody.requested ? "" : ` (from ${response.url.href})`;
    throw new SourceError("http-status", `${response.statusText}${redirected}`);
  }

  #closeBody(): void {
    this.#body?.close();
    this.#body = null;
  }

  /** Pulls from the open body onto the prefix, until it holds `end` bytes or the body ends. */
  async #extendFromBody(end: number): Promise<void> {
    const body = this.#body;
    if (body === null) return;
    const wanted = end - this.#prefix.length;
    const more = await body.read(wanted);
    this.#triageBytes += more.length;
    if (more.length > 0) this.#prefix = Buffer.concat([this.#prefix, more]);
    if (more.length < wanted) {
      // A plain GET that ended has given the whole file, whatever Content-Length said.
      if (this.#custody.ranges === false) this.size = this.#prefix.length;
      this.#closeBody();
    }
  }

  /** A new request for [start, end): a Range request, or a plain GET read up to `end`. */
  async #fetch(start: number, end: number): Promise<Buffer> {
    this.#closeBody();
    const ranged = this.#custody.ranges === true;
    const response = await this.#options.client.get(this.#url, this.#request({
      ...(ranged ? { range: { start, end: end - 1 } } : {}),
      headers: ifRange(this.#custody),
    }));
    try {
      if (response.status === 206) {
        const range = parseContentRange(header(response.headers, "content-range"));
        if (range === null || !("start" in range) || range.start !== start) {
          throw new SourceError("network-error", `asked for bytes ${String(start)}-${String(end - 1)} and got ${header(response.headers, "content-range") ?? "no Content-Range"}`);
        }
        const bytes = await response.read(end - start);
        this.#triageBytes += bytes.length;
        return bytes;
      }
      if (response.status === 416) return Buffer.alloc(0); // past the end of the file
      if (response.status !== 200) throw new SourceError("http-status", `${response.statusText} when reading bytes ${String(start)}-${String(end - 1)}`);
      this.#checkUnchanged(response);
      // The whole body from 0: skip to `start`, each skipped byte counted against --max-bytes.
      if (start > this.#options.maxBytes - this.#triageBytes) {
        throw new SourceError("network-error", `${this.#url.host} ignores Range requests and the metadata lies at byte ${String(start)}, past --max-bytes (${String(this.#options.maxBytes)})`);
      }
      this.#triageBytes += await response.skip(start);
      const bytes = await response.read(end - start);
      this.#triageBytes += bytes.length;
      return bytes;
    } finally {
      response.close();
    }
  }

  /** A 200 where a 206 was expected: fine if the file is the same, an error if it changed. */
  #checkUnchanged(response: HttpResponse): void {
    const etag = header(response.headers, "etag");
    const lastModified = header(response.headers, "last-modified");
    if (this.#custody.etag !== null && etag !== null && etag !== this.#custody.etag) {
      throw new SourceError("network-error", `the file changed on the server while it was read (ETag ${this.#custody.etag}, then ${etag})`);
    }
    if (this.#custody.etag === null && this.#custody.lastModified !== null && lastModified !== null && lastModified !== this.#custody.lastModified) {
      throw new SourceError("network-error", `the file changed on the server while it was read (Last-Modified ${this.#custody.lastModified}, then ${lastModified})`);
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size ?? Number.MAX_SAFE_INTEGER);
    if (end <= offset) return new Uint8Array(0);
    if (end - Math.max(offset, this.#prefix.length) > this.#options.maxBytes - this.#triageBytes) {
      throw new SourceError("network-error", `reading bytes ${String(offset)}-${String(end - 1)} would pass --max-bytes (${String(this.#options.maxBytes)}) for this URL`);
    }
    if (end <= this.#prefix.length) return this.#prefix.subarray(offset, end);
    if (offset <= this.#prefix.length || (this.#body !== null && this.#custody.ranges === false)) {
      // Extends the prefix: from the open body if there is one (a plain GET: bytes skipped on it
      // are downloaded anyway, so they are kept), else with a request for the rest.
      await this.#extendFromBody(end);
      if (this.#prefix.length < end && (this.size === null || this.#prefix.length < this.size) && this.#body === null) {
        const more = await this.#fetch(this.#prefix.length, end);
        if (more.length > 0) this.#prefix = Buffer.concat([this.#prefix, more]);
      }
      return this.#prefix.subarray(offset, Math.min(end, this.#prefix.length));
    }
    // Past the prefix (a HEIC's meta box megabytes in): a range of its own, not kept.
    return this.#fetch(offset, end);
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    const whole = this.size !== null && this.#prefix.length >= this.size;
    if (whole) {
      yield this.#prefix;
      return;
    }
    this.#custody.deepDownload = true;
    if (this.#body !== null && this.#custody.ranges === false) {
      // A plain GET still open at the end of the prefix: its rest is the rest of the file.
      const body = this.#body;
      yield this.#prefix;
      yield* body.chunks();
      this.#closeBody();
      return;
    }
    this.#closeBody();
    const response = await this.#options.client.get(this.#url, this.#request({}));
    try {
      if (response.status !== 200) throw new SourceError("http-status", `${response.statusText} when downloading the whole file for the deep pass`);
      this.#checkUnchanged(response);
      yield* response.chunks();
    } finally {
      response.close();
    }
  }

  async close(): Promise<void> {
    this.#closeBody();
  }
}

/** A photo at an http(s) URL. Its record's `http` says how it was fetched (see custody()). */
export function urlSource(input: string, options: UrlSourceOptions): PhotoSource {
  let custody: HttpCustody | null = null;
  let trace: Trace | null = null;
  return {
    id: input,
    kind: "url",
    explicit: true,
    maxBytes: options.maxBytes,
    async open(openOptions: OpenOptions = {}): Promise<OpenedSource> {
      custody = {
        requested: input,
        final: input,
        redirects: [],
        status: null,
        contentType: null,
        contentLength: null,
        etag: null,
        lastModified: null,
        fetchedAt: new Date().toISOString(),
        ranges: null,
        requests: 0,
        bytesRead: 0,
        deepDownload: false,
      };
      trace = { requests: 0, bytesRead: 0, redirects: custody.redirects, url: input };
      let url: URL;
      try {
        url = new URL(input);
      } catch (error: unknown) {
        throw new SourceError("bad-url", `${input} is not a valid URL`, { cause: error });
      }
      const opened = new OpenedUrl(url, options, custody, trace, openOptions);
      try {
        await opened.start();
      } catch (error: unknown) {
        await opened.close();
        throw error;
      }
      return opened;
    },
    custody(): HttpCustody | null {
      if (custody === null || trace === null) return null;
      return { ...custody, final: trace.url, redirects: [...custody.redirects], requests: trace.requests, bytesRead: trace.bytesRead };
    },
  };
}
