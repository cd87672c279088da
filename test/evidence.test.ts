import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import sharp, { type Metadata } from "sharp";
import { photoEvidence } from "../src/photo-evidence.js";
import { dumpMetadata, MAX_DUMP_VALUE_CHARS } from "../src/extract/dump.js";
import { walkJpeg } from "../src/extract/jpeg.js";
import { makeThumbnail } from "../src/extract/thumbnail.js";
import { SCHEMA_VERSION, type ScanRecord } from "../src/record.js";
import { SAFE_IMAGE_DATA_URI } from "../src/report/evidence-provider.js";
import { withExif } from "./exif-writer.js";
import { FIXTURES } from "./helpers.js";
import { startLoopbackServer } from "./loopback-server.js";
import { HttpClient } from "../src/sources/http.js";

let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "exifhunt-evidence-"));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

function fileRecord(source: string, fields: Partial<ScanRecord> = {}): ScanRecord {
  return {
    schema: SCHEMA_VERSION,
    source,
    kind: "file",
    bytes: null,
    format: "jpeg",
    sha256: null,
    camera: null,
    image: null,
    device: null,
    verdict: "leak",
    findings: [],
    error: null,
    ...fields,
  };
}

async function decode(dataUri: string): Promise<Metadata & { bytes: number }> {
  const bytes = Buffer.from(dataUri.slice(dataUri.indexOf(",") + 1), "base64");
  return { ...(await sharp(bytes).metadata()), bytes: bytes.length };
}

describe("thumbnails", () => {
  it("are small JPEG data URIs at most 240 px, without the photo's metadata", async () => {
    const uri = await makeThumbnail(await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg")));
    assert.match(uri, SAFE_IMAGE_DATA_URI);
    const thumbnail = await decode(uri);
    assert.equal(thumbnail.format, "jpeg");
    assert.equal(Math.max(thumbnail.width, thumbnail.height), 240);
    assert.ok(thumbnail.bytes < 16 * 1024, `${String(thumbnail.bytes)} bytes`);
    assert.equal(thumbnail.exif, undefined);
  });

  it("apply the EXIF orientation: a sideways-stored portrait comes out upright", async () => {
    const stored = await sharp({ create: { width: 300, height: 100, channels: 3, background: "#808080" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const thumbnail = await decode(await makeThumbnail(stored));
    assert.deepEqual([thumbnail.width, thumbnail.height], [80, 240]);
  });
});

describe("metadata dump", () => {
  it("flattens every tag to group:Tag -> text", async () => {
    const tags = await dumpMetadata(await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg")));
    assert.equal(tags["ifd0:Model"], "D5503");
    assert.equal(tags["ifd0:Software"], "14.2.A.0.204");
    assert.equal(tags["exif:DateTimeOriginal"], "2013:10:22 14:05:11");
    assert.equal(tags["exif:ExifVersion"], "0220 (4 bytes)");
    assert.match(tags["makerNote"] ?? "", /^\(binary, \d+ bytes\) [0-9a-f ]+ …$/);
  });

  it("caps huge values", async () => {
    const base = await readFile(join(FIXTURES, "stripped.jpg"));
    const tags = await dumpMetadata(withExif(base, { make: "Sony", software: "Z".repeat(20_000) }));
    assert.equal(tags["ifd0:Make"], "Sony");
    assert.ok((tags["ifd0:Software"] ?? "").length < MAX_DUMP_VALUE_CHARS + 40);
    assert.match(tags["ifd0:Software"] ?? "", /… \[19500 more characters\]$/);
  });

  it("is empty for a photo with no metadata", async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).jpeg().toBuffer();
    assert.deepEqual(await dumpMetadata(plain), {});
  });
});

describe("photoEvidence", () => {
  it("reads a flagged photo again: thumbnail and tags", async () => {
    const path = join(FIXTURES, "sony-d6999-unknown-model.jpg");
    const bytes = await readFile(path);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const evidence = await photoEvidence().evidence(fileRecord(path, { sha256, bytes: bytes.length }));
    assert.equal(evidence.problem, null);
    assert.match(evidence.thumbnail ?? "", SAFE_IMAGE_DATA_URI);
    assert.equal(evidence.tags?.["ifd0:Model"], "D6999");
  });

  it("says when the photo is gone", async () => {
    const evidence = await photoEvidence().evidence(fileRecord(join(work, "gone.jpg")));
    assert.deepEqual(evidence, { thumbnail: null, tags: null, problem: "no longer reachable: the file is gone (moved or deleted since the scan)" });
  });

  it("shows nothing of a file that changed since the scan", async () => {
    const path = join(work, "changed.jpg");
    await writeFile(path, await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg")));
    const byHash = await photoEvidence().evidence(fileRecord(path, { sha256: "0".repeat(64) }));
    assert.equal(byHash.thumbnail, null);
    assert.match(byHash.problem ?? "", /^changed since the scan: its SHA-256 is now [0-9a-f]{64}$/);
    const bySize = await photoEvidence().evidence(fileRecord(path, { bytes: 5 }));
    assert.match(bySize.problem ?? "", /^changed since the scan: it is now \d+ bytes, not 5$/);
  });

  it("does not read again what is larger than its limit", async () => {
    const evidence = await photoEvidence({ maxBytes: 1000 }).evidence(fileRecord(join(FIXTURES, "sony-d5503-prelaunch.jpg")));
    assert.match(evidence.problem ?? "", /^not read again: \d+ bytes is more than the 1000 a report reads again$/);
  });

  it("still makes a thumbnail of a photo cut short, and says when there is no picture at all", async () => {
    const whole = await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"));
    const cut = join(work, "cut.jpg");
    await writeFile(cut, whole.subarray(0, 60_000));
    const partial = await photoEvidence().evidence(fileRecord(cut));
    assert.equal(partial.tags?.["ifd0:Model"], "D5503");
    assert.match(partial.thumbnail ?? "", SAFE_IMAGE_DATA_URI);
    // Headers only: every metadata segment, no scan data.
    const headers = join(work, "headers.jpg");
    const end = walkJpeg(whole).headerEnd;
    assert.ok(end !== null);
    await writeFile(headers, whole.subarray(0, end));
    const none = await photoEvidence().evidence(fileRecord(headers));
    assert.equal(none.tags?.["ifd0:Model"], "D5503");
    assert.equal(none.thumbnail, null);
    assert.match(none.problem ?? "", /^no thumbnail: /);
  });

  it("says why a source cannot be reopened: an archive entry whose record lost its custody", async () => {
    const evidence = await photoEvidence().evidence(fileRecord("dump.zip!/a.jpg", { kind: "archive-entry" }));
    assert.match(evidence.problem ?? "", /^not read again: dump\.zip!\/a\.jpg: the record does not say where in its archive the entry is$/);
  });

  it("fetches a URL photo again for its thumbnail and tags, with that fetch's chain of custody", async () => {
    const server = await startLoopbackServer({ roots: { fixtures: FIXTURES } });
    const http = new HttpClient();
    try {
      const url = `${server.origin}/files/fixtures/sony-d5503-prelaunch.jpg?lm=2013-10-25`;
      const bytes = await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"));
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const evidence = await photoEvidence({ http }).evidence(fileRecord(url, { kind: "url", sha256 }));
      assert.equal(evidence.problem, null);
      assert.match(evidence.thumbnail ?? "", SAFE_IMAGE_DATA_URI);
      assert.equal(evidence.tags?.["ifd0:Model"], "D5503");
      assert.equal(evidence.refetched?.status, 206);
      assert.equal(evidence.refetched.lastModified, "Fri, 25 Oct 2013 12:00:00 GMT");
      assert.equal(evidence.refetched.deepDownload, true);
      // Served something else now: no evidence of another file, but the fetch is still on record.
      const changed = await photoEvidence({ http }).evidence(fileRecord(url, { kind: "url", sha256: "0".repeat(64) }));
      assert.match(changed.problem ?? "", /^changed since the scan: its SHA-256 is now [0-9a-f]{64}$/);
      assert.equal(changed.refetched?.status, 206);
    } finally {
      http.close();
      await server.close();
    }
  });
});
