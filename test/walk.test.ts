/**
 * Folders as users have them: symlink loops, folders linked twice, interrupted runs.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmod, link, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { scan, scanStream } from "../src/scan.js";
import { expandInputChunks, expandInputs } from "../src/sources/index.js";
import { CLI, FIXTURES, parseNdjson, tempDir } from "./helpers.js";
import { startLoopbackServer } from "./loopback-server.js";

async function photoTree(): Promise<string> {
  const root = await tempDir("exifhunt-walk-");
  await mkdir(join(root, "a", "b"), { recursive: true });
  await writeFile(join(root, "a", "one.jpg"), await readFile(`${FIXTURES}sony-d6503-released.jpg`));
  await writeFile(join(root, "a", "b", "two.jpg"), await readFile(`${FIXTURES}stripped.jpg`));
  await symlink("..", join(root, "a", "b", "loop"));
  await symlink(join(root, "a"), join(root, "again"));
  await symlink(join(root, "missing"), join(root, "dangling.jpg"));
  return root;
}

describe("walking folders", () => {
  it("ends symlink loops, reads a folder linked twice once, and ignores dangling links", async () => {
    const root = await photoTree();
    const { records, summary } = await scan([root]);
    assert.deepEqual(records.map((r) => r.source.slice(root.length + 1)).sort(), ["a/b/two.jpg", "a/one.jpg"]);
    assert.equal(summary.skipped, 0);
  });

  it("does not follow a symbolic link that leads out of the folder scanned, and says why", async () => {
    const root = await tempDir("exifhunt-inside-");
    const outside = await tempDir("exifhunt-private-");
    await mkdir(join(root, "sub"));
    await writeFile(join(root, "sub", "inside.jpg"), await readFile(`${FIXTURES}stripped.jpg`));
    await writeFile(join(outside, "private.jpg"), await readFile(`${FIXTURES}sony-d6503-released.jpg`));
    await symlink(outside, join(root, "holiday"));
    await symlink(join(outside, "private.jpg"), join(root, "cover.jpg"));
    await symlink(join(root, "sub", "inside.jpg"), join(root, "same.jpg")); // inside: followed
    const events = [];
    for await (const event of scanStream([root])) events.push(event);
    const records = events.flatMap((event) => (event.type === "record" ? [event.record.source.slice(root.length + 1)] : []));
    assert.deepEqual(records.sort(), ["same.jpg", "sub/inside.jpg"]);
    const skips = events.flatMap((event) => (event.type === "skipped" ? [[event.source.slice(root.length + 1), event.reason]] : []));
    assert.deepEqual(skips.map(([source]) => source).sort(), ["cover.jpg", "holiday"]);
    for (const [, reason] of skips) assert.match(reason ?? "", /symbolic link to .*exifhunt-private-.*outside the folder scanned .*: not followed/);
    // Asked for, they are followed; and a folder named as input is read wherever it is.
    const followed = await scan([root], { followLinksOutside: true });
    assert.deepEqual(followed.records.map((r) => r.source.slice(root.length + 1)).sort(), ["cover.jpg", "holiday/private.jpg", "same.jpg", "sub/inside.jpg"]);
    assert.equal((await scan([join(root, "holiday")])).records.length, 1);
  });

  it("names a folder given twice once", async () => {
    const root = await photoTree();
    const { records } = await scan([root, join(root, "a")]);
    assert.equal(records.length, 2);
  });
});

/** The permission test needs root (to switch to `nobody`) and setpriv, and a path `nobody` can reach. */
const unprivilegedSkip: string | false =
  process.getuid?.() !== 0 ? "needs root to run a scan as nobody" : spawnSync("setpriv", ["--version"]).status !== 0 ? "needs setpriv" : false;

describe("paths met while walking", () => {
  it("are what path.join makes of the folder as named and each entry, however the folder is written", async () => {
    const root = await tempDir("exifhunt-walk-paths-");
    await mkdir(join(root, "dump", "sub"), { recursive: true });
    for (const name of ["a.jpg", ".hidden.jpg", "..b.jpg", "with space.jpg"]) await link(`${FIXTURES}stripped.jpg`, join(root, "dump", name));
    await link(`${FIXTURES}stripped.jpg`, join(root, "dump", "sub", "c.jpg"));
    const expected = ["a.jpg", ".hidden.jpg", "..b.jpg", "with space.jpg", join("sub", "c.jpg")];
    for (const folder of [join(root, "dump"), `${join(root, "dump")}/`, `${root}/./dump`, `${root}//dump/sub/..`]) {
      const { records } = await scan([folder], { workers: 0 });
      assert.deepEqual(records.map((record) => record.source).sort(), expected.map((name) => join(folder, name)).sort(), folder);
    }
  });
});

describe("inputs are only read", () => {
  it("reports a FIFO named as a photo at once instead of waiting for a writer", async () => {
    const dir = await tempDir("exifhunt-fifo-");
    const fifo = join(dir, "photo.jpg");
    execFileSync("mkfifo", [fifo]);
    const { records } = await scan([fifo]);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.error?.code, "unreadable");
    assert.match(records[0].error.message, /not a regular file/);
  });

  it("reports a file it may not read as unreadable, by name", { skip: unprivilegedSkip }, async () => {
    // Root reads anything, so the scan runs as `nobody` (setpriv, util-linux) on a file mode 000.
    const dir = await tempDir("exifhunt-perm-");
    await chmod(dir, 0o755);
    const secret = join(dir, "secret.jpg");
    await writeFile(secret, await readFile(`${FIXTURES}stripped.jpg`));
    await chmod(secret, 0o000);
    const run = spawnSync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", process.execPath, CLI, "scan", secret, "-f", "ndjson"], {
      encoding: "utf8",
      // nobody's own home and config: root's are not readable to it.
      env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, EXIFHUNT_REGISTRY: "" },
    });
    assert.equal(run.status, 3, "a named input that cannot be read: exit 3");
    const [record] = parseNdjson<ScanRecord>(run.stdout);
    assert.equal(record?.source, secret);
    assert.equal(record.error?.code, "unreadable");
    assert.match(record.error.message, /EACCES|permission denied/i);
  });

  it("gives a folder that cannot be listed an error record, named or met while walking", { skip: unprivilegedSkip }, async () => {
    const dir = await tempDir("exifhunt-locked-");
    await chmod(dir, 0o755);
    const locked = join(dir, "locked");
    await mkdir(locked);
    await writeFile(join(locked, "photo.jpg"), await readFile(`${FIXTURES}stripped.jpg`));
    await chmod(locked, 0o000);
    const asNobody = (inputs: string[]): ScanRecord[] => {
      const result = spawnSync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", process.execPath, CLI, "scan", ...inputs, "-f", "ndjson"], {
        encoding: "utf8",
        env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, EXIFHUNT_REGISTRY: "" },
      });
      return parseNdjson<ScanRecord>(result.stdout);
    };
    for (const [inputs, source] of [[[locked], locked], [[dir], locked]] as const) {
      const records = asNobody([...inputs]);
      assert.equal(records.length, 1, JSON.stringify(records));
      assert.equal(records[0]?.source, source);
      assert.equal(records[0].error?.code, "unreadable");
      assert.match(records[0].error.message, /the folder cannot be listed \(EACCES\), so the photos in it were not scanned/);
    }
  });

  it("leaves every input as it was: content, size and modification time", async () => {
    const root = await photoTree();
    const photo = join(root, "a", "one.jpg");
    const before = { bytes: await readFile(photo), mtime: (await stat(photo)).mtimeMs };
    await scan([root], { deep: true });
    assert.deepEqual(await readFile(photo), before.bytes);
    assert.equal((await stat(photo)).mtimeMs, before.mtime);
  });
});

describe("interruption", () => {
  async function bigFolder(count: number): Promise<string> {
    const root = await tempDir("exifhunt-many-");
    for (let i = 0; i < count; i++) await link(`${FIXTURES}sony-d5503-prelaunch.jpg`, join(root, `p${String(i).padStart(5, "0")}.jpg`));
    return root;
  }

  /**
   * Runs the CLI and sends `signal` once the scan is under way: when the first NDJSON line is out,
   * or, for --out runs (nothing on stdout), when `ready` resolves. A fixed delay raced the CLI's
   * start-up: a signal that came before its handler was installed killed it with no exit code.
   */
  function interrupt(args: string[], signal: NodeJS.Signals, ready?: Promise<unknown>): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let sent = false;
      const send = (): void => {
        if (sent) return;
        sent = true;
        child.kill(signal);
      };
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("\n")) send();
      });
      child.on("error", reject);
      child.on("close", (code) => {
        resolve({ code, stdout });
      });
      ready?.then(send, reject);
    });
  }

  it("stops on SIGINT with exit 130 and only complete NDJSON lines", async () => {
    const root = await bigFolder(3000);
    const { code, stdout } = await interrupt(["scan", root, "-f", "ndjson", "--deep", "-c", "2"], "SIGINT");
    assert.equal(code, 130);
    const records = parseNdjson<ScanRecord>(stdout);
    assert.ok(records.length >= 1 && records.length < 3000, `${String(records.length)} records`);
    assert.ok(stdout.endsWith("\n"));
  });

  it("stops on SIGTERM with exit 143 and leaves no half-written JSON file", async () => {
    const root = await bigFolder(3000);
    const outDir = await tempDir("exifhunt-out-");
    // The scan's first input is a URL on a loopback server that never answers: its request
    // arriving says the scan is under way (the CLI installs its handlers before it starts).
    const server = await startLoopbackServer({ roots: {} });
    try {
      const args = ["scan", `${server.origin}/stall-headers`, root, "--out", join(outDir, "scan.json"), "--deep", "-c", "2"];
      const { code } = await interrupt(args, "SIGTERM", server.arrival("/stall-headers"));
      assert.equal(code, 143);
      assert.deepEqual(await readdir(outDir), []);
    } finally {
      await server.close();
    }
  });
});

describe("a folder walk in chunks", () => {
  it("hands on a folder's files up to each subfolder as one chunk, in walk order, as expandInputs yields them", async () => {
    const root = await tempDir("exifhunt-walk-chunks-");
    await mkdir(join(root, "m", "deeper"), { recursive: true });
    // Sorted: a, b, m/ (c, deeper/ (d), e), z.
    for (const name of ["a.jpg", "b.jpg", "z.jpg", join("m", "c.jpg"), join("m", "e.jpg"), join("m", "deeper", "d.jpg")]) await link(`${FIXTURES}stripped.jpg`, join(root, name));
    const relative = (source: { id: string }): string => source.id.slice(root.length + 1);
    const chunks: string[][] = [];
    for await (const chunk of expandInputChunks([root])) chunks.push(chunk.map(relative));
    assert.deepEqual(chunks, [["a.jpg", "b.jpg"], [join("m", "c.jpg")], [join("m", "deeper", "d.jpg")], [join("m", "e.jpg")], ["z.jpg"]]);
    const one: string[] = [];
    for await (const source of expandInputs([root])) one.push(relative(source));
    assert.deepEqual(one, chunks.flat());
  });

  it("hands on a folder of many files in bounded chunks", async () => {
    const root = await tempDir("exifhunt-walk-big-");
    for (let i = 0; i < 2500; i++) await link(`${FIXTURES}stripped.jpg`, join(root, `${String(i).padStart(5, "0")}.jpg`));
    const sizes: number[] = [];
    for await (const chunk of expandInputChunks([root])) sizes.push(chunk.length);
    assert.deepEqual(sizes, [1024, 1024, 452]);
  });
});
