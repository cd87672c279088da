/**
 * The table as people read it (issue 16), through the real CLI: it fits the width, keeps the end
 * of a path, lists leaks first, and shows invisible characters instead of passing them on (issue 12).
 */
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { withExif } from "./exif-writer.js";
import { FIXTURES, runCli, tempDir } from "./helpers.js";

/** The writer stores Latin-1: UTF-8 bytes spelled as Latin-1 characters reach the tag as UTF-8. */
const utf8 = (text: string): string => Buffer.from(text, "utf8").toString("latin1");

async function photoFolder(): Promise<string> {
  const root = await tempDir("exifhunt-table-");
  const deep = join(root, "downloads", "flickr", "2013", "camera-samples", "phones");
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, "apple-iphone-15-pro-max-sample.jpg"), await readFile(`${FIXTURES}sony-d6503-released.jpg`));
  await writeFile(join(deep, "sony-z1-compact-prelaunch.jpg"), await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`));
  await writeFile(join(deep, "a-stripped.jpg"), await readFile(`${FIXTURES}stripped.jpg`));
  return root;
}

const longest = (text: string): number => Math.max(...text.split("\n").map((line) => Array.from(line).length));

describe("the table", () => {
  it("fits COLUMNS, else the terminal's width, else 100 columns", async () => {
    const folder = await photoFolder();
    const narrow = await runCli(["scan", folder, "-f", "table"], { env: { COLUMNS: "72" } });
    assert.equal(narrow.code, 0, narrow.stderr);
    assert.ok(longest(narrow.stdout) <= 72, narrow.stdout);
    const terminal = await runCli(["scan", folder], { env: { COLUMNS: "", NO_COLOR: "1" }, tty: 90 });
    assert.match(terminal.stdout, /VERDICT/, "a terminal gets the table by default");
    assert.ok(longest(terminal.stdout) <= 90, terminal.stdout);
    const pipe = await runCli(["scan", folder, "-f", "table"], { env: { COLUMNS: "" } });
    assert.ok(longest(pipe.stdout) <= 100, pipe.stdout);
    assert.ok(longest(pipe.stdout) > 72, "the room is used");
  });

  it("keeps the end of a path it must cut: the file name", async () => {
    const folder = await photoFolder();
    const result = await runCli(["scan", folder, "-f", "table"], { env: { COLUMNS: "80" } });
    for (const name of ["apple-iphone-15-pro-max-sample.jpg", "sony-z1-compact-prelaunch.jpg"]) {
      assert.match(result.stdout, new RegExp(`…\\S*${name.slice(-20).replace(/[.-]/g, "\\$&")}\\s`), result.stdout);
    }
    assert.doesNotMatch(result.stdout, /phones\/apple-iph…/);
  });

  it("lists leaks first, then suspicious, then the rest", async () => {
    const folder = await photoFolder();
    const result = await runCli(["scan", folder, "-f", "table"], { env: { COLUMNS: "120" } });
    const verdicts = result.stdout.split("\n").slice(1).map((line) => /^(leak|suspicious|known|unregistered|no-metadata|error)\s/.exec(line)?.[1]).filter((v) => v !== undefined);
    assert.deepEqual(verdicts, ["leak", "known", "no-metadata"], "a-stripped.jpg sorts first by name but is listed last");
  });

  it("shows ZWSP, BOM, RLM, ALM, U+2028 and other invisible characters as their code points", async () => {
    const dir = await tempDir();
    const photo = join(dir, "invisible.jpg");
    const model = "D55\u200b03\ufeff\u200f\u061c\u2028\u2066\u00ad\u{e0041}";
    await writeFile(photo, withExif(await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`), { make: "Sony", model: utf8(model), software: "14.2.A.0.204" }));
    const result = await runCli(["scan", photo, "-f", "table"], { env: { COLUMNS: "200" } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /D55\\u200B03\\uFEFF\\u200F\\u061C\\u2028\\u2066\\xAD\\u\{E0041\}/);
    for (const char of ["\u200b", "\ufeff", "\u200f", "\u061c", "\u2028", "\u2066", "\u00ad", "\u{e0041}"]) {
      assert.ok(!result.stdout.includes(char), `U+${char.codePointAt(0)?.toString(16) ?? ""} reached the table`);
    }
  });
});
