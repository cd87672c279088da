/**
 * Folders as users have them: symlink loops, folders linked twice, interrupted runs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { link, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { scan } from "../src/scan.js";
import { CLI, FIXTURES, parseNdjson, tempDir } from "./helpers.js";

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

  it("names a folder given twice once", async () => {
    const root = await photoTree();
    const { records } = await scan([root, join(root, "a")]);
    assert.equal(records.length, 2);
  });
});

describe("interruption", () => {
  async function bigFolder(count: number): Promise<string> {
    const root = await tempDir("exifhunt-many-");
    for (let i = 0; i < count; i++) await link(`${FIXTURES}sony-d5503-prelaunch.jpg`, join(root, `p${String(i).padStart(5, "0")}.jpg`));
    return root;
  }

  function interrupt(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let sent = false;
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (!sent && stdout.includes("\n")) {
          sent = true;
          child.kill(signal);
        }
      });
      child.on("error", reject);
      child.on("close", (code) => {
        resolve({ code, stdout });
      });
      // For --out runs nothing reaches stdout: interrupt once the scan is under way.
      if (args.includes("--out")) {
        setTimeout(() => {
          sent = true;
          child.kill(signal);
        }, 600);
      }
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
    const { code } = await interrupt(["scan", root, "--out", join(outDir, "scan.json"), "--deep", "-c", "2"], "SIGTERM");
    assert.equal(code, 143);
    assert.deepEqual(await readdir(outDir), []);
  });
});
