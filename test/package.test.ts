/**
 * What `npm install exifhunt` gets: the LICENSE package.json names, and every file the README
 * links to (issue 16: the package left out docs/).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import { ROOT } from "./helpers.js";

describe("the npm package", () => {
  it("holds the MIT LICENSE and every file the README and SECURITY.md link to", async () => {
    // --ignore-scripts: listing the package must not run the build (prepare).
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const [pack] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const files = new Set(pack.files.map((file) => file.path));
    assert.ok(files.has("LICENSE"));
    assert.match(await readFile(`${ROOT}LICENSE`, "utf8"), /^MIT License\n/);
    const { license } = JSON.parse(await readFile(`${ROOT}package.json`, "utf8")) as { license: string };
    assert.equal(license, "MIT");
    for (const doc of ["README.md", "SECURITY.md"]) {
      const text = await readFile(`${ROOT}${doc}`, "utf8");
      const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] ?? "").filter((target) => !/^[a-z]+:/.test(target));
      assert.ok(targets.length > 0, doc);
      for (const target of targets) assert.ok(files.has(target), `${doc} links to ${target}, which the package lacks`);
    }
  });
});
