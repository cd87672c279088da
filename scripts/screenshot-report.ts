/**
 * Renders the HTML report for ../shared/scenarios and screenshots it in headless Chromium:
 * docs/report-screenshot.png, shown in the README.
 *
 *   node --import tsx scripts/screenshot-report.ts
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { photoEvidence } from "../src/photo-evidence.js";
import { loadRegistry } from "../src/registry/index.js";
import { buildReportModel } from "../src/report/model.js";
import { renderHtml } from "../src/report/html.js";
import { reportProvenance } from "../src/cli/provenance.js";
import { scan } from "../src/scan.js";
import { launchChromium } from "../test/browser.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
process.chdir(ROOT);
const registry = await loadRegistry();
// A relative path, as a user would type it: the report shows sources as given.
const { records, summary } = await scan(["../shared/scenarios"], { registry });
const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { version: string };
// The report as `exifhunt scan ../shared/scenarios --format html` would make it (SOURCE_DATE_EPOCH pins the date).
const provenance = reportProvenance(version, ["scan", "../shared/scenarios", "--format", "html", "--out", "report.html"], process.env, new Date());
const model = await buildReportModel({ records, registryVersion: summary.registry, registry, evidence: photoEvidence(), provenance });
const directory = await mkdtemp(join(tmpdir(), "exifhunt-screenshot-"));
const page = join(directory, "report.html");
await writeFile(page, renderHtml(model));
const browser = await launchChromium();
try {
  const tab = await browser.newPage({ viewport: { width: 1100, height: 1500 }, deviceScaleFactor: 1 });
  await tab.goto(pathToFileURL(page).href);
  await tab.screenshot({ path: join(ROOT, "docs/report-screenshot.png"), fullPage: false });
  console.log("docs/report-screenshot.png");
} finally {
  await browser.close();
  await rm(directory, { recursive: true, force: true });
}
