/**
 * Archives read in place: a zip and a tar.gz of real photos give the records the folder of the
 * same photos gives; archives inside archives are opened; hostile archives (lying directories,
 * overlapping entries, truncation, encryption, deflate bombs, hostile names, 7z and rar) give
 * records or clear error records. Every archive here is built by the test itself.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import tarStream from "tar-stream";
import { scan } from "../src/scan.js";
import type { ScanRecord } from "../src/record.js";
import { DeflatedEntry } from "../src/sources/archive/entry.js";
import { FIXTURES, SHARED, sharedSkip, tempDir } from "./helpers.js";
import { startLoopbackServer } from "./loopback-server.js";
import { buildZip, type ZipEntrySpec } from "./support/zip-writer.js";

interface Photo {
  name: string;
  data: Buffer;
}

function photosIn(folder: string): Photo[] {
  return readdirSync(folder)
    .sort()
    .map((name) => ({ name, data: readFileSync(join(folder, name)) }));
}

const FIXTURE_FILES = photosIn(FIXTURES);
const PHONES = sharedSkip === false ? photosIn(join(SHARED, "corpus", "phones")).map((p) => ({ ...p, name: `phones-${p.name}` })) : [];
const ALL = [...FIXTURE_FILES, ...PHONES];

function file(name: string): Buffer {
  const found = FIXTURE_FILES.find((p) => p.name === name);
  assert.ok(found, name);
  return found.data;
}

async function tarOf(entries: readonly { name: string; data: Uint8Array; type?: "file" | "symlink" | "directory" }[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((resolve) => {
    pack.on("end", () => {
      resolve();
    });
  });
  for (const entry of entries) {
    if (entry.type === "symlink") pack.entry({ name: entry.name, type: "symlink", linkname: "/etc/passwd" });
    else if (entry.type === "directory") pack.entry({ name: entry.name, type: "directory" });
    else pack.entry({ name: entry.name, mtime: new Date("2014-02-11T10:00:00Z") }, Buffer.from(entry.data));
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/** What a record says about the photo, without where it was read from. */
function reading(record: ScanRecord): unknown {
  return { bytes: record.bytes, format: record.format, camera: record.camera, image: record.image, device: record.device, verdict: record.verdict, findings: record.findings, error: record.error };
}

function byName(records: readonly ScanRecord[], prefix: string): Map<string, ScanRecord> {
  return new Map(records.map((record) => {
    assert.ok(record.source.startsWith(prefix), `${record.source} starts with ${prefix}`);
    return [record.source.slice(prefix.length), record];
  }));
}

async function scanOne(path: string): Promise<{ records: ScanRecord[]; skipped: number }> {
  const { records, summary } = await scan([path], { workers: 0 });
  return { records, skipped: summary.skipped };
}

describe("archives of real photos read like the folder", () => {
  it(`gives the folder's records for a zip (stored and deflated, ZIP64 fields) and a tar.gz of ${String(ALL.length)} files`, async () => {
    const dir = await tempDir();
    const folder = join(dir, "photos");
    await import("node:fs/promises").then((fs) => fs.mkdir(folder));
    for (const photo of ALL) await writeFile(join(folder, photo.name), photo.data);
    const zip = join(dir, "dump.zip");
    await writeFile(zip, buildZip(ALL.map((photo, i) => ({ name: `DCIM/${photo.name}`, data: photo.data, method: i % 2 === 0 ? 8 : 0, zip64: i % 3 === 0 }))));
    const tgz = join(dir, "dump.tar.gz");
    await writeFile(tgz, gzipSync(await tarOf(ALL.map((photo) => ({ name: `DCIM/${photo.name}`, data: photo.data })))));

    const fromFolder = await scanOne(folder);
    const fromZip = await scanOne(zip);
    const fromTar = await scanOne(tgz);
    assert.ok(fromFolder.records.length >= 10);
    const expected = byName(fromFolder.records, `${folder}/`);
    for (const [archive, result, format] of [[zip, fromZip, "zip"], [tgz, fromTar, "tar.gz"]] as const) {
      assert.equal(result.skipped, fromFolder.skipped, `${format}: files skipped as not images`);
      const got = byName(result.records, `${archive}!/DCIM/`);
      assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
      for (const [name, record] of got) {
        assert.equal(record.kind, "archive-entry");
        assert.deepEqual(reading(record), reading(expected.get(name) as ScanRecord), `${format}: ${name}`);
        const custody = record.archive;
        assert.ok(custody);
        assert.equal(custody.format, format);
        assert.equal(custody.container, archive);
        assert.equal(custody.entry, `DCIM/${name}`);
        assert.equal(custody.size, record.bytes);
        if (record.sha256 !== null) assert.equal(record.sha256, expected.get(name)?.sha256, `${format}: ${name}: SHA-256 of the entry's bytes`);
      }
    }
    // The flagged photos got their deep pass from the entries' bytes.
    assert.ok(fromZip.records.some((record) => record.sha256 !== null));
    const d5503 = fromZip.records.find((record) => record.source.endsWith("sony-d5503-prelaunch.jpg"));
    assert.ok(d5503?.archive);
    assert.equal(d5503.archive.crc32?.length, 8);
    assert.equal(d5503.archive.modified, "2014-02-11T10:00:00");
  });

  it("opens a zip inside a zip (stored and deflated) and a tar.gz inside a zip, naming the chain", async () => {
    const dir = await tempDir();
    const inner = buildZip([{ name: "c.jpg", data: file("sony-d5503-prelaunch.jpg") }]);
    const innerTar = gzipSync(await tarOf([{ name: "d.jpg", data: file("sony-d6503-released.jpg") }]));
    const middle = buildZip([{ name: "b.zip", data: inner, method: 8 }]);
    const outer = join(dir, "a.zip");
    await writeFile(outer, buildZip([
      { name: "b.zip", data: inner, method: 0 },
      { name: "deflated.zip", data: middle, method: 8 },
      { name: "t.tgz", data: innerTar, method: 0 },
    ]));
    const { records } = await scanOne(outer);
    assert.deepEqual(records.map((r) => [r.source, r.verdict]), [
      [`${outer}!/b.zip!/c.jpg`, "leak"],
      [`${outer}!/deflated.zip!/b.zip!/c.jpg`, "leak"],
      [`${outer}!/t.tgz!/d.jpg`, "known"],
    ]);
    const deepest = records[1];
    assert.ok(deepest?.archive);
    assert.deepEqual(deepest.archive.position, [1, 0, 0]);
    assert.equal(deepest.archive.root, outer);
    assert.equal(deepest.archive.container, `${outer}!/deflated.zip!/b.zip`);
  });

  it("opens archives four deep and names the fifth in an error record", async () => {
    const dir = await tempDir();
    let archive = buildZip([{ name: "x.jpg", data: file("sony-d6503-released.jpg") }]);
    for (let level = 0; level < 4; level++) archive = buildZip([{ name: `level${String(level)}.zip`, data: archive }]);
    const path = join(dir, "deep.zip");
    await writeFile(path, archive);
    const { records } = await scanOne(path);
    assert.deepEqual(records.map((r) => [r.source, r.error?.code]), [[`${path}!/level3.zip!/level2.zip!/level1.zip!/level0.zip`, "archive-limit"]]);
  });
});

describe("a zip at a URL", () => {
  it("is read by Range requests, its central directory first, never downloaded whole", async () => {
    const dir = await tempDir();
    const photos = ["sony-d5503-prelaunch.jpg", "sony-d6503-released.jpg", "stripped.jpg"];
    // A big entry that is no photo: only its head is ever asked for.
    const video = Buffer.alloc(4 * 1024 * 1024, 7);
    const zip = buildZip([...photos.map((name) => ({ name, data: file(name), method: 0 as const })), { name: "clip.mp4", data: video, method: 0 }]);
    await writeFile(join(dir, "dump.zip"), zip);
    const server = await startLoopbackServer({ roots: { scratch: dir } });
    try {
      const url = `${server.origin}/files/scratch/dump.zip`;
      const { records, summary } = await scan([url], { workers: 0 });
      const local = await scanOne(join(dir, "dump.zip"));
      assert.deepEqual(records.map((r) => [r.source.slice(url.length), reading(r)]), local.records.map((r) => [r.source.slice(join(dir, "dump.zip").length), reading(r)]));
      assert.equal(summary.skipped, 1);
      assert.ok(records.every((r) => r.kind === "archive-entry" && r.archive?.root === url));
      const ranges = server.log.map((entry) => entry.range);
      assert.equal(ranges[0], "bytes=0-65535");
      // The end of the archive (ZIP64 locator, end record and longest comment: 65,577 bytes) comes before any entry.
      assert.match(ranges[1] ?? "", new RegExp(`^bytes=${String(zip.length - 65577)}-`));
      assert.ok(ranges.every((range) => range !== null), "every request was a Range request");
      assert.ok(server.bytesSent() < zip.length / 2, `${String(server.bytesSent())} of ${String(zip.length)} bytes sent`);
    } finally {
      await server.close();
    }
  });
});

describe("hostile archives", () => {
  it("names an encrypted entry in an error record and reads the rest", async () => {
    const dir = await tempDir();
    const path = join(dir, "locked.zip");
    await writeFile(path, buildZip([
      { name: "secret.jpg", data: file("sony-d5503-prelaunch.jpg"), flags: 1 },
      { name: "open.jpg", data: file("sony-d6503-released.jpg") },
    ]));
    const { records } = await scanOne(path);
    assert.deepEqual(records.map((r) => [r.source, r.verdict, r.error?.code ?? null]), [
      [`${path}!/open.jpg`, "known", null],
      [`${path}!/secret.jpg`, "error", "encrypted-entry"],
    ]);
    assert.match(records[1]?.error?.message ?? "", /encrypted \(ZipCrypto\)/);
    assert.equal(records[1]?.kind, "archive-entry");
  });

  it("gives what a truncated zip still holds, and an error record for the archive", async () => {
    const dir = await tempDir();
    const whole = buildZip(FIXTURE_FILES.filter((p) => p.name.endsWith(".jpg")).map((p) => ({ name: p.name, data: p.data, method: 0 })));
    const path = join(dir, "cut.zip");
    await writeFile(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const { records } = await scanOne(path);
    const archiveRecord = records.find((r) => r.source === path);
    assert.ok(archiveRecord?.error);
    assert.equal(archiveRecord.error.code, "corrupt-archive");
    assert.match(archiveRecord.error.message, /found by their local headers/);
    const read = records.filter((r) => r.kind === "archive-entry" && r.camera !== null);
    assert.ok(read.length >= 3, `${String(read.length)} entries read from the truncated zip`);
  });

  it("gives what a truncated tar.gz still holds, and an error record for the archive", async () => {
    const dir = await tempDir();
    const whole = gzipSync(await tarOf(FIXTURE_FILES.map((p) => ({ name: p.name, data: p.data }))));
    const path = join(dir, "cut.tgz");
    await writeFile(path, whole.subarray(0, Math.floor(whole.length * 0.5)));
    const { records } = await scanOne(path);
    const archiveRecord = records.find((r) => r.source === path);
    assert.equal(archiveRecord?.error?.code, "corrupt-archive");
    assert.ok(records.filter((r) => r.camera !== null).length >= 2);
  });

  it("reads the first of overlapping entries and refuses the others (the overlapping zip bomb)", async () => {
    const dir = await tempDir();
    const path = join(dir, "overlap.zip");
    await writeFile(path, buildZip([{ name: "kernel.jpg", data: file("sony-d6503-released.jpg") }], {
      directory: ([first]) => Array.from({ length: 500 }, (_, i) => ({ ...(first as NonNullable<typeof first>), name: Buffer.from(`copy${String(i).padStart(3, "0")}.jpg`) })),
    }));
    const { records } = await scanOne(path);
    assert.equal(records.length, 500);
    assert.equal(records.filter((r) => r.verdict === "known").length, 1);
    const refused = records.filter((r) => r.error?.code === "corrupt-archive");
    assert.equal(refused.length, 499);
    assert.match(refused[0]?.error?.message ?? "", /shares its bytes with entry 0/);
  });

  it("reads the entries of a central directory that claims more than it holds, then says so", async () => {
    const dir = await tempDir();
    const path = join(dir, "lies.zip");
    await writeFile(path, buildZip([{ name: "a.jpg", data: file("sony-d6503-released.jpg") }, { name: "b.jpg", data: file("stripped.jpg") }], { count: 40 }));
    const { records } = await scanOne(path);
    assert.deepEqual(records.map((r) => [r.source, r.verdict]), [[path, "error"], [`${path}!/a.jpg`, "known"], [`${path}!/b.jpg`, "no-metadata"]]);
    assert.equal(records[0]?.error?.code, "corrupt-archive");
  });

  it("refuses an entry whose sizes lie and one whose data runs past the archive", async () => {
    const dir = await tempDir();
    const path = join(dir, "sizes.zip");
    await writeFile(path, buildZip([{ name: "a.jpg", data: file("sony-d6503-released.jpg"), method: 0 }, { name: "b.jpg", data: file("sony-d6503-released.jpg") }], {
      directory: ([a, b]) => [{ ...(a as NonNullable<typeof a>), size: 10 }, { ...(b as NonNullable<typeof b>), compressedSize: 1 << 30 }],
    }));
    const { records } = await scanOne(path);
    assert.deepEqual(records.map((r) => r.error?.code), ["corrupt-archive", "corrupt-archive"]);
    assert.match(records[0]?.error?.message ?? "", /the central directory lies/);
    assert.match(records[1]?.error?.message ?? "", /past the end of the archive/);
  });

  it("checks a flagged entry's bytes against the CRC-32 and size the archive records", async () => {
    const dir = await tempDir();
    const path = join(dir, "crc.zip");
    const leak = file("sony-d5503-prelaunch.jpg");
    await writeFile(path, buildZip([{ name: "wrong-crc.jpg", data: leak, method: 0 }, { name: "short.jpg", data: leak }, { name: "fine.jpg", data: leak }], {
      directory: ([a, b, c]) => [{ ...(a as NonNullable<typeof a>), crc: 0x12345678 }, { ...(b as NonNullable<typeof b>), size: leak.length - 1000 }, c as NonNullable<typeof c>],
    }));
    const { records } = await scanOne(path);
    assert.deepEqual(records.map((r) => [basename(r.source), r.verdict, r.error?.code ?? null]), [["fine.jpg", "leak", null], ["short.jpg", "error", "corrupt-archive"], ["wrong-crc.jpg", "error", "corrupt-archive"]]);
    assert.match(records[1]?.error?.message ?? "", /runs past the \d+ bytes the archive declares/);
    assert.match(records[2]?.error?.message ?? "", /its CRC-32 is [0-9a-f]{8}, not the 12345678 the archive records/);
  });

  it("shows hostile entry names safely and writes nothing to disk", async () => {
    const dir = await tempDir();
    const path = join(dir, "names.zip");
    const photo = file("sony-d6503-released.jpg");
    await writeFile(path, buildZip([
      { name: "../../../../tmp/escape.jpg", data: photo },
      { name: "/etc/absolute.jpg", data: photo },
      { name: "red\u001b[31m\u0007.jpg", data: photo },
      { name: "gpj.\u202eexe.jpg", data: photo },
      // CP437 (no UTF-8 flag): 0x82 is é.
      { name: Buffer.from([0x63, 0x61, 0x66, 0x82, 0x2e, 0x6a, 0x70, 0x67]), data: photo },
    ]));
    const { records } = await scanOne(path);
    assert.deepEqual(records.map((r) => r.source.slice(path.length + 2)).sort(), [
      "../../../../tmp/escape.jpg",
      "/etc/absolute.jpg",
      "café.jpg",
      "gpj.\\u{202e}exe.jpg",
      "red\\x1b[31m\\x07.jpg",
    ].sort());
    assert.ok(records.every((r) => r.verdict === "known"));
    assert.deepEqual(await readdir(dir), ["names.zip"]);
  });

  it("skips thousands of tiny entries, directories and links as non-images, counted", async () => {
    const dir = await tempDir();
    const tiny: ZipEntrySpec[] = Array.from({ length: 5000 }, (_, i) => ({ name: `t/${String(i)}.txt`, data: Buffer.from(`note ${String(i)}`) }));
    const zip = join(dir, "tiny.zip");
    await writeFile(zip, buildZip([...tiny, { name: "t/photo.jpg", data: file("stripped.jpg") }]));
    const tar = join(dir, "links.tar");
    await writeFile(tar, await tarOf([{ name: "d/", data: Buffer.alloc(0), type: "directory" }, { name: "d/link.jpg", data: Buffer.alloc(0), type: "symlink" }, { name: "d/a.jpg", data: file("stripped.jpg") }]));
    const fromZip = await scanOne(zip);
    assert.equal(fromZip.records.length, 1);
    assert.equal(fromZip.skipped, 5000);
    const fromTar = await scanOne(tar);
    assert.deepEqual(fromTar.records.map((r) => r.source), [`${tar}!/d/a.jpg`]);
  });

  it("names 7z, rar and a gzip that is not a tar in error records, not as 'not an image'", async () => {
    const dir = await tempDir();
    const cases = {
      "a.7z": Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04, ...Buffer.alloc(32)]),
      "b.rar": Buffer.concat([Buffer.from("Rar!\u001a\u0007\u0001\u0000", "latin1"), Buffer.alloc(32)]),
      "c.gz": gzipSync(Buffer.from("just some text, not a tar archive")),
    };
    for (const [name, bytes] of Object.entries(cases)) await writeFile(join(dir, name), bytes);
    const { records } = await scan(Object.keys(cases).map((name) => join(dir, name)), { workers: 0 });
    assert.deepEqual(records.map((r) => [basename(r.source), r.error?.code]), [["a.7z", "unsupported-archive"], ["b.rar", "unsupported-archive"], ["c.gz", "unsupported-archive"]]);
    assert.match(records[0]?.error?.message ?? "", /7-Zip/);
    assert.match(records[1]?.error?.message ?? "", /RAR/);
    assert.match(records[2]?.error?.message ?? "", /not a tar/);
  });

  it("inflates a deflate bomb only as far as a read asks", async () => {
    const zeros = 64 * 1024 * 1024;
    const head = file("sony-d6503-released.jpg").subarray(0, 20_000);
    const zip = buildZip([{ name: "bomb.jpg", data: Buffer.concat([head, Buffer.alloc(zeros)]) }]);
    let read = 0;
    const archive = {
      size: zip.length,
      read: async (offset: number, length: number) => {
        const bytes = zip.subarray(offset, offset + length);
        read += bytes.length;
        return bytes;
      },
      chunks: async function* () {
        yield zip;
      },
      close: async () => undefined,
    };
    const compressedSize = zip.readUInt32LE(18);
    const dataStart = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
    const entry = new DeflatedEntry({ id: "bomb.zip!/bomb.jpg", archive, dataStart, compressedSize, size: head.length + zeros, crc32: zip.readUInt32LE(14), preload: new Uint8Array(0), release: () => undefined });
    const first = await entry.read(0, 64 * 1024);
    assert.equal(first.length, 64 * 1024);
    assert.deepEqual(Buffer.from(first.subarray(0, head.length)), Buffer.from(head));
    assert.ok(read < 200 * 1024, `${String(read)} compressed bytes read for a 64 KiB head`);
    // The whole entry streams through in bounded pieces, checked against its CRC-32.
    let total = 0;
    let largest = 0;
    for await (const chunk of entry.chunks()) {
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
    }
    assert.equal(total, head.length + zeros);
    assert.ok(largest <= 1024 * 1024);
  });
});
