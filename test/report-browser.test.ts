/**
 * The HTML report in real headless Chromium: it opens offline with no request leaving the file,
 * shows every section, a thumbnail and the reasons for every flagged photo, and a photo whose
 * EXIF holds markup injects nothing.
 */
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { chromiumSkip, launchChromium } from "./browser.js";
import { withExif } from "./exif-writer.js";
import { FIXTURES, runCli, sharedSkip, SHARED } from "./helpers.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

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

/**
 * Issue 18's parts of the report in Chromium: five copies of one leak photo as one card listing
 * the five paths, a gallery-dl sidecar's upload date, a URL photo (served by a loopback server)
 * with its thumbnail and Last-Modified, the SVG timelines, the firmware family of an unknown
 * model, and the provenance (version and date, pinned with SOURCE_DATE_EPOCH).
 */
describe("HTML report of sightings in Chromium", { skip: chromiumSkip }, () => {
  let work: string;
  let report: string;
  let browser: Browser;
  let server: LoopbackServer;
  let url: string;
  const dump: string[] = [];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "exifhunt-browser-sightings-"));
    for (const folder of ["a", "b", "c", "d", "e"]) {
      await mkdir(join(work, "dump", folder), { recursive: true });
      const path = join(work, "dump", folder, "leak.jpg");
      await copyFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"), path);
      dump.push(path);
    }
    await writeFile(`${dump[0] ?? ""}.json`, JSON.stringify({ category: "flickr", id: 10484738726, date: "2013-10-25 08:14:02", owner: { username: "leakhunter" }, url: "https://live.staticflickr.com/5521/10484738726_0123456789_o.jpg", title: "new phone" }));
    server = await startLoopbackServer({ roots: { fixtures: FIXTURES } });
    url = `${server.origin}/files/fixtures/sony-d6503-unknown-firmware.jpg?lm=2016-11-05`;
    report = join(work, "report.html");
    const scanned = await runCli(["scan", join(work, "dump"), join(FIXTURES, "sony-e9999-z5-compact-firmware.jpg"), url, "--format", "html", "--out", report], { env: { SOURCE_DATE_EPOCH: "1796126400" } });
    assert.equal(scanned.code, 0, scanned.stderr);
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it("shows the sightings, copies as one card, publication evidence, the URL photo and the provenance", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
    // Opened offline: the URL photo's thumbnail is in the file, not fetched by the page.
    assert.deepEqual(requests.filter((address) => address !== pathToFileURL(report).href && !address.startsWith("data:")), []);
    const cards = await page.evaluate<{ source: string; places: string[]; loaded: boolean; text: string }[]>(`[...document.querySelectorAll("article.photo")].map((article) => {
      const image = article.querySelector(".thumb img");
      return {
        source: article.querySelector("h3 code")?.textContent ?? "",
        places: [...article.querySelectorAll(".places li")].map((item) => item.textContent),
        loaded: image !== null && image.complete && image.naturalWidth > 0,
        text: article.innerText,
      };
    })`);
    assert.equal(cards.length, 3, JSON.stringify(cards.map((card) => card.source)));
    const copies = cards.find((card) => card.places.length > 0);
    assert.deepEqual(copies?.places, dump);
    assert.ok(copies.loaded);
    assert.match(copies.text, /Found at\s+5 places, the same file/);
    assert.match(copies.text, /uploaded to Flickr by leakhunter on 2013-10-25 08:14:02 UTC \(the site's upload date, from .*leak\.jpg\.json\)/);
    assert.ok(copies.text.includes("Uploaded before the announcement"), "the finding");
    const fetched = cards.find((card) => card.source === url);
    assert.ok(fetched?.loaded, "the URL photo's thumbnail");
    assert.match(fetched.text, /answered HTTP 206, Content-Type image\/jpeg, Last-Modified Sat, 05 Nov 2016 12:00:00 GMT/);
    assert.match(fetched.text, /fetched again for this report at \d{4}-\d{2}-\d{2}T[\d:.]+Z: HTTP 206/);

    const sections = await page.evaluate<{ heading: string; status: string; facts: string; svg: { width: number; marks: number; flagged: number; titles: string[] } | null }[]>(`[...document.querySelectorAll("section.device")].map((section) => {
      const svg = section.querySelector("svg.timeline-svg");
      return {
        heading: section.querySelector("h2")?.textContent ?? "",
        status: section.querySelector("p.status")?.textContent ?? "",
        facts: section.querySelector("dl.sighting")?.innerText ?? "",
        svg: svg === null ? null : {
          width: svg.getBoundingClientRect().width,
          marks: svg.querySelectorAll("g.captured, g.published, g.milestone").length,
          flagged: svg.querySelectorAll("g.captured.flagged").length,
          titles: [...svg.querySelectorAll("title")].map((title) => title.textContent),
        },
      };
    })`);
    const z1c = sections.find((section) => section.heading.startsWith("Sony Xperia Z1 Compact"));
    assert.match(z1c?.status ?? "", /^1 photo \(5 copies\): 1 leak/);
    const row = await page.evaluate<string>(`[...document.querySelectorAll("table.devices tbody tr")].find((tr) => tr.innerText.startsWith("Sony Xperia Z1 Compact"))?.innerText ?? ""`);
    assert.match(row, /^Sony Xperia Z1 Compact\tlisted\t1 photo \(5 copies\)\t1\t0\t$/);
    // One capture (the five copies are one photo), the upload, the announcement and the release.
    assert.equal(z1c?.svg?.marks, 4);
    assert.equal(z1c.svg.flagged, 1);
    assert.ok(z1c.svg.width > 300, String(z1c.svg.width));
    assert.ok(z1c.svg.titles.some((title) => title.startsWith("shot 2013-10-22 14:05:11")), z1c.svg.titles.join(" / "));
    assert.ok(z1c.svg.titles.some((title) => title.startsWith("uploaded to flickr 2013-10-25")), z1c.svg.titles.join(" / "));
    const e9999 = sections.find((section) => section.heading.startsWith("Sony E9999"));
    assert.match(e9999?.facts ?? "", /Family\s+firmware 32\.1\.A\.1\.185 is a public build of Xperia Z5 Compact/);
    assert.ok(sections.every((section) => section.svg !== null), "every section has its timeline");

    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const text = await page.evaluate<string>("document.body.innerText");
    assert.ok(text.includes(`Made by exifhunt ${version} on 2026-12-01 12:00:00 UTC.`), "version and date in the header");
    assert.match(text, /Command\s+exifhunt scan .*--format html --out .*report\.html/);
    await page.close();
  });
});
