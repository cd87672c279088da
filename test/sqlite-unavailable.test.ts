/**
 * An install where better-sqlite3's native module was never built (no compiler, a failed
 * `npm ci`): scans without --db and the library's scan still work, and --db says what is missing
 * and how to build it, in one sentence with exit 2.
 *
 * The install is real: a folder with the built package and every dependency linked from this
 * checkout, except better-sqlite3, which is copied without its native build (build/) or its sources.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdir, readdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FIXTURES, tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PHOTO = `${FIXTURES}sony-d5503-prelaunch.jpg`;

let install = "";

before(async () => {
  install = await tempDir("exifhunt-no-sqlite-");
  // Copied, not linked: Node resolves a module by its real path, and from the checkout's dist the
  // checkout's own node_modules would be found.
  for (const entry of ["dist", "package.json"]) await cp(join(ROOT, entry), join(install, entry), { recursive: true });
  for (const entry of ["registry", "schema"]) await symlink(join(ROOT, entry), join(install, entry));
  const modules = join(install, "node_modules");
  await mkdir(modules);
  for (const name of await readdir(join(ROOT, "node_modules"))) {
    if (name === "better-sqlite3" || name.startsWith(".")) continue;
    await symlink(join(ROOT, "node_modules", name), join(modules, name));
  }
  const sqlite = join(ROOT, "node_modules", "better-sqlite3");
  const left = ["build", "deps", "src"].map((folder) => join(sqlite, folder));
  await cp(sqlite, join(modules, "better-sqlite3"), { recursive: true, filter: (source) => !left.includes(source) });
});

function cli(...args: string[]): ReturnType<typeof spawnSync> {
  return spawnSync(process.execPath, [join(install, "dist", "bin", "cli.js"), ...args], { encoding: "utf8" });
}

describe("without SQLite's native module", () => {
  it("scans without --db as ever", () => {
    const result = cli("scan", PHOTO, "-f", "ndjson", "-q");
    assert.equal(result.status, 0, String(result.stderr));
    const record = JSON.parse(String(result.stdout)) as { camera: { model: string } };
    assert.equal(record.camera.model, "D5503");
  });

  it("scans through the library, and HuntLog.open says what is missing", async () => {
    const database = join(await tempDir("exifhunt-no-sqlite-db-"), "hunt.db");
    const library = new URL(`file://${join(install, "dist", "index.js")}`).href;
    const code = `const { scan, HuntLog } = await import(${JSON.stringify(library)});
const { records } = await scan([${JSON.stringify(PHOTO)}]);
let message = "opened";
try { HuntLog.open(${JSON.stringify(database)}).close(); } catch (error) { message = error.name + ": " + error.message; }
console.log(JSON.stringify({ model: records[0].camera.model, message }));`;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const { model, message } = JSON.parse(result.stdout) as { model: string; message: string };
    assert.equal(model, "D5503");
    assert.match(message, /^DatabaseError: the hunt log needs SQLite .*better-sqlite3.*could not be loaded \(.+\); `npm rebuild better-sqlite3` builds it/);
  });

  it("--db ends with exit 2 and one sentence, before any output", async () => {
    const database = join(await tempDir("exifhunt-no-sqlite-db-"), "hunt.db");
    const result = cli("scan", PHOTO, "-f", "ndjson", "-q", "--db", database);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, "");
    const lines = String(result.stderr).trim().split("\n");
    assert.equal(lines.length, 1, String(result.stderr));
    assert.match(lines[0] ?? "", /^exifhunt: the hunt log needs SQLite .*npm rebuild better-sqlite3/);
  });
});
