/**
 * `exifhunt watch`: the real CLI watching a real temp folder. Readiness comes from its output
 * (the "watching" line on stderr, each record on stdout), never from a fixed sleep.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { CLI, FIXTURES, runCli, tempDir } from "./helpers.js";
import type { ScanRecord } from "../src/record.js";

/** A running `exifhunt watch`, its output read line by line as it comes. */
class Watcher {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly #waiters: { test: () => boolean; resolve: () => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [CLI, "watch", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const collect = (lines: string[]) => (line: string) => {
      lines.push(line);
      for (const waiter of [...this.#waiters]) {
        if (waiter.test()) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    };
    createInterface({ input: this.child.stdout }).on("line", collect(this.stdout));
    createInterface({ input: this.child.stderr }).on("line", collect(this.stderr));
    this.exited = new Promise((resolve) => {
      this.child.on("close", (code, signal) => {
        resolve({ code, signal });
        // Whoever still waits fails now rather than at the test's timeout.
        for (const waiter of this.#waiters.splice(0)) waiter.resolve();
      });
    });
  }

  /** Resolves once a line of the output passes `test` (or the process ended). */
  async until(test: () => boolean): Promise<void> {
    if (test()) return;
    await new Promise<void>((resolve) => this.#waiters.push({ test, resolve }));
  }

  ready(): Promise<void> {
    return this.until(() => this.stderr.some((line) => line.includes("watching")));
  }

  records(): ScanRecord[] {
    return this.stdout.map((line) => JSON.parse(line.replace(/^EXEC:/, "")) as ScanRecord);
  }

  /** Waits for the record of a photo by file name; says how long that took from `since`. */
  async recordOf(name: string, since: number): Promise<number> {
    await this.until(() => this.records().some((r) => r.source.endsWith(`/${name}`)));
    assert.ok(this.records().some((r) => r.source.endsWith(`/${name}`)), `no record of ${name}; stderr: ${this.stderr.join("\n")}`);
    return performance.now() - since;
  }

  async interrupt(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill("SIGINT");
    return this.exited;
  }
}

const names = (records: readonly ScanRecord[]): string[] => records.map((r) => r.source.split("/").at(-1) ?? "");

describe("exifhunt watch", () => {
  it("reports a photo copied in within seconds, once; old photos are not reported again after a restart", async (t) => {
    const dir = await tempDir("exifhunt-watch-");
    const folder = join(dir, "downloads");
    const db = join(dir, "hunt.db");
    await mkdir(folder);
    await copyFile(join(FIXTURES, "sony-d6503-released.jpg"), join(folder, "already-there.jpg"));

    const first = new Watcher([folder, "--db", db, "--settle", "200"]);
    // What was there before any watch is reported by the catch-up scan, before the "watching" line.
    await first.ready();
    assert.deepEqual(names(first.records()), ["already-there.jpg"]);

    let since = performance.now();
    await copyFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"), join(folder, "new-leak.jpg"));
    t.diagnostic(`new-leak.jpg reported ${String(Math.round(await first.recordOf("new-leak.jpg", since)))} ms after the copy`);
    // A folder that appears, with a photo in it, and a file that is no photo.
    since = performance.now();
    await mkdir(join(folder, "2026", "12"), { recursive: true });
    await writeFile(join(folder, "2026", "notes.txt"), "not a photo");
    await copyFile(join(FIXTURES, "sony-d6999-unknown-model.jpg"), join(folder, "2026", "12", "deep.jpg"));
    t.diagnostic(`deep.jpg in a new subfolder reported ${String(Math.round(await first.recordOf("deep.jpg", since)))} ms after the copy`);
    const stopped = await first.interrupt();
    assert.equal(stopped.code, 130);
    assert.deepEqual(names(first.records()), ["already-there.jpg", "new-leak.jpg", "deep.jpg"]);
    const leak = first.records()[1];
    assert.equal(leak?.verdict, "leak");
    assert.equal(leak.device?.name, "Xperia Z1 Compact");

    // While nothing watched, one more photo came in; the old ones are still there.
    await copyFile(join(FIXTURES, "sony-d6503-unknown-firmware.jpg"), join(folder, "while-away.jpg"));
    const second = new Watcher([folder, "--db", db, "--settle", "200"]);
    await second.ready();
    assert.deepEqual(names(second.records()), ["while-away.jpg"]);
    await copyFile(join(FIXTURES, "stripped.jpg"), join(folder, "last.jpg"));
    await second.recordOf("last.jpg", performance.now());
    assert.equal((await second.interrupt()).code, 130);
    assert.deepEqual(names(second.records()), ["while-away.jpg", "last.jpg"]);

    const handle = new Database(db, { readonly: true });
    try {
      assert.deepEqual(handle.prepare("SELECT command, status FROM scans ORDER BY id").all(), [
        { command: "watch", status: "stopped" },
        { command: "watch", status: "stopped" },
      ]);
      // Every record watch printed is delivered: a scan --new-only of the folder has nothing to say.
      assert.equal((handle.prepare("SELECT count(*) AS n FROM records WHERE delivered_scan_id IS NULL").get() as { n: number }).n, 0);
    } finally {
      handle.close();
    }
    const scan = await runCli(["scan", folder, "--db", db, "--new-only", "-f", "ndjson"]);
    assert.equal(scan.code, 0, scan.stderr);
    assert.equal(scan.stdout, "");
  });

  it("--exec gets each record on stdin; a record whose command failed is offered again on the next start", async () => {
    const dir = await tempDir("exifhunt-watch-");
    const folder = join(dir, "in");
    await mkdir(folder);
    // The database inside the watched folder: its own writes are not photos to wait for.
    const db = join(folder, "hunt.db");

    const failing = new Watcher([folder, "--db", db, "--settle", "200", "--exec", "cat >/dev/null; exit 3"]);
    await failing.ready();
    await copyFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"), join(folder, "leak.jpg"));
    await failing.until(() => failing.stderr.some((line) => line.includes("--exec exited with 3")));
    assert.match(failing.stderr.join("\n"), /--exec exited with 3 for .*leak\.jpg; it is offered again when watch starts next/);
    assert.equal((await failing.interrupt()).code, 130);
    assert.deepEqual(failing.stdout, []);

    const working = new Watcher([folder, "--db", db, "--settle", "200", "--exec", "sed 's/^/EXEC:/'"]);
    await working.ready();
    assert.deepEqual(names(working.records()), ["leak.jpg"]);
    assert.equal(working.records()[0]?.verdict, "leak");
    await copyFile(join(FIXTURES, "sony-d6503-released.jpg"), join(folder, "known.jpg"));
    await working.recordOf("known.jpg", performance.now());
    assert.equal((await working.interrupt()).code, 130);
    assert.deepEqual(names(working.records()), ["leak.jpg", "known.jpg"]);
    assert.ok(working.stdout.every((line) => line.startsWith("EXEC:{")));
  });

  it("refuses what is not a folder, and needs --db", async () => {
    const dir = await tempDir("exifhunt-watch-");
    const notFolder = await runCli(["watch", join(FIXTURES, "stripped.jpg"), "--db", join(dir, "hunt.db")]);
    assert.equal(notFolder.code, 2);
    assert.match(notFolder.stderr, /^exifhunt: cannot watch .*stripped\.jpg: not a folder\n$/);
    const noDb = await runCli(["watch", dir]);
    assert.equal(noDb.code, 2);
    assert.match(noDb.stderr, /--db <file>/);
  });
});
