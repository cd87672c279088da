/**
 * URL inputs against a real HTTP server on 127.0.0.1 (test/loopback-server.ts): what the records
 * say, and what the server actually sent.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { walkJpeg } from "../src/extract/jpeg.js";
import { scan, type ScanOptions } from "../src/scan.js";
import { FIXTURES, SHARED, sharedSkip } from "./helpers.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

let server: LoopbackServer;
let scratch: string;

const opensslSkip: string | false = spawnSync("openssl", ["version"]).status === 0 ? false : "openssl is not installed";

/** A JPEG with `count` APP2 segments of `size` bytes each after its metadata: ICC-profile-like ballast. */
function withBallast(jpeg: Buffer, count: number, size: number): Buffer {
  const app2 = Buffer.alloc(4 + size, 0x42);
  app2.set([0xff, 0xe2, (size + 2) >> 8, (size + 2) & 0xff]);
  app2.write("ICC_PROFILE\0", 4, "latin1");
  // After SOI and the fixture's APP1/APP13 segments, before its first table.
  const at = walkJpeg(jpeg).segments.find((segment) => segment.marker < 0xe0 || segment.marker > 0xef)?.offset ?? 2;
  return Buffer.concat([jpeg.subarray(0, at), ...Array.from({ length: count }, () => app2), jpeg.subarray(at)]);
}

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "exifhunt-url-"));
  await writeFile(join(scratch, "empty.jpg"), "");
  await writeFile(join(scratch, "ballast.jpg"), withBallast(await readFile(join(FIXTURES, "sony-d6503-released.jpg")), 4, 60_000));
  server = await startLoopbackServer({ roots: { fixtures: FIXTURES, scratch, corpus: join(SHARED, "corpus") } });
});

after(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

/** Scans URLs (paths on the loopback server) with short timeouts; returns records by path. */
async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<Map<string, ScanRecord>> {
  server.reset();
  const result = await scan(paths.map((path) => `${server.origin}${path}`), {
    ...options,
    http: { timeoutMs: 1000, backoffMs: 10, ...options.http },
  });
  return new Map(result.records.map((record) => [record.source.slice(server.origin.length), record]));
}

async function scanPath(path: string, options: ScanOptions = {}): Promise<ScanRecord> {
  const record = (await scanPaths([path], options)).get(path);
  assert.ok(record, `a record for ${path}`);
  return record;
}

async function fromDisk(path: string): Promise<ScanRecord> {
  const [record] = (await scan([path])).records;
  assert.ok(record);
  return record;
}

function logFor(prefix: string) {
  return server.log.filter((entry) => entry.path.startsWith(prefix));
}

describe("URL inputs: ranged reads", () => {
  it("reads a photo's head with one Range request and gets the same camera as from disk", async () => {
    const path = "/files/fixtures/sony-d6503-released.jpg?pad=8000000";
    const record = await scanPath(path);
    const disk = await fromDisk(join(FIXTURES, "sony-d6503-released.jpg"));
    assert.equal(record.kind, "url");
    assert.equal(record.error, null);
    assert.deepEqual(record.camera, disk.camera);
    assert.equal(record.verdict, disk.verdict);
    assert.equal(record.bytes, 8_000_000, "the size comes from Content-Range");
    assert.equal(record.sha256, null, "no deep pass for a known photo");
    const http = record.http;
    assert.ok(http);
    assert.equal(http.requested, `${server.origin}${path}`);
    assert.equal(http.final, http.requested);
    assert.deepEqual(http.redirects, []);
    assert.equal(http.status, 206);
    assert.equal(http.ranges, true);
    assert.equal(http.contentType, "image/jpeg");
    assert.equal(http.contentLength, 65536);
    assert.match(http.etag ?? "", /^".+"$/);
    assert.ok(http.lastModified !== null && !Number.isNaN(Date.parse(http.lastModified)));
    assert.ok(!Number.isNaN(Date.parse(http.fetchedAt)));
    assert.equal(http.requests, 1);
    assert.equal(http.bytesRead, 65536);
    assert.equal(http.deepDownload, false);
    const log = logFor("/files/");
    assert.equal(log.length, 1);
    const [entry] = log;
    assert.ok(entry);
    assert.equal(entry.range, "bytes=0-65535");
    assert.equal(entry.bytesSent, 65536, "the server sent 64 KiB of an 8 MB file");
    assert.match(entry.userAgent ?? "", /^exifhunt\/\d+\.\d+\.\d+ \(\+https:\/\//);
  });

  it("skips APP segments no parser reads when they run past the first 64 KiB", async () => {
    const record = await scanPath("/files/scratch/ballast.jpg");
    // The ballast changes no metadata: the camera is the fixture's, down to the frame size from SOF.
    const disk = await fromDisk(join(FIXTURES, "sony-d6503-released.jpg"));
    assert.equal(record.error, null);
    assert.ok(disk.camera?.captured !== null && disk.camera?.width !== null);
    assert.deepEqual(record.camera, disk.camera);
    assert.deepEqual((await fromDisk(join(scratch, "ballast.jpg"))).camera, disk.camera);
    const size = record.bytes ?? 0;
    assert.ok(size > 300_000);
    // The head, then one small read past each of the four 60 KB segments: not the segments.
    assert.equal(logFor("/files/").length, 5);
    assert.ok(logFor("/files/").every((entry) => entry.status === 206));
    assert.ok(server.bytesSent("/files/") < 150_000, `sent ${String(server.bytesSent("/files/"))} of ${String(size)} bytes`);
  });

  it("downloads a flagged photo whole for the deep pass, and says so", async () => {
    const record = await scanPath("/files/fixtures/sony-d5503-prelaunch.jpg");
    const bytes = await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"));
    assert.equal(record.verdict, "leak");
    assert.equal(record.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(record.http?.deepDownload, true);
    const whole = logFor("/files/").filter((entry) => entry.range === null);
    assert.equal(whole.length, 1, "one plain GET for the deep pass");
    assert.equal(whole[0]?.bytesSent, bytes.length);
    assert.equal(record.http.bytesRead, 65536 + bytes.length);
  });

  it("reads a server that ignores Range as one plain GET, abandoned once triage has its bytes", async () => {
    const size = 32 * 1024 * 1024;
    const record = await scanPath(`/files/fixtures/sony-d6503-released.jpg?pad=${String(size)}&norange`);
    const disk = await fromDisk(join(FIXTURES, "sony-d6503-released.jpg"));
    assert.deepEqual(record.camera, disk.camera);
    assert.equal(record.http?.status, 200);
    assert.equal(record.http.ranges, false);
    assert.equal(record.http.requests, 1);
    assert.equal(record.bytes, size);
    // Triage uses 64 KiB; what came off the socket includes the streams' read-ahead, not the file.
    assert.ok(record.http.bytesRead < 256 * 1024, `read ${String(record.http.bytesRead)}`);
    assert.ok(server.bytesSent("/files/") < size, "the connection was closed before the whole file was sent");
  });

  it("skips unread segments on a server that ignores Range by reading on through the same body", async () => {
    const record = await scanPath("/files/scratch/ballast.jpg?norange");
    const disk = await fromDisk(join(FIXTURES, "sony-d6503-released.jpg"));
    assert.deepEqual(record.camera, disk.camera);
    assert.equal(record.http?.requests, 1);
  });

  it("decodes a gzipped body, bounded by what triage pulls", async () => {
    const record = await scanPath("/files/fixtures/sony-d6503-released.jpg?gzip");
    const disk = await fromDisk(join(FIXTURES, "sony-d6503-released.jpg"));
    assert.deepEqual(record.camera, disk.camera);
    assert.equal(record.bytes, null, "Content-Length is the compressed size, not the file's");
    const bomb = await scanPath("/bomb");
    assert.equal(bomb.error?.code, "not-an-image");
    assert.ok((bomb.http?.bytesRead ?? Infinity) < 256 * 1024, `read ${String(bomb.http?.bytesRead)} of about 1 MiB of gzip (1 GiB inflated)`);
  });

  it("stops when the file changes on the server between two reads", async () => {
    const record = await scanPath("/files/scratch/ballast.jpg?changing");
    assert.equal(record.error?.code, "network-error");
    assert.match(record.error.message, /^the file changed on the server while it was read \(ETag "version-1", then "version-2"\)$/);
    assert.equal(server.log[1]?.ifRange, '"version-1"', "later ranges are asked for with If-Range");
  });

  it("never asks for more than --max-bytes", async () => {
    const record = await scanPath("/files/fixtures/sony-d6503-released.jpg?pad=8000000", { maxBytes: 16 * 1024 });
    assert.equal(logFor("/files/")[0]?.range, "bytes=0-16383");
    assert.ok(server.bytesSent("/files/") <= 16 * 1024);
    assert.ok((record.http?.bytesRead ?? Infinity) <= 16 * 1024);
  });

  it("gives an empty file its own error", async () => {
    const record = await scanPath("/files/scratch/empty.jpg");
    assert.equal(record.verdict, "error");
    assert.equal(record.error?.code, "empty-file");
    assert.equal(record.bytes, 0);
    assert.equal(record.http?.status, 416);
  });

  it("follows a redirect chain and records every hop", async () => {
    const record = await scanPath("/redirect/3/files/fixtures/stripped.jpg");
    assert.equal(record.verdict, "no-metadata");
    assert.equal(record.http?.final, `${server.origin}/files/fixtures/stripped.jpg`);
    assert.deepEqual(
      record.http.redirects.map((hop) => [hop.status, hop.location.slice(server.origin.length)]),
      [
        [302, "/redirect/2/files/fixtures/stripped.jpg"],
        [302, "/redirect/1/files/fixtures/stripped.jpg"],
        [302, "/files/fixtures/stripped.jpg"],
      ],
    );
    assert.equal(record.http.requests, 4);
  });

  it("scans by content: a JPEG served as text/html is read, and the type is recorded", async () => {
    const record = await scanPath("/files/fixtures/sony-d6503-released.jpg?type=text/html");
    assert.equal(record.verdict, "known");
    assert.equal(record.http?.contentType, "text/html");
  });

  it("retries a 429, waiting as long as Retry-After says", async () => {
    const record = await scanPath("/status/429?retry-after=1&times=1&then=/files/fixtures/sony-d6503-released.jpg");
    assert.equal(record.verdict, "known");
    assert.equal(record.http?.status, 206);
    assert.equal(record.http.requests, 3, "429, then 307 to the file, then 206");
    const [first, second] = server.log;
    assert.ok(first && second);
    assert.equal(first.status, 429);
    assert.ok(second.at - first.at >= 950, "the retry waited for Retry-After: 1");
  });

  it("keeps to the per-host cap beside the global concurrency", async () => {
    const paths = Array.from({ length: 6 }, (_, i) => `/files/fixtures/stripped.jpg?delay=150&n=${String(i)}`);
    const records = await scanPaths(paths, { concurrency: 6, http: { perHost: 2 } });
    assert.equal(records.size, 6);
    assert.equal(server.maxInFlight, 2);
  });
});

describe("URL inputs: failures become error records", () => {
  it("names the HTTP status", async () => {
    const records = await scanPaths(["/status/404", "/status/500"]);
    for (const [path, status, text] of [["/status/404", 404, "HTTP 404 Not Found"], ["/status/500", 500, "HTTP 500 Internal Server Error"]] as const) {
      const record = records.get(path);
      assert.equal(record?.verdict, "error");
      assert.equal(record.error?.code, "http-status");
      assert.equal(record.error.message, text);
      assert.equal(record.http?.status, status);
      assert.equal(record.camera, null);
    }
  });

  it("times out a stalled body", async () => {
    // A short timeout: what is tested is that it fires, and the test waits for it.
    const record = await scanPath("/stall?after=1000", { http: { timeoutMs: 300 } });
    assert.equal(record.error?.code, "timeout");
    assert.match(record.error.message, /^no data for 0\.3 s while reading the body from 127\.0\.0\.1:\d+ \(stalled after 1000 bytes\)$/);
    assert.equal(record.http?.status, 200);
    assert.equal(record.http.bytesRead, 1000);
  });

  it("times out a server that never answers", async () => {
    const record = await scanPath("/stall-headers", { http: { timeoutMs: 300 } });
    assert.equal(record.error?.code, "timeout");
    assert.match(record.error.message, /^no response from 127\.0\.0\.1:\d+ within 0\.3 s$/);
    assert.equal(record.http?.status, null);
  });

  it("names a connection cut in the middle of the body", async () => {
    const record = await scanPath("/reset?after=1000");
    assert.equal(record.error?.code, "network-error");
    assert.match(record.error.message, /^127\.0\.0\.1:\d+ closed the connection \(ECONNRESET\)$/);
    assert.equal(record.http?.status, 200);
  });

  it("verifies TLS certificates", { skip: opensslSkip }, async () => {
    // A self-signed certificate, made here: https is read with the system's trust, which lacks it.
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-keyout", join(scratch, "key.pem"), "-out", join(scratch, "cert.pem")], { stdio: "ignore" });
    const tls = createHttpsServer({ key: await readFile(join(scratch, "key.pem")), cert: await readFile(join(scratch, "cert.pem")) }, (_request, response) => {
      response.end("never read");
    });
    tls.listen(0, "127.0.0.1");
    await once(tls, "listening");
    try {
      const { port } = tls.address() as AddressInfo;
      const [record] = (await scan([`https://127.0.0.1:${String(port)}/photo.jpg`], { http: { timeoutMs: 1000 } })).records;
      assert.equal(record?.error?.code, "network-error");
      assert.match(record.error.message, /^127\.0\.0\.1:\d+'s certificate is self-signed, so it cannot be trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
    } finally {
      tls.closeAllConnections();
      tls.close();
    }
  });

  it("stops a redirect loop at the first repeat", async () => {
    const record = await scanPath("/loop/a");
    assert.equal(record.error?.code, "too-many-redirects");
    assert.equal(record.error.message, `redirect loop: ${server.origin}/loop/a -> ${server.origin}/loop/b -> ${server.origin}/loop/a`);
    assert.equal(server.log.length, 2);
  });

  it("stops after the redirect limit", async () => {
    const record = await scanPath("/redirect/9/files/fixtures/stripped.jpg");
    assert.equal(record.error?.code, "too-many-redirects");
    assert.match(record.error.message, /^more than 5 redirects/);
    assert.equal(server.log.length, 6);
  });

  it("follows only http and https", async () => {
    const record = await scanPath("/status/302?location=ftp://example.com/photo.jpg");
    assert.equal(record.error?.code, "bad-url");
    assert.match(record.error.message, /ftp:\/\/example\.com\/photo\.jpg: only http and https are followed$/);
  });

  it("says a web page is not an image, naming its Content-Type", async () => {
    const record = await scanPath("/html");
    assert.equal(record.error?.code, "not-an-image");
    assert.match(record.error.message, /the server sent it as text\/html; charset=utf-8$/);
  });

  it("gives up on a 503 after the retries, saying so", async () => {
    const record = await scanPath("/status/503?retry-after=0", { http: { retries: 2 } });
    assert.equal(record.error?.code, "http-status");
    assert.match(record.error.message, /^HTTP 503 Service Unavailable from .+, still after 2 retries$/);
    assert.equal(server.log.length, 3);
  });

  it("does not wait for a Retry-After longer than it allows", async () => {
    const record = await scanPath("/status/429?retry-after=3600");
    assert.equal(record.error?.code, "http-status");
    assert.match(record.error.message, /^HTTP 429 Too Many Requests from .+: the server asked to retry after 3600 s, longer than the 30 s exifhunt waits$/);
    assert.equal(server.log.length, 1);
  });

  it("names a refused connection", async () => {
    const closed = await startLoopbackServer({ roots: {} });
    const url = `${closed.origin}/photo.jpg`;
    await closed.close();
    const [record] = (await scan([url], { http: { timeoutMs: 1000 } })).records;
    assert.equal(record?.error?.code, "connection-refused");
    assert.equal(record.error.message, `connection refused by ${new URL(url).host}`);
    assert.equal(record.http?.status, null);
    assert.equal(record.http.requests, 1);
  });
});

describe("URL inputs: evidence from the server", () => {
  it("reports a Last-Modified before the device's announcement", async () => {
    const record = await scanPath("/files/fixtures/sony-d5503-prelaunch.jpg?lm=2013-11-01");
    const finding = record.findings.find((f) => f.code === "published-before-announcement");
    assert.ok(finding, JSON.stringify(record.findings));
    assert.equal(finding.severity, "high");
    assert.match(finding.message, /^the server dates the file Fri, 01 Nov 2013 12:00:00 GMT \(Last-Modified\), 66 days before Xperia Z1 Compact was announced \(2014-01-06\)/);
    assert.equal(record.http?.lastModified, "Fri, 01 Nov 2013 12:00:00 GMT");
  });

  it("says nothing of a Last-Modified after the announcement", async () => {
    const record = await scanPath("/files/fixtures/sony-d6503-released.jpg?lm=2014-10-01");
    assert.equal(record.verdict, "known");
    // The photo's own XMP trail may add a low `edited` note; the server's date adds nothing.
    assert.deepEqual(record.findings.filter((f) => f.code === "published-before-announcement" || f.code === "date-inconsistent"), []);
  });
});

describe("URL inputs: the shared corpus", { skip: sharedSkip }, () => {
  it("reads a Samsung HEIC's metadata, stored after the image data, by range", async () => {
    const path = "/files/corpus/phones/samsung-sm-g975f.heic";
    const record = await scanPath(path);
    const disk = await fromDisk(join(SHARED, "corpus/phones/samsung-sm-g975f.heic"));
    assert.equal(record.error, null);
    assert.deepEqual(record.camera, disk.camera);
    assert.equal(record.camera?.model, "SM-G975F");
    const size = record.bytes ?? 0;
    const ranges = logFor("/files/").map((entry) => entry.range);
    assert.equal(ranges[0], "bytes=0-65535");
    assert.equal(ranges.length, 3, "the head, the meta box at the end, the Exif item");
    assert.ok(server.bytesSent("/files/") < 80_000, `sent ${String(server.bytesSent("/files/"))} of ${String(size)}`);
  });

  it("gives the phones and cameras the same camera fields as from disk, sending under 10% of their bytes", async () => {
    const { readdir, stat } = await import("node:fs/promises");
    const files: string[] = [];
    let total = 0;
    for (const folder of ["phones", "cameras"]) {
      for (const name of await readdir(join(SHARED, "corpus", folder))) {
        files.push(`${folder}/${name}`);
        total += (await stat(join(SHARED, "corpus", folder, name))).size;
      }
    }
    const records = await scanPaths(files.map((file) => `/files/corpus/${file.split("/").map(encodeURIComponent).join("/")}`));
    const disk = await scan(files.map((file) => join(SHARED, "corpus", file)));
    assert.equal(records.size, files.length);
    for (const file of files) {
      const overHttp = records.get(`/files/corpus/${file.split("/").map(encodeURIComponent).join("/")}`);
      const local = disk.records.find((record) => record.source === join(SHARED, "corpus", file));
      assert.deepEqual(overHttp?.camera, local?.camera, file);
      assert.equal(overHttp?.verdict, local?.verdict, file);
    }
    // Triage reads under 10%; a flagged photo is read whole by design (the deep pass hashes it): the
    // iPhone 6 photo, shot three days before the phone went on sale, is captured-before-release.
    let flaggedBytes = 0;
    for (const record of disk.records) if (record.verdict === "leak" || record.verdict === "suspicious") flaggedBytes += record.bytes ?? 0;
    const sent = server.bytesSent("/files/");
    assert.ok(sent <= total / 10 + flaggedBytes, `sent ${String(sent)} of ${String(total)} bytes (${((100 * sent) / total).toFixed(2)}%), ${String(flaggedBytes)} of them flagged photos'`);
  });
});
