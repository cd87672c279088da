/**
 * Reports on archive entries: the HTML report of a zip, in real headless Chromium, shows a loaded
 * thumbnail and the tag dump of every flagged entry (nested ones included), and `exifhunt report`
 * rebuilds the same report from a saved scan by reading the entries again from the archive.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { recordProblem } from "../src/sources/saved.js";
import { chromiumSkip, launchChromium } from "./browser.js";
import { FIXTURES, MADE_AT, parseNdjson, runCli, tempDir, withoutCommand } from "./helpers.js";
import { buildZip } from "./support/zip-writer.js";

const LEAKS = ["sony-d5503-prelaunch.jpg", "sony-d6503-unknown-firmware.jpg", "sony-d6999-unknown-model.jpg"];

async function fixture(name: string): Promise<Buffer> {
  return readFile(join(FIXTURES, name));
}

describe("reports of archive entries", () => {
  let dir: string;
  let zip: string;

  before(async () => {
    dir = await tempDir();
    zip = join(dir, "dump.zip");
    // Another photo than the outer entries: a copy would be merged into their card (sightings).
    const inner = buildZip([{ name: "inner.jpg", data: await fixture("sony-e9999-z5-compact-firmware.jpg") }]);
    await writeFile(zip, buildZip([
      ...(await Promise.all(LEAKS.map(async (name, i) => ({ name: `DCIM/${name}`, data: await fixture(name), method: i % 2 === 0 ? (8 as const) : (0 as const) })))),
      { name: "DCIM/sony-d6503-released.jpg", data: await fixture("sony-d6503-released.jpg") },
      { name: "backup/phone.zip", data: inner },
    ]));
  });

  it("exifhunt report reads the flagged entries again from a saved scan: the same HTML as the scan's", async () => {
    const saved = join(dir, "scan.ndjson");
    const scanned = await runCli(["scan", zip, "--format", "ndjson", "--out", saved]);
    assert.equal(scanned.code, 0, scanned.stderr);
    const records = parseNdjson<{ source: string; verdict: string; sha256: string | null }>(await readFile(saved, "utf8"));
    assert.equal(records.filter((r) => r.verdict === "leak").length, 4);
    assert.ok(records.filter((r) => r.verdict === "leak").every((r) => r.sha256 !== null));
    const direct = join(dir, "direct.html");
    const fromScan = await runCli(["scan", zip, "--format", "html", "--out", direct], { env: MADE_AT });
    assert.equal(fromScan.code, 0, fromScan.stderr);
    const rebuilt = join(dir, "rebuilt.html");
    const reported = await runCli(["report", saved, "--out", rebuilt], { env: MADE_AT });
    assert.equal(reported.code, 0, reported.stderr);
    const html = await readFile(rebuilt, "utf8");
    assert.doesNotMatch(html, /not read again|no longer reachable|changed since the scan/);
    assert.equal(withoutCommand(html), withoutCommand(await readFile(direct, "utf8")));
    // A saved line whose custody is broken is refused, naming the field, before anything is opened.
    const line = JSON.parse((await readFile(saved, "utf8")).split("\n")[0] ?? "") as { archive: Record<string, unknown> };
    assert.equal(recordProblem(line), null);
    assert.equal(recordProblem({ ...line, archive: { ...line.archive, position: ["../x"] } }), `field "archive.position" is missing or has the wrong type`);
  });

  it("says so when the archive changed since the scan", async () => {
    const copy = join(dir, "changing.zip");
    await writeFile(copy, await readFile(zip));
    const saved = join(dir, "changing.ndjson");
    assert.equal((await runCli(["scan", copy, "--format", "ndjson", "--out", saved])).code, 0);
    // The same names, other photos: each entry is found again, its SHA-256 no longer matches.
    await writeFile(copy, buildZip(await Promise.all([...LEAKS, "sony-d6503-released.jpg"].map(async (name) => ({ name: `DCIM/${name}`, data: await fixture("stripped.jpg") })))));
    const reported = await runCli(["report", saved, "--out", join(dir, "changing.html")]);
    assert.equal(reported.code, 0, reported.stderr);
    const html = await readFile(join(dir, "changing.html"), "utf8");
    assert.match(html, /changed since the scan/);
  });

  describe("in Chromium", { skip: chromiumSkip }, () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser.close();
    });

    it("shows a loaded thumbnail and the reasons for every flagged entry", async () => {
      const report = join(dir, "browser.html");
      const scanned = await runCli(["scan", zip, "--format", "html", "--out", report]);
      assert.equal(scanned.code, 0, scanned.stderr);
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
      const cards = await page.evaluate<{ source: string; loaded: boolean; reasons: number }[]>(`[...document.querySelectorAll("article.photo")].map((article) => {
        const image = article.querySelector(".thumb img");
        return {
          source: article.querySelector("h3 code")?.textContent ?? "",
          loaded: image !== null && image.complete && image.naturalWidth > 0,
          reasons: article.querySelectorAll(".findings li").length,
        };
      })`);
      assert.deepEqual(cards.map((card) => card.source.slice(zip.length)).sort(), ["!/DCIM/sony-d5503-prelaunch.jpg", "!/DCIM/sony-d6503-unknown-firmware.jpg", "!/DCIM/sony-d6999-unknown-model.jpg", "!/backup/phone.zip!/inner.jpg"]);
      for (const card of cards) {
        assert.ok(card.loaded, `thumbnail of ${card.source}`);
        assert.ok(card.reasons > 0, `reasons for ${card.source}`);
      }
      assert.deepEqual(requests.filter((url) => !url.startsWith("data:") && url !== pathToFileURL(report).href), []);
      await page.close();
    });
  });
});
