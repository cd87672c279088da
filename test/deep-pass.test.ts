/**
 * The deep pass (SHA-256 of a flagged photo's whole file): the same hash whether the scan's thread
 * or the hashing thread (triage/file-hasher.ts) computes it, every file closed afterwards, and a
 * photo triaged at once (processBatchNow) hashed from the file it judged, not read and judged again.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { closeSync, openSync, readdirSync, statSync } from "node:fs";
import { appendFile, copyFile, link, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scan as scanFromSource } from "../src/scan.js";
import { openFile } from "../src/sources/file.js";
import { FileHashes, sha256Of } from "../src/triage/sha256.js";
import { FIXTURES, tempDir } from "./helpers.js";

// The hashing thread runs the built JavaScript (npm test builds before testing), so these do too.
const { FileHasher } = (await import(new URL("../dist/triage/file-hasher.js", import.meta.url).href)) as typeof import("../src/triage/file-hasher.js");
const { scan: scanFromDist } = (await import(new URL("../dist/scan.js", import.meta.url).href)) as typeof import("../src/scan.js");

const LEAK = `${FIXTURES}sony-d5503-prelaunch.jpg`;

async function sha256OfFile(path: string): Promise<string> {
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

describe("the hashing thread", () => {
  it("hashes an open file by its descriptor, as the scan's thread would", async () => {
    const hasher = new FileHasher({ inThreadBytes: 0 });
    const fd = openSync(LEAK, "r");
    try {
      const result = await hasher.hash(fd, 0);
      assert.equal(result.sha256, await sha256OfFile(LEAK));
      assert.equal(result.bytes, (await readFile(LEAK)).length);
      assert.equal(hasher.inWorker, 1);
    } finally {
      closeSync(fd);
      await hasher.close();
    }
  });

  it("hashes the first bytes here and starts the thread only past them", async () => {
    const size = (await readFile(LEAK)).length;
    const hasher = new FileHasher({ inThreadBytes: size * 2 });
    const fd = openSync(LEAK, "r");
    try {
      const expected = await sha256OfFile(LEAK);
      for (let i = 0; i < 4; i++) assert.equal((await hasher.hash(fd, size)).sha256, expected);
      assert.equal(hasher.inWorker, 2, "the first two files were hashed in this thread");
    } finally {
      closeSync(fd);
      await hasher.close();
    }
  });

  it("says why a descriptor cannot be read, as an error with its code", async () => {
    const hasher = new FileHasher({ inThreadBytes: 0 });
    // A number no descriptor has (one just closed could be reused by the thread's own start).
    const fd = 999_999;
    try {
      await assert.rejects(hasher.hash(fd, 0), (error: Error & { code?: string }) => error.code === "EBADF");
    } finally {
      await hasher.close();
    }
  });

  it("hashes in this thread once closed", async () => {
    const hasher = new FileHasher({ inThreadBytes: 0 });
    await hasher.close();
    const fd = openSync(LEAK, "r");
    try {
      assert.equal((await hasher.hash(fd, 0)).sha256, await sha256OfFile(LEAK));
      assert.equal(hasher.inWorker, 0);
    } finally {
      closeSync(fd);
    }
  });
});

describe("the deep pass in a scan", () => {
  it("gives every flagged photo its file's SHA-256 past the in-thread bytes, and closes every file", async () => {
    const root = await tempDir("exifhunt-deep-");
    // 100 copies of a 103 KB leak: 10 MB, past the 8 MiB hashed in the scan's thread. Copies,
    // not hard links: one file with many names is hashed once (below).
    const paths: string[] = [];
    for (let i = 0; i < 100; i++) {
      paths.push(join(root, `${String(i).padStart(3, "0")}.jpg`));
      await copyFile(LEAK, paths.at(-1) ?? "");
    }
    await link(`${FIXTURES}sony-d6503-released.jpg`, join(root, "known.jpg"));
    const before = openDescriptors();
    const { records } = await scanFromDist([root]);
    assert.equal(openDescriptors(), before);
    const expected = await sha256OfFile(LEAK);
    const leaks = records.filter((record) => record.verdict === "leak");
    assert.equal(leaks.length, 100);
    for (const record of leaks) assert.equal(record.sha256, expected, record.source);
    assert.equal(records.find((record) => record.source.endsWith("known.jpg"))?.sha256, null);
  });

  it("hashes every photo with --deep, JPEGs triaged at once among them, with the same records otherwise", async () => {
    const photos = ["sony-d6503-released.jpg", "sony-d5503-prelaunch.jpg", "stripped.jpg", "htc-desire.webp", "no-camera.heic"].map((name) => `${FIXTURES}${name}`);
    const plain = await scanFromSource(photos);
    const before = openDescriptors();
    const deep = await scanFromSource(photos, { deep: true });
    assert.equal(openDescriptors(), before);
    for (const record of deep.records) {
      assert.equal(record.sha256, await sha256OfFile(record.source), record.source);
      const same = plain.records.find((other) => other.source === record.source);
      assert.deepEqual({ ...record, sha256: null }, { ...same, sha256: null });
    }
    // Without --deep only the flagged photo is hashed, and what was read is counted once.
    assert.deepEqual(plain.records.filter((record) => record.sha256 !== null).map((record) => record.source), [`${FIXTURES}sony-d5503-prelaunch.jpg`]);
    assert.ok(deep.summary.bytesRead > plain.summary.bytesRead);
  });

  it("hashes a file with several names (hard links) once, with every record given its hash", async () => {
    const root = await tempDir("exifhunt-deep-links-");
    const original = join(root, "original.jpg");
    await copyFile(LEAK, original);
    const { size } = statSync(original);
    const names = [original];
    for (let i = 1; i < 4; i++) {
      names.push(join(root, `link-${String(i)}.jpg`));
      await link(original, names.at(-1) ?? "");
    }
    const one = await scanFromSource([original]);
    const four = await scanFromSource(names);
    const expected = await sha256OfFile(original);
    assert.deepEqual(four.records.map((record) => record.sha256), names.map(() => expected));
    // Four triage reads and one deep pass: the three other names read their prefixes only.
    const triageBytes = one.summary.bytesRead - size;
    assert.equal(four.summary.bytesRead, 4 * triageBytes + size);
  });
});

describe("the hashes a scan remembers (FileHashes)", () => {
  it("hash a file again once it has been written to, and try again after a failure", async () => {
    const root = await tempDir("exifhunt-hashes-");
    const first = join(root, "a.jpg");
    const second = join(root, "b.jpg");
    await copyFile(LEAK, first);
    await link(first, second);
    const hashes = new FileHashes();
    const counter = { bytes: 0 };
    const hashOf = async (path: string): Promise<string> => {
      const opened = openFile(path);
      try {
        return await sha256Of(opened, counter, undefined, hashes);
      } finally {
        opened.closeNow();
      }
    };
    const before = await hashOf(first);
    assert.equal(await hashOf(second), before);
    assert.equal(hashes.reused, 1);
    // Written to through one name: the other name is the same changed file, hashed anew.
    await appendFile(first, "appended");
    const after = await hashOf(second);
    assert.notEqual(after, before);
    assert.equal(after, await sha256OfFile(first));
    assert.equal(hashes.reused, 1);
    // A hash that failed is not remembered: the next request computes it.
    await assert.rejects(hashes.get("some file", () => Promise.reject(new Error("unreadable"))), /unreadable/);
    assert.equal(await hashes.get("some file", () => Promise.resolve("computed")), "computed");
  });
});
