/**
 * The Markdown report makes no link from photo data (issue 12, item 9), checked the way a reader
 * sees it: the report from the real CLI rendered by micromark with its GFM extension, which
 * implements GFM's autolink literals (bare https://…, www.…, name@host) as the spec defines them.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { escapeMarkdown } from "../src/report/escape.js";
import { withExif } from "./exif-writer.js";
import { FIXTURES, runCli, tempDir } from "./helpers.js";

function render(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

/** Every link or image the rendered HTML holds. */
function links(html: string): string[] {
  return [...html.matchAll(/<(?:a|img)\b[^>]*>/g)].map((match) => match[0]);
}

const HOSTILE = [
  "https://evil.example/a",
  "http://evil.example",
  "www.evil.example",
  "WWW.evil.example/x",
  "name@evil.example",
  "mailto:x@evil.example",
  "xmpp:x@evil.example",
  "![x](https://evil.example/p.png)",
  "!\\[x\\](https://evil.example/p.png)",
  "(www.evil.example)",
  "*https://evil.example*",
  "a|https://evil.example|b",
  "`https://evil.example`",
];

describe("Markdown reports link nowhere from photo data", () => {
  it("the GFM renderer does link these words when they are not escaped (the test can fail)", () => {
    for (const word of ["https://evil.example/a", "www.evil.example", "name@evil.example"]) {
      assert.equal(links(render(`see ${word} now`)).length, 1, word);
    }
  });

  it("escapeMarkdown renders each as text, in prose and in a table cell", () => {
    for (const word of HOSTILE) {
      const prose = render(`Model: ${escapeMarkdown(`D5503 ${word} tail`)}\n`);
      assert.deepEqual(links(prose), [], `${word} -> ${prose}`);
      const table = render(`| a | b |\n|---|---|\n| ${escapeMarkdown(word)} | x |\n`);
      assert.deepEqual(links(table), [], `${word} -> ${table}`);
      assert.match(table, /<td>[^<]*(<code>[^<]*<\/code>[^<]*)*<\/td>\s*<td>x<\/td>/, `${word}: one cell, not split by a pipe`);
    }
  });

  it("the md report of photos whose Make, Model and Software are links has no link or image", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "dump"));
    const base = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    const photos: [string, { make: string; model: string; software: string }][] = [
      ["a.jpg", { make: "Sony", model: "D5503 https://evil.example/a www.evil.example b@evil.example", software: "14.2.A.0.204 ![x](https://evil.example/p.png)" }],
      ["b.jpg", { make: "www.evil.example", model: "mailto:x@evil.example", software: "http://evil.example" }],
      // A model inside Sony's numbering that no registry lists: its message quotes the model.
      ["c.jpg", { make: "Sony", model: "D6999", software: "https://evil.example/fw" }],
      ["d.jpg", { make: "Sony https://evil.example/make", model: "D5503", software: "14.2.A.0.204" }],
    ];
    for (const [name, tags] of photos) await writeFile(join(dir, "dump", name), withExif(base, tags));
    const result = await runCli(["scan", join(dir, "dump"), "-f", "md"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /evil\.example/, "the hostile text is in the report");
    const html = render(result.stdout);
    assert.deepEqual(links(html), []);
    assert.ok(html.includes("https://evil.example/a"), "shown as text");
  });
});
