/**
 * The folder walk's census: what the listings read so far hold, and the guess it gives of the
 * whole walk's size (which decides whether a scan starts its workers at once).
 */
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { workersDue } from "../src/scan.js";
import { expandInputs, WalkCensus } from "../src/sources/index.js";
import { tempDir } from "./helpers.js";

/** A root holding `folders` folders of `files` files each, and one file of its own. */
async function tree(folders: number, files: number): Promise<string> {
  const root = await tempDir("exifhunt-census-");
  await writeFile(join(root, "a.jpg"), "x");
  for (let f = 0; f < folders; f++) {
    const folder = join(root, `f${String(f)}`);
    await mkdir(folder);
    for (let i = 0; i < files; i++) await writeFile(join(folder, `${String(i)}.jpg`), "x");
  }
  return root;
}

describe("the walk's census", () => {
  it("guesses the whole from the folders listed so far, and counts it exactly once all are listed", async () => {
    const root = await tree(4, 3);
    const census = new WalkCensus();
    const seen: number[] = [];
    for await (const source of expandInputs([root], { census })) {
      // The root's own file (a.jpg sorts first), then f0's first: the guesses as each is met.
      if (seen.length < 2) seen.push(census.expected());
      assert.ok(source.path !== undefined);
    }
    // At a.jpg only the root is listed: its one file, and four folders of one file each on average.
    // At f0's first file: 4 files in 2 folders listed, 3 folders waiting at 2 each.
    assert.deepEqual(seen, [1 + 4 * 1, 4 + 3 * 2]);
    assert.deepEqual({ files: census.files, listed: census.listed, waiting: census.waiting }, { files: 13, listed: 5, waiting: 0 });
    assert.equal(census.expected(), 13);
  });

  it("guesses nothing before any listing, and a named file is no listing", async () => {
    const root = await tree(0, 0);
    const census = new WalkCensus();
    assert.equal(census.expected(), 0);
    for await (const source of expandInputs([join(root, "a.jpg")], { census })) assert.ok(source.explicit);
    assert.equal(census.expected(), 0);
  });
});

describe("when a scan starts its workers", () => {
  it("past parallelAfter files, or at once when twice that many are expected, but not early with a hunt log", () => {
    const cases: [number, number, number | undefined, boolean, boolean][] = [
      // files met, parallelAfter, expected, hunt log, due
      [1, 8000, undefined, false, false],
      [8000, 8000, undefined, false, false],
      [8001, 8000, undefined, false, true],
      [1, 8000, 15_999, false, false],
      [1, 8000, 16_000, false, true],
      [1, 8000, 1_000_000, true, false],
      [8001, 8000, 1_000_000, true, true],
      [1, 50, 100, false, true],
    ];
    for (const [files, after, expected, reusing, due] of cases) {
      assert.equal(workersDue(files, after, expected, reusing), due, JSON.stringify({ files, after, expected, reusing }));
    }
  });
});
