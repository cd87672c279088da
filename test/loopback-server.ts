/**
 * A real HTTP server on 127.0.0.1 for the URL tests and the URL benchmark: serves folders with
 * Range support (RFC 9110 §14), plus routes that misbehave the ways real servers do. Every request
 * is logged with the body bytes the server handed to the socket, so tests can assert what was
 * sent, not only what the client says it read.
 */
import { once } from "node:events";
import { open, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";

export interface RequestLog {
  path: string;
  range: string | null;
  ifRange: string | null;
  userAgent: string | null;
  status: number;
  /** Body bytes accepted by the socket (written, with backpressure respected). */
  bytesSent: number;
  /** When the request arrived (ms, performance.now()). */
  at: number;
  /** When its connection closed or its response ended (ms, performance.now()); null while open. */
  closedAt: number | null;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  log: RequestLog[];
  /** Most requests in flight at once since the last reset(). */
  maxInFlight: number;
  /** Sum of bytesSent over the log (optionally only paths starting with a prefix). */
  bytesSent(prefix?: string): number;
  /** Resolves with the first request (already logged or still to come) whose path starts with `prefix`. */
  arrival(prefix: string): Promise<RequestLog>;
  /** Resolves when the connection of a logged request has closed (its response ended or the client left). */
  closure(entry: RequestLog): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".heic": "image/heic",
  ".avif": "image/avif",
  ".png": "image/png",
  ".webp": "image/webp",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
  ".gif": "image/gif",
  ".bmp": "image/bmp",
  ".txt": "text/plain",
};

const CHUNK = 64 * 1024;

/** Writes a body with backpressure, counting what the socket accepted; stops if the client goes. */
async function writeBody(response: ServerResponse, body: Uint8Array, entry: RequestLog): Promise<void> {
  const client = { gone: false };
  const onClose = (): void => {
    client.gone = true;
    response.emit("drain"); // wakes a write waiting below
  };
  response.once("close", onClose);
  try {
    for (let offset = 0; offset < body.length && !client.gone; offset += CHUNK) {
      const chunk = body.subarray(offset, offset + CHUNK);
      const flushed = response.write(chunk);
      entry.bytesSent += chunk.length;
      if (!flushed) await once(response, "drain");
    }
    if (!client.gone) response.end();
  } finally {
    response.off("close", onClose);
  }
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` against a size; "unsatisfiable" or null (ignore) otherwise. */
function parseRange(value: string, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (match === null || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (start >= size) return "unsatisfiable";
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return end < start ? null : { start, end };
}

function lastModifiedParam(value: string | null, fallback: Date): string {
  if (value === null) return fallback.toUTCString();
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`).toUTCString() : value;
}

export interface LoopbackOptions {
  /** Folders served under /files/<name>/… */
  roots: Record<string, string>;
}

/**
 * Routes:
 * - `/files/<root>/<path>`: a file with Range, ETag and Last-Modified. Query: `norange` (ignore
 *   Range), `type=` (Content-Type), `lm=` (Last-Modified, an HTTP date or YYYY-MM-DD), `pad=N`
 *   (zero bytes appended up to N: a large file with the same header), `delay=ms`, `gzip` (the
 *   whole file gzipped, ranges ignored), `changing` (a new ETag on every request).
 * - `/status/<code>`: that status. Query `retry-after=`, `location=`, and `times=N&then=/path`:
 *   the first N requests get the status, later ones are redirected (307) to `then`.
 * - `/stall?after=N`: a JPEG's first N bytes of a promised 100000, then silence.
 * - `/stall-headers`: no response at all.
 * - `/drip?every=ms`: a JPEG's first bytes (SOI, an APP1 header), then one byte every `every` ms
 *   (default 1000), never ending: never idle long enough for a between-chunks timeout.
 * - `/reset?after=N`: N bytes of a promised 100000, then the connection is cut.
 * - `/redirect/<n>/<path>`: n redirects (302), then `/<path>`.
 * - `/loop/a` and `/loop/b`: redirect to each other.
 * - `/bomb`: 1 GiB of zeros, gzipped, served as image/jpeg.
 * - `/html`: a web page.
 */
export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  const log: RequestLog[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let bomb: Buffer | undefined;
  const state = { maxInFlight: 0 };
  const arrivals: { prefix: string; resolve: (entry: RequestLog) => void }[] = [];
  const closures = new WeakMap<RequestLog, Promise<void>>();

  async function serveFile(request: IncomingMessage, response: ServerResponse, url: URL, entry: RequestLog): Promise<void> {
    const [, , rootName = "", ...rest] = url.pathname.split("/");
    const root = options.roots[rootName];
    const relative = normalize(decodeURIComponent(rest.join("/")));
    if (root === undefined || relative.startsWith("..") || relative.startsWith(sep)) {
      response.writeHead(404).end("no such root");
      return;
    }
    const path = join(root, relative);
    let info;
    try {
      info = await stat(path);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const delay = Number(url.searchParams.get("delay") ?? "0");
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const handle = await open(path, "r");
    let data: Buffer;
    try {
      data = await handle.readFile();
    } finally {
      await handle.close();
    }
    const pad = Number(url.searchParams.get("pad") ?? "0");
    if (pad > data.length) data = Buffer.concat([data, Buffer.alloc(pad - data.length)]);
    const size = data.length;
    const served = (counts.get(url.pathname) ?? 0) + 1;
    counts.set(url.pathname, served);
    // `changing`: a file replaced on the server between two requests (a new ETag each time).
    const etag = url.searchParams.has("changing")
      ? `"version-${String(served)}"`
      : `"${size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`;
    const headers: Record<string, string> = {
      "content-type": url.searchParams.get("type") ?? TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
      etag,
      "last-modified": lastModifiedParam(url.searchParams.get("lm"), info.mtime),
    };
    const rangeHeader = request.headers.range;
    const ifRange = request.headers["if-range"];
    const rangeAllowed = !url.searchParams.has("norange") && (ifRange === undefined || ifRange === etag || ifRange === headers["last-modified"]);
    if (!url.searchParams.has("norange")) headers["accept-ranges"] = "bytes";
    const range = rangeHeader !== undefined && rangeAllowed ? parseRange(rangeHeader, size) : null;
    if (range === "unsatisfiable") {
      entry.status = 416;
      response.writeHead(416, { ...headers, "content-range": `bytes */${String(size)}` }).end();
      return;
    }
    if (url.searchParams.has("gzip")) {
      // A server that compresses whatever the client asked for, ranges ignored.
      const body = gzipSync(data);
      entry.status = 200;
      response.writeHead(200, { ...headers, "content-encoding": "gzip", "content-length": String(body.length) });
      await writeBody(response, body, entry);
      return;
    }
    if (range === null) {
      entry.status = 200;
      response.writeHead(200, { ...headers, "content-length": String(size) });
      await writeBody(response, data, entry);
      return;
    }
    entry.status = 206;
    response.writeHead(206, {
      ...headers,
      "content-length": String(range.end - range.start + 1),
      "content-range": `bytes ${String(range.start)}-${String(range.end)}/${String(size)}`,
    });
    await writeBody(response, data.subarray(range.start, range.end + 1), entry);
  }

  async function handle(request: IncomingMessage, response: ServerResponse, entry: RequestLog): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const parts = url.pathname.split("/");
    const route = parts[1] ?? "";
    const sendStatus = (status: number, headers: Record<string, string> = {}): void => {
      entry.status = status;
      const body = `status ${String(status)}\n`;
      entry.bytesSent += body.length;
      response.writeHead(status, { "content-type": "text/plain", ...headers }).end(body);
    };
    switch (route) {
      case "files":
        await serveFile(request, response, url, entry);
        return;
      case "status": {
        const status = Number(parts[2]);
        const key = request.url ?? "";
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        const times = url.searchParams.get("times");
        const then = url.searchParams.get("then");
        if (times !== null && then !== null && count > Number(times)) {
          sendStatus(307, { location: then });
          return;
        }
        const extra: Record<string, string> = {};
        const retryAfter = url.searchParams.get("retry-after");
        const location = url.searchParams.get("location");
        if (retryAfter !== null) extra["retry-after"] = retryAfter;
        if (location !== null) extra["location"] = location;
        sendStatus(status, extra);
        return;
      }
      case "stall": {
        const after = Number(url.searchParams.get("after") ?? "1000");
        entry.status = 200;
        response.writeHead(200, { "content-type": "image/jpeg", "content-length": "100000" });
        // A JPEG's start (SOI, then an APP1 segment header) and filler: then nothing more.
        const head = Buffer.alloc(after, 0x20);
        head.set([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xf0]);
        response.write(head);
        entry.bytesSent += after;
        return; // the connection stays open until the client gives up or the server closes
      }
      case "stall-headers":
        return;
      case "drip": {
        entry.status = 200;
        response.writeHead(200, { "content-type": "image/jpeg", "content-length": "100000000" });
        response.write(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xf0]));
        entry.bytesSent += 6;
        const timer = setInterval(() => {
          response.write(Buffer.from([0x20]));
          entry.bytesSent += 1;
        }, Number(url.searchParams.get("every") ?? "1000"));
        response.once("close", () => {
          clearInterval(timer);
        });
        return;
      }
      case "reset": {
        // Half a promised body, then the connection is cut.
        entry.status = 200;
        response.writeHead(200, { "content-type": "image/jpeg", "content-length": "100000" });
        const head = Buffer.alloc(Number(url.searchParams.get("after") ?? "1000"), 0x20);
        head.set([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xf0]);
        response.write(head, () => {
          entry.bytesSent += head.length;
          response.socket?.destroy();
        });
        return;
      }
      case "redirect": {
        const hops = Number(parts[2]);
        const rest = parts.slice(3).join("/");
        sendStatus(302, { location: hops > 1 ? `/redirect/${String(hops - 1)}/${rest}${url.search}` : `/${rest}${url.search}` });
        return;
      }
      case "loop":
        sendStatus(302, { location: parts[2] === "a" ? "/loop/b" : "/loop/a" });
        return;
      case "bomb": {
        // 1 GiB of zeros in about 1 MiB of gzip (16 members of 64 MiB, which gunzip reads as one
        // stream): a client must not inflate, or even download, what it does not need.
        if (bomb === undefined) {
          const member = gzipSync(Buffer.alloc(64 * 1024 * 1024));
          bomb = Buffer.concat(Array.from({ length: 16 }, () => member));
        }
        entry.status = 200;
        response.writeHead(200, { "content-type": "image/jpeg", "content-encoding": "gzip", "content-length": String(bomb.length) });
        await writeBody(response, bomb, entry);
        return;
      }
      case "html": {
        entry.status = 200;
        const page = "<!doctype html><html><head><title>A photo</title></head><body><img src=/files/x.jpg></body></html>\n";
        entry.bytesSent += page.length;
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
        return;
      }
      default:
        sendStatus(404);
    }
  }

  const server = createServer((request, response) => {
    const entry: RequestLog = {
      path: request.url ?? "",
      range: request.headers.range ?? null,
      ifRange: typeof request.headers["if-range"] === "string" ? request.headers["if-range"] : null,
      userAgent: request.headers["user-agent"] ?? null,
      status: 0,
      bytesSent: 0,
      at: performance.now(),
      closedAt: null,
    };
    log.push(entry);
    for (const waiter of arrivals.filter((candidate) => entry.path.startsWith(candidate.prefix))) {
      arrivals.splice(arrivals.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    closures.set(entry, new Promise((resolve) => {
      response.once("close", () => {
        inFlight--;
        entry.closedAt = performance.now();
        resolve();
      });
    }));
    handle(request, response, entry).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    log,
    get maxInFlight() {
      return state.maxInFlight;
    },
    bytesSent(prefix = "") {
      return log.filter((entry) => entry.path.startsWith(prefix)).reduce((sum, entry) => sum + entry.bytesSent, 0);
    },
    arrival(prefix: string) {
      const seen = log.find((entry) => entry.path.startsWith(prefix));
      return seen !== undefined ? Promise.resolve(seen) : new Promise<RequestLog>((resolve) => arrivals.push({ prefix, resolve }));
    },
    closure(entry: RequestLog) {
      return closures.get(entry) ?? Promise.resolve();
    },
    reset() {
      log.length = 0;
      counts.clear();
      state.maxInFlight = inFlight;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}
