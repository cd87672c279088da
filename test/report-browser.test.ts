/**
 * The HTML report in real headless Chromium: it opens offline with no request leaving the file,
 * shows every section, a thumbnail and the reasons for every flagged photo, and a photo whose
 * EXIF holds markup injects nothing.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumSkip, launchChromium } from "./browser.js";
import { withExif } from "./exif-writer.js";
import { FIXTURES, runCli, sharedSkip, SHARED } from "./helpers.js";

const skip = chromiumSkip !== false ? chromiumSkip : sharedSkip;

const SCRIPT = `<script>document.title='pwned';window.injected=1</script>`;
const IMG = `<img src=x onerror="document.title='pwned';window.injected=2">`;
/** Control bytes (ESC starts terminal escape sequences; 0x85 is a C1 control) and a huge run. */
const BINARY = `\u0001\u001b[31m\u0085${"Z".repeat(5000)}`;

interface PageFacts {
  requests: string[];
  dialogs: string[];
  errors: string[];
}

describe("HTML report in Chromium", { skip }, () => {
  let work: string;
  let report: string;
  let browser: Browser;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "exifhunt-browser-"));
    const evil = join(work, "markup");
    await mkdir(evil);
    const base = await readFile(join(FIXTURES, "sony-d6503-released.jpg"));
    // Flagged: a vendor whose registry claims every model, so this unknown model is a leak and
    // its strings reach the device heading, the card, the timeline and the metadata appendix.
    await writeFile(join(evil, "markup-leak.jpg"), withExif(base, { make: "Evil Corp", model: `${SCRIPT}${IMG}`, software: `${IMG}"'&${BINARY}`, dateTimeOriginal: "2014:03:01 12:00:00" }));
    // Not flagged: shown in the summary's device table only.
    await writeFile(join(evil, "markup-sony.jpg"), withExif(base, { make: "Sony", model: IMG, software: SCRIPT, dateTimeOriginal: "2014:03:01 12:00:00" }));
    const registry = join(work, "evil-registry.json");
    await writeFile(registry, JSON.stringify({ vendor: "Evil Corp", makes: ["Evil Corp"], coverage: { modelPattern: "." }, devices: [] }));
    report = join(work, "report.html");
    const scanned = await runCli(["scan", join(SHARED, "scenarios"), evil, "--registry", registry, "--format", "html", "--out", report]);
    assert.equal(scanned.code, 0, scanned.stderr);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  });

  async function open(): Promise<{ page: import("playwright-core").Page; facts: PageFacts }> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const facts: PageFacts = { requests: [], dialogs: [], errors: [] };
    page.on("request", (request) => facts.requests.push(request.url()));
    page.on("dialog", (dialog) => {
      facts.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on("pageerror", (error) => facts.errors.push(error.message));
    await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
    return { page, facts };
  }

  it("makes no request beyond the file itself and data: URIs", async () => {
    const { page, facts } = await open();
    const self = pathToFileURL(report).href;
    assert.ok(facts.requests.includes(self), `the page itself was requested: ${facts.requests.join(", ")}`);
    const elsewhere = facts.requests.filter((url) => url !== self && !url.startsWith("data:"));
    assert.deepEqual(elsewhere, []);
    await page.close();
  });

  it("shows the sections, a thumbnail and the reasons for every flagged photo", async () => {
    const { page } = await open();
    const expected = JSON.parse(await readFile(join(SHARED, "scenarios/expected.json"), "utf8")) as Record<string, { leak: boolean; codes: string[] }>;
    const leaks = Object.entries(expected).filter(([, entry]) => entry.leak);
    for (const id of ["summary", "timeline", "appendix"]) assert.equal(await page.locator(`section#${id}`).count(), 1, id);
    const headings = await page.locator("section.device > h2").allInnerTexts();
    for (const device of ["Sony Xperia Z1 Compact", "Sony Xperia Z2", "Sony D6999"]) {
      assert.ok(headings.some((heading) => heading.startsWith(device)), `${device} in ${headings.join(" / ")}`);
    }
    // Page scripts are strings: the project compiles without the DOM's types.
    const cards = await page.evaluate<{ source: string; loaded: boolean; reasons: string[] }[]>(`[...document.querySelectorAll("article.photo")].map((article) => {
      const image = article.querySelector(".thumb img");
      return {
        source: article.querySelector("h3 code")?.textContent ?? "",
        loaded: image !== null && image.complete && image.naturalWidth > 0,
        reasons: [...article.querySelectorAll(".findings li")].map((item) => item.textContent),
      };
    })`);
    // Every scenario leak and the staged markup leak.
    assert.equal(cards.length, leaks.length + 1, JSON.stringify(cards.map((card) => card.source)));
    for (const card of cards) {
      assert.ok(card.loaded, `thumbnail of ${card.source}`);
      assert.ok(card.reasons.length > 0, `reasons for ${card.source}`);
    }
    for (const [name, { codes }] of leaks) {
      const card = cards.find((candidate) => candidate.source.endsWith(`/${name}`));
      assert.ok(card, name);
      for (const code of codes) assert.ok(card.reasons.some((reason) => reason.includes(code)), `${name}: ${code}`);
    }
    await page.screenshot({ path: join(work, "report.png"), fullPage: true });
    assert.ok((await readFile(join(work, "report.png"))).length > 10_000);
    await page.close();
  });

  it("shows markup from EXIF as text and runs none of it", async () => {
    const { page, facts } = await open();
    const state = await page.evaluate<{ scripts: number; imgX: number; handlers: number; title: string; injected: number | null; text: string }>(`({
      scripts: document.querySelectorAll("script").length,
      imgX: document.querySelectorAll('img[src="x"], img:not([src^="data:"])').length,
      handlers: [...document.querySelectorAll("*")].filter((element) => [...element.attributes].some((attribute) => attribute.name.startsWith("on"))).length,
      title: document.title,
      injected: window.injected ?? null,
      text: document.body.innerText,
    })`);
    assert.equal(state.scripts, 0);
    assert.equal(state.imgX, 0);
    assert.equal(state.handlers, 0);
    assert.equal(state.injected, null);
    assert.doesNotMatch(state.title, /pwned/);
    assert.deepEqual(facts.dialogs, []);
    assert.deepEqual(facts.errors, []);
    // The strings are there, as text: in the heading, the card and the appendix.
    assert.ok(state.text.includes(`Evil Corp ${SCRIPT}${IMG}`), "model shown as text");
    // exifr decodes the stray byte 0x85 as UTF-8, which makes it U+FFFD.
    assert.ok(state.text.includes(`${IMG}"'&\\x01\\x1B[31m\uFFFDZZZ`), "software shown as text, control bytes visible");
    assert.match(state.text, /ZZZ… \[\d+ more characters cut\]/);
    assert.ok(state.text.includes(`ifd0:Model`));
    await page.close();
  });
});
