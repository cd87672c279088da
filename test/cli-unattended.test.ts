/**
 * Unattended runs (issue 16, issue 12 items 8 and Ctrl-C): a full disk, a read-only folder,
 * Ctrl-C, and the README's cron recipe, through the real CLI.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { link, mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { CLI, FIXTURES, parseNdjson, runCli, tempDir } from "./helpers.js";

const LEAK = `${FIXTURES}sony-d5503-prelaunch.jpg`;
const KNOWN = `${FIXTURES}sony-d6503-released.jpg`;
const isRoot = process.getuid?.() === 0;

/** Whether this process may mount a tmpfs (root in a container may not): probed once. */
function probeMount(): string | false {
  if (!isRoot) return "mounting a small tmpfs needs root";
  const dir = spawnSync("mktemp", ["-d"], { encoding: "utf8" }).stdout.trim();
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir]);
  if (mounted.status !== 0) return `mount -t tmpfs is not permitted here (${String(mounted.stderr).trim()})`;
  spawnSync("umount", [dir]);
  spawnSync("rmdir", [dir]);
  return false;
}
const mountSkip = probeMount();

/** A tmpfs of `size` mounted for this test only, unmounted after it. */
async function tinyMount(t: TestContext, size: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "exifhunt-tmpfs-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { encoding: "utf8" });
  assert.equal(mounted.status, 0, mounted.stderr);
  t.after(async () => {
    spawnSync("umount", [dir]);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

async function manyPhotos(count: number, photo = LEAK): Promise<string> {
  const root = await tempDir("exifhunt-many-");
  for (let i = 0; i < count; i++) await link(photo, join(root, `p${String(i).padStart(5, "0")}.jpg`));
  return root;
}

/**
 * `count` different leak photos (one byte appended to each): copies of one file are one card in a
 * report (issue 18), so a report that must fill a disk needs photos that are not copies.
 */
async function differentPhotos(count: number): Promise<string> {
  const root = await tempDir("exifhunt-different-");
  const bytes = await readFile(LEAK);
  for (let i = 0; i < count; i++) await writeFile(join(root, `p${String(i).padStart(5, "0")}.jpg`), Buffer.concat([bytes, Buffer.from([i & 0xff])]));
  return root;
}

function assertOneSentence(stderr: string): void {
  assert.match(stderr, /^exifhunt: [^\n]+\n$/, stderr);
}

describe("a full disk and a folder that cannot be written", () => {
  it("full disk: exit 2, one sentence, no temp file left, the previous report unchanged (every format)", { skip: mountSkip }, async (t) => {
    const disk = await tinyMount(t, "16k");
    const photos = await differentPhotos(40);
    for (const name of ["leaks.ndjson", "leaks.json", "leaks.csv", "leaks.md"]) {
      const out = join(disk, name);
      await writeFile(out, "yesterday\n");
      const result = await runCli(["scan", photos, "--out", out, "--quiet"]);
      assert.equal(result.code, 2, `${name}: ${result.stderr}`);
      assertOneSentence(result.stderr);
      assert.ok(result.stderr.includes(`cannot write ${out}: no space left on the device (ENOSPC); the previous ${out} is unchanged`), result.stderr);
      assert.equal(await readFile(out, "utf8"), "yesterday\n");
      assert.deepEqual(await readdir(disk), [name], "no temp file left");
      await rm(out);
    }
  });

  it("a read-only file system: exit 2 naming it, nothing written", { skip: mountSkip }, async (t) => {
    const disk = await tinyMount(t, "64k");
    await writeFile(join(disk, "leaks.ndjson"), "yesterday\n");
    assert.equal(spawnSync("mount", ["-o", "remount,ro", disk]).status, 0);
    const result = await runCli(["scan", LEAK, "--out", join(disk, "leaks.ndjson")]);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `exifhunt: cannot write ${join(disk, "leaks.ndjson")}: the file system is read-only (EROFS)\n`);
    assert.deepEqual(await readdir(disk), ["leaks.ndjson"]);
    assert.equal(await readFile(join(disk, "leaks.ndjson"), "utf8"), "yesterday\n");
  });

  it("a folder the user may not write in: exit 2, permission denied", { skip: isRoot ? "root writes anywhere: the read-only mount above covers it" : false }, async () => {
    const dir = await tempDir();
    await chmod(dir, 0o555);
    const result = await runCli(["scan", LEAK, "--out", join(dir, "leaks.json")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /permission denied \(EACCES\)/);
    assert.deepEqual(await readdir(dir), []);
  });
});

describe("Ctrl-C", () => {
  it("keeps the previous NDJSON file, leaves the complete lines in NAME.partial.ndjson and says how many photos were done", async () => {
    const photos = await manyPhotos(3000);
    const dir = await tempDir();
    const out = join(dir, "leaks.ndjson");
    await writeFile(out, "yesterday\n");
    const result = await runCli(["scan", photos, "--out", out, "--deep", "-c", "2", "-w", "0"], {
      onStart: (signals: EventEmitter) => {
        // Interrupt once the scan has written something to its temporary file.
        const poll = setInterval(() => {
          void readdir(dir).then(async (names) => {
            const temp = names.find((name) => name.endsWith(".tmp"));
            if (temp === undefined || (await stat(join(dir, temp)).catch(() => null))?.size === 0) return;
            clearInterval(poll);
            signals.emit("SIGINT", "SIGINT");
          });
        }, 20);
      },
    });
    assert.equal(result.code, 130);
    assert.equal(await readFile(out, "utf8"), "yesterday\n");
    const partial = join(dir, "leaks.partial.ndjson");
    const records = parseNdjson<ScanRecord>(await readFile(partial, "utf8"));
    assert.ok(records.length > 0 && records.length < 3000, String(records.length));
    assert.equal(result.stderr, `exifhunt: interrupted after ${records.length.toLocaleString("en")} photos; their records are in ${partial}; ${out} is as it was\n`);
    assert.deepEqual((await readdir(dir)).sort(), ["leaks.ndjson", "leaks.partial.ndjson"]);
  });

  it("the binary: SIGINT ends the scan with exit 130 and the count of photos written to standard output", async (t) => {
    const photos = await manyPhotos(3000);
    const child = spawn(process.execPath, [CLI, "scan", photos, "-f", "ndjson", "--deep", "-c", "2"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let signalled = 0;
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (signalled === 0 && stdout.includes("\n")) {
        signalled = performance.now();
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    t.diagnostic(`exit ${String(performance.now() - signalled)} ms after SIGINT`);
    assert.equal(code, 130);
    const lines = parseNdjson<ScanRecord>(stdout).length;
    assert.equal(stderr, `exifhunt: interrupted after ${lines.toLocaleString("en")} photos; their records were written to standard output\n`);
  });

  it("the binary: SIGINT during an HTML report writes no report and ends with 130", async (t) => {
    const photos = await manyPhotos(400);
    const dir = await tempDir();
    const out = join(dir, "report.html");
    const child = spawn(process.execPath, [CLI, "scan", photos, "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // The temporary report appears when the scan starts; the HTML step reads 400 photos again.
    let signalled = 0;
    const poll = setInterval(() => {
      void readdir(dir).then((names) => {
        if (signalled !== 0 || !names.some((name) => name.endsWith(".tmp"))) return;
        signalled = performance.now();
        clearInterval(poll);
        child.kill("SIGINT");
      });
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearInterval(poll);
    t.diagnostic(`exit ${String(performance.now() - signalled)} ms after SIGINT`);
    assert.equal(code, 130);
    assert.match(stderr, /^exifhunt: interrupted after [\d,]+ photos?; nothing was written: a html report is written only when the scan completes\n$/);
    assert.deepEqual(await readdir(dir), []);
  });
});

describe("the README's cron recipe", () => {
  // exifhunt scan ~/flickr-downloads --out leaks.ndjson --fail-on leak --quiet || notify "possible leak"
  // and the variant that tells a leak (1) from a failure (2, 3).
  const recipe = (folder: string, out: string): string =>
    [
      `exifhunt() { "${process.execPath}" "${CLI}" "$@"; }`,
      `notify() { echo "NOTIFY: $*"; }`,
      `exifhunt scan "${folder}" --out "${out}" --fail-on leak --quiet || notify "possible leak"`,
      `exifhunt scan "${folder}" --out "${out}" --fail-on leak --quiet`,
      `case $? in 0) ;; 1) notify "possible leak, see ${out}" ;; *) notify "exifhunt failed" ;; esac`,
    ].join("\n");
  const run = (folder: string, out: string) => spawnSync("sh", ["-c", recipe(folder, out)], { encoding: "utf8" });

  it("a clean run: no notification, the report written", async () => {
    const folder = await manyPhotos(3, KNOWN);
    const out = join(await tempDir(), "leaks.ndjson");
    const result = run(folder, out);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, "");
    assert.equal(parseNdjson<ScanRecord>(await readFile(out, "utf8")).length, 3);
  });

  it("a leak: notified as a possible leak, the report written", async () => {
    const folder = await manyPhotos(2);
    const out = join(await tempDir(), "leaks.ndjson");
    const result = run(folder, out);
    assert.equal(result.stdout, `NOTIFY: possible leak\nNOTIFY: possible leak, see ${out}\n`);
    assert.equal(parseNdjson<ScanRecord>(await readFile(out, "utf8"))[0]?.verdict, "leak");
  });

  it("a typo'd folder: notified as a failure, and stderr names the folder", async () => {
    const out = join(await tempDir(), "leaks.ndjson");
    const result = run("/home/nobody/flickr-downlaods", out);
    assert.equal(result.stdout, "NOTIFY: possible leak\nNOTIFY: exifhunt failed\n");
    assert.equal(result.stderr, "exifhunt: /home/nobody/flickr-downlaods: no such file or folder\n".repeat(2));
  });

  it("a full disk: notified as a failure, yesterday's report kept", { skip: mountSkip }, async (t) => {
    const disk = await tinyMount(t, "16k");
    const folder = await manyPhotos(40);
    const out = join(disk, "leaks.ndjson");
    await writeFile(out, "yesterday\n");
    const result = run(folder, out);
    assert.equal(result.stdout, "NOTIFY: possible leak\nNOTIFY: exifhunt failed\n");
    assert.match(result.stderr, /no space left on the device/);
    assert.equal(await readFile(out, "utf8"), "yesterday\n");
    assert.deepEqual(await readdir(disk), ["leaks.ndjson"]);
  });
});

describe("a reader that goes away", () => {
  it("--help and --version into a closed pipe: exit 0, nothing on stderr", async () => {
    for (const flag of ["--help", "--version", "help"]) {
      const child = spawn(process.execPath, [CLI, flag], { stdio: ["ignore", "pipe", "pipe"] });
      // The read end closes before the binary has started, so its first write meets a closed pipe.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      assert.equal(stderr, "", flag);
      assert.equal(code, 0, flag);
    }
  });
});
