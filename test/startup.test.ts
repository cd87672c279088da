/**
 * What a scan loads at start-up: the hunt log's SQLite module and the archive readers only when a
 * scan needs them (--db, an archive met), since loading them is a share of every small scan's time.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CLI, FIXTURES, tempDir } from "./helpers.js";
import { buildZip } from "./support/zip-writer.js";

/**
 * Prints, as the process exits, the packages of every CommonJS module it loaded (one shared cache)
 * and Node's built-in modules (as `node:http`).
 */
const REPORT_LOADED = `data:text/javascript,${encodeURIComponent(`
import { createRequire } from "node:module";
const cache = createRequire("/").cache;
process.on("exit", () => {
  const packages = new Set(Object.keys(cache).map((path) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(path)?.[1]).filter(Boolean));
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith("NativeModule ")).map((entry) => "node:" + entry.slice("NativeModule ".length));
  process.stderr.write("loaded: " + JSON.stringify([...packages, ...builtins].sort()) + "\\n");
});`)}`;

/** What a Node process run with `nodeArgs` loaded, with its exit status and standard error. */
function loadedIn(nodeArgs: string[]): { loaded: string[]; status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", REPORT_LOADED, ...nodeArgs], { encoding: "utf8" });
  const line = result.stderr.split("\n").find((text) => text.startsWith("loaded: "));
  assert.ok(line !== undefined, `no report of loaded modules: ${result.stderr}`);
  return { loaded: JSON.parse(line.slice("loaded: ".length)) as string[], status: result.status, stderr: result.stderr };
}

function loadedBy(args: string[]): string[] {
  return loadedIn([CLI, ...args]).loaded;
}

const LAZY = ["better-sqlite3", "tar-stream", "yauzl", "node:http", "node:https", "node:tls", "node:zlib"];

describe("start-up", () => {
  it("a scan of a folder of photos loads neither SQLite, the archive readers nor Node's HTTP client", () => {
    const loaded = loadedBy(["scan", FIXTURES, "-f", "ndjson", "-q"]);
    assert.ok(loaded.includes("commander"), `the report sees CommonJS packages: ${loaded.join(", ")}`);
    for (const name of LAZY) assert.ok(!loaded.includes(name), `${name} was loaded`);
  });

  it("importing the library loads no SQLite until a database is opened", async () => {
    const library = new URL("../dist/index.js", import.meta.url).href;
    const root = await tempDir("exifhunt-startup-");
    const importOnly = loadedIn(["--input-type=module", "-e", `await import(${JSON.stringify(library)});`]);
    const opened = loadedIn(["--input-type=module", "-e", `const { HuntLog } = await import(${JSON.stringify(library)}); HuntLog.open(${JSON.stringify(join(root, "hunt.db"))}).close();`]);
    assert.equal(importOnly.status, 0, importOnly.stderr);
    assert.equal(opened.status, 0, opened.stderr);
    assert.ok(!importOnly.loaded.includes("better-sqlite3"), importOnly.stderr);
    assert.ok(opened.loaded.includes("better-sqlite3"), opened.stderr);
  });

  it("loads them when the scan needs them", async () => {
    const root = await tempDir("exifhunt-startup-");
    const zip = join(root, "photos.zip");
    await writeFile(zip, buildZip([{ name: "a.jpg", data: await readFile(`${FIXTURES}sony-d6503-released.jpg`) }]));
    assert.ok(loadedBy(["scan", zip, "-f", "ndjson", "-q"]).includes("yauzl"));
    assert.ok(loadedBy(["scan", `${FIXTURES}stripped.jpg`, "-f", "ndjson", "-q", "--db", join(root, "hunt.db")]).includes("better-sqlite3"));
    // A URL to a port nobody listens on: the request is made (and fails) all the same.
    const url = loadedBy(["scan", "http://127.0.0.1:9/photo.jpg", "-f", "ndjson", "-q", "--timeout", "5"]);
    assert.ok(url.includes("node:http"), url.join(", "));
  });
});

describe("the command line's bundle", () => {
  it("has every worker script beside the code that starts it", async () => {
    const folder = dirname(CLI);
    const files = await readdir(folder);
    let started = 0;
    for (const file of files.filter((name) => name.endsWith(".js"))) {
      const code = await readFile(join(folder, file), "utf8");
      for (const match of code.matchAll(/new URL\("\.\/([\w-]+\.js)", import\.meta\.url\)/g)) {
        started++;
        assert.ok(files.includes(match[1] ?? ""), `${file} starts ${String(match[1])}, which is not in ${folder}`);
      }
    }
    assert.equal(started, 2, "the triage pool's and the hashing thread's workers");
  });
});
