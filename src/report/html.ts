/**
 * The HTML evidence report: one self-contained file that opens offline. Inline CSS, no script,
 * no request to anything but `data:` URIs (a strict Content-Security-Policy says so to the
 * browser too). A pure function of the report model: every string is escaped by `html` below.
 */
import { VERDICTS_BY_RANK, type Finding, type Verdict } from "../record.js";
import { escapeHtml } from "./escape.js";
import { SAFE_IMAGE_DATA_URI } from "./evidence-provider.js";
import { groupDigits } from "./text.js";
import { TIMELINE_STYLE } from "./timeline-svg.js";
import { plural } from "../util/words.js";
import { findingTitle, VERDICT_MEANINGS, verdictSummary } from "./legend.js";
import type { AppendixEntry, DeviceReport, ModeCount, PhotoReport, ReportModel, TimelineEntry, ValueCount } from "./model-types.js";

/** Markup this module wrote; anything else interpolated into `html` is text and gets escaped. */
class Html {
  constructor(readonly markup: string) {}
}

type Part = Html | string | number | null | undefined | readonly Part[];

function toMarkup(part: Part): string {
  if (part === null || part === undefined) return "";
  if (part instanceof Html) return part.markup;
  if (typeof part === "number") return String(part);
  if (typeof part === "string") return escapeHtml(part);
  return part.map(toMarkup).join("");
}

/** A template whose interpolations are escaped unless they are Html themselves. */
function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += toMarkup(value) + (strings[index + 1] ?? "");
  });
  return new Html(out);
}

/** The policy the page declares: images only from data: URIs, inline styles, nothing else. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --line: #d5d9de; --leak: #b3261e; --sus: #9a5b00; --ok: #2e6b30; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 0 0 6px; overflow-wrap: anywhere; }
a { color: #0b57d0; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
.lede { color: var(--muted); margin: 0 0 12px; }
nav ol { margin: 4px 0; padding-left: 20px; columns: 2; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #f3f5f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 4px; padding: 0 6px; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; }
.v-leak { color: var(--leak); } .v-suspicious { color: var(--sus); } .v-known { color: var(--ok); }
.v-unregistered, .v-no-metadata, .v-error { color: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; }
.legend { color: var(--muted); font-size: 13px; padding-left: 20px; }
.status { color: var(--muted); margin: 0 0 8px; }
.photo { display: grid; grid-template-columns: 260px 1fr; gap: 16px; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 12px 0; break-inside: avoid; }
.thumb { margin: 0; }
.thumb img { display: block; max-width: 240px; max-height: 240px; border: 1px solid var(--line); }
.thumb figcaption, .missing { color: var(--muted); font-size: 13px; }
.missing { border: 1px dashed var(--line); padding: 16px 8px; width: 240px; text-align: center; }
.findings { margin: 6px 0; padding-left: 20px; }
.findings li { margin: 2px 0; }
.sev { font-size: 12px; color: var(--muted); }
.sev-high .sev { color: var(--leak); font-weight: 600; }
.timing { margin: 6px 0; }
.evidence { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 6px 0 0; font-size: 14px; }
.evidence dt { color: var(--muted); } .evidence dd { margin: 0; overflow-wrap: anywhere; }
.ctl { border: 1px solid var(--sus); border-radius: 2px; color: var(--sus); padding: 0 1px; }
.flag { color: var(--leak); font-weight: 600; }
/* Fixed layouts: a huge unbreakable string from a photo must not squeeze the other columns. */
table.compare, table.devices, table.others, table.timeline, table.errors, table.tags { table-layout: fixed; }
.compare th:first-child { width: 14%; }
.devices th:nth-child(1) { width: 34%; } .devices th:nth-child(2) { width: 15%; } .devices th:nth-child(3), .devices th:nth-child(4) { width: 9%; } .devices th:nth-child(5) { width: 12%; }
.others th:nth-child(1) { width: 50%; } .others th:nth-child(2) { width: 14%; }
.timeline th:nth-child(1) { width: 16%; } .timeline th:nth-child(2) { width: 42%; }
.errors th:nth-child(1) { width: 40%; } .errors th:nth-child(2) { width: 15%; }
.tags th { width: 34%; font-weight: normal; color: var(--muted); }
.tags td, .tags th { padding: 1px 8px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.warning { border-left: 4px solid var(--sus); padding: 4px 12px; background: #fff8ec; }
.places { margin: 0; padding-left: 18px; }
.sighting { margin: 4px 0 8px; }
.provenance code { font-size: 12px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { .photo { grid-template-columns: 1fr; } nav ol { columns: 1; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  .device { break-before: page; }
  .photo, tr, .facts { break-inside: avoid; }
  thead th, .warning { background: none; }
}
`;

/** The longest untrusted string shown in headings, tables and lists; cards and the appendix show more. */
const SHORT_CHARS = 160;

function short(text: string): Html {
  return new Html(escapeHtml(text, SHORT_CHARS));
}

/** Fields of a photo card: room for a long path, not for a megabyte of Software tag. */
const CARD_CHARS = 400;

function medium(text: string): Html {
  return new Html(escapeHtml(text, CARD_CHARS));
}

function badge(verdict: Verdict): Html {
  return html`<span class="badge v-${verdict}">${verdict}</span>`;
}

function deviceLabel(device: DeviceReport): Html {
  return short(device.vendor === null ? device.name : `${device.vendor} ${device.name}`);
}

function summarySection(model: ReportModel): Html {
  const sighted = model.devices.length;
  const withLeaks = model.devices.filter((device) => device.counts.leak > 0).length;
  const rows = model.devices.map((device) => {
    const label = deviceLabel(device);
    const name = device.flagged.length > 0 ? html`<a href="#${device.anchor}">${label}</a>` : html`${label}`;
    const others = VERDICTS_BY_RANK.filter((verdict) => verdict !== "leak" && verdict !== "suspicious" && device.counts[verdict] > 0)
      .map((verdict) => `${String(device.counts[verdict])} ${verdict}`)
      .join(", ");
    return html`<tr><td>${name}</td><td>${device.kind === "registered" ? "listed" : device.kind === "unknown-model" ? "unknown model" : "unregistered"}</td><td class="num">${device.photoCount}</td><td class="num">${device.counts.leak}</td><td class="num">${device.counts.suspicious}</td><td>${others}</td></tr>`;
  });
  const legend = VERDICTS_BY_RANK.map((verdict) => html`<li>${badge(verdict)} ${VERDICT_MEANINGS[verdict]}</li>`);
  return html`<section id="summary">
<h2>Summary</h2>
<dl class="facts">
<dt>Photos scanned</dt><dd>${groupDigits(model.photos)}</dd>
<dt>Verdicts</dt><dd>${VERDICTS_BY_RANK.filter((verdict) => model.verdicts[verdict] > 0).map((verdict, index) => html`${index === 0 ? "" : " · "}${badge(verdict)} ${model.verdicts[verdict]}`)}</dd>
<dt>Devices sighted</dt><dd>${sighted === 0 ? "none" : `${plural(sighted, "camera")}, ${String(withLeaks)} with leaks`}</dd>
<dt>Registry</dt><dd><code>${model.registryVersion}</code></dd>
${model.provenance === null ? null : html`<dt>Made by</dt><dd class="provenance">exifhunt ${model.provenance.version}, ${madeAt(model.provenance.madeAt)}</dd>
<dt>Command</dt><dd class="provenance"><code>${model.provenance.command}</code></dd>`}
</dl>
${model.unavailable > 0 ? html`<p class="warning">${plural(model.unavailable, "flagged photo")} could not be shown with ${model.unavailable === 1 ? "its" : "their"} evidence: see the notes beside ${model.unavailable === 1 ? "it" : "them"}.</p>` : null}
${model.evidenceGathered ? null : html`<p class="warning">This report was built without reading the photos again: no thumbnails and no metadata appendix.</p>`}
${sighted === 0 ? html`<p>No photo carries a camera make or model.</p>` : html`<table class="devices">
<thead><tr><th>Device</th><th>Registry</th><th class="num">Photos</th><th class="num">Leak</th><th class="num">Suspicious</th><th>Other verdicts</th></tr></thead>
<tbody>
${rows.map((row) => html`${row}\n`)}</tbody>
</table>`}
<ul class="legend">${legend}</ul>
</section>`;
}

/** `2026-12-01T19:40:00Z` -> `2026-12-01 19:40:00 UTC`. */
function madeAt(time: string): string {
  return `${time.slice(0, 10)} ${time.slice(11, 19)} UTC`;
}

function values(counts: readonly ValueCount[], unit: string): Html {
  if (counts.length === 0) return html`<span class="status">none</span>`;
  return html`${counts.map((count, index) => html`${index === 0 ? "" : html`<br>`}<code>${short(count.value)}</code> (${plural(count.photos, unit)}${count.flagged > 0 ? html`, <span class="flag">${count.flagged} flagged</span>` : ""})`)}`;
}

function modes(counts: readonly ModeCount[]): Html {
  if (counts.length === 0) return html`<span class="status">none</span>`;
  return html`${counts.map((count, index) => html`${index === 0 ? "" : html`<br>`}${count.value} (${plural(count.photos, "photo")})${count.inRegistry === false ? html` <span class="flag">not a listed mode</span>` : count.inRegistry === true ? " listed" : ""}`)}`;
}

function list(items: readonly string[], empty: string): Html {
  return items.length === 0 ? html`<span class="status">${empty}</span>` : html`${items.map((item, index) => html`${index === 0 ? "" : ", "}<code>${short(item)}</code>`)}`;
}

function compareTable(device: DeviceReport): Html {
  const registry = device.registry;
  const observed = device.observed;
  const dates = [registry.announced === null ? null : `announced ${registry.announced}`, registry.released === null ? null : `released ${registry.released}`].filter((line) => line !== null);
  const camera = [registry.megapixels === null ? null : `${String(registry.megapixels)} MP`, ...registry.modes].filter((line) => line !== null);
  return html`<table class="compare">
<thead><tr><th></th><th>Registry</th><th>What the photos say</th></tr></thead>
<tbody>
<tr><th>Model</th><td>${list(registry.models, "not listed")}${registry.codename === null ? "" : html` <span class="status">(codename ${registry.codename})</span>`}</td><td>${values(observed.models, "photo")}</td></tr>
<tr><th>Firmware</th><td>${registry.firmware.length === 0 ? html`<span class="status">no public builds listed</span>` : html`public builds: ${list(registry.firmware, "")}`}</td><td>${values(observed.builds, "photo")}</td></tr>
<tr><th>Dates</th><td>${dates.length === 0 ? html`<span class="status">no dates</span>` : dates.join("; ")}</td><td>${observed.earliest === null ? html`<span class="status">no capture time</span>` : html`earliest capture ${observed.earliest.captured.replace("T", " ")}${observed.latest !== null && observed.latest.captured !== observed.earliest.captured ? html`<br>latest ${observed.latest.captured.replace("T", " ")}` : ""}`}</td></tr>
<tr><th>Camera modes</th><td>${camera.length === 0 ? html`<span class="status">not listed</span>` : camera.join(", ")}</td><td>${modes(observed.modes)}</td></tr>
</tbody>
</table>`;
}

function finding(item: Finding): Html {
  return html`<li class="sev-${item.severity}"><strong>${findingTitle(item.code)}</strong> <span class="sev">${item.severity} · ${item.code}</span><br>${item.message}</li>`;
}

function thumbnail(photo: PhotoReport, evidenceGathered: boolean): Html {
  const name = photo.source.split(/[\\/]/).at(-1) ?? photo.source;
  if (photo.thumbnail !== null && SAFE_IMAGE_DATA_URI.test(photo.thumbnail)) {
    // Checked to be base64 and nothing else, so it needs no escaping (and must not be cut short).
    return html`<figure class="thumb"><img src="${new Html(photo.thumbnail)}" alt="${`thumbnail of ${name}`}">${photo.problem === null ? null : html`<figcaption>${photo.problem}</figcaption>`}</figure>`;
  }
  const why = photo.problem ?? (evidenceGathered ? "no thumbnail" : "photos were not read again for this report");
  return html`<figure class="thumb"><div class="missing">${why}</div></figure>`;
}

function photoCard(photo: PhotoReport, evidenceGathered: boolean): Html {
  const camera = [photo.make, photo.model].filter((part) => part !== null).join(" ");
  const software = photo.software === null ? null : photo.build !== null && photo.suffix !== null ? html`<code>${medium(photo.build)}</code> (camera app suffix <code>${medium(photo.suffix)}</code>)` : html`<code>${medium(photo.software)}</code>`;
  return html`<article class="photo" id="${photo.anchor}">
${thumbnail(photo, evidenceGathered)}
<div>
<h3>${badge(photo.verdict)} <code>${medium(photo.source)}</code></h3>
<ul class="findings">${photo.findings.filter((item) => item.severity !== "info").map(finding)}</ul>
<p class="timing">${photo.captured === null ? "" : html`<strong>Shot ${photo.captured.replace("T", " ")}</strong>: `}${photo.timing.join("; ")}.</p>
<dl class="evidence">
${photo.places.length > 1
    ? html`<dt>Found at</dt><dd>${plural(photo.places.length, "place")}, the same file (SHA-256):<ul class="places">${photo.places.map((place) => html`<li><code>${medium(place)}</code></li>`)}</ul></dd>`
    : html`<dt>Source</dt><dd><code>${medium(photo.source)}</code> (${photo.kind})</dd>`}
${photo.publications.map((line) => html`<dt>Published</dt><dd>${line}</dd>`)}
${photo.custody.map((line) => html`<dt>Custody</dt><dd>${line}</dd>`)}
<dt>SHA-256</dt><dd>${photo.sha256 === null ? html`<span class="status">not computed</span>` : html`<code>${photo.sha256}</code>`}</dd>
<dt>Size</dt><dd>${photo.bytes === null ? "unknown" : `${groupDigits(photo.bytes)} bytes`}${photo.format === null ? "" : ` (${photo.format.toUpperCase()})`}</dd>
<dt>Camera</dt><dd>${camera === "" ? "no make or model" : medium(camera)}${photo.dimensions === null ? "" : `, ${photo.dimensions}`}</dd>
${software === null ? null : html`<dt>Software</dt><dd>${software}</dd>`}
${evidenceGathered ? html`<dt>Metadata</dt><dd><a href="#meta-${photo.anchor}">every tag, in the appendix</a></dd>` : null}
</dl>
</div>
</article>`;
}

function deviceSection(device: DeviceReport, evidenceGathered: boolean): Html {
  const others = device.others.length === 0 ? null : html`<h3>Other photos of this device</h3>
<table class="others">
<thead><tr><th>Photo</th><th>Verdict</th><th>Firmware</th><th>Captured</th></tr></thead>
<tbody>
${device.others.map((photo) => html`<tr><td><code>${short(photo.source)}</code></td><td>${badge(photo.verdict)}</td><td>${photo.build === null ? "" : html`<code>${short(photo.build)}</code>`}</td><td>${photo.captured?.replace("T", " ") ?? ""}</td></tr>\n`)}</tbody>
</table>
${device.othersOmitted > 0 ? html`<p class="status">and ${plural(device.othersOmitted, "more photo")} not listed.</p>` : null}`;
  return html`<section class="device" id="${device.anchor}">
<h2>${deviceLabel(device)} ${badge(device.worst)}</h2>
<p class="status">${device.photoCount}: ${verdictSummary(device.sighting.verdicts)} · registry: ${device.registry.status}</p>
${device.firstPublication === null && device.family.length === 0 ? null : html`<dl class="facts sighting">
${device.firstPublication === null ? null : html`<dt>First published</dt><dd>${device.firstPublication}</dd>`}
${device.family.map((line) => html`<dt>Family</dt><dd>${line}</dd>`)}
</dl>`}
${device.timelineSvg === null ? null : html`<figure class="sighting-timeline">${new Html(device.timelineSvg)}<figcaption class="timeline-legend">Captures (dots; red: flagged), publications (diamonds), announcement and release (bars) on one axis; hover a mark for its date and photo.</figcaption></figure>`}
${compareTable(device)}
${device.flagged.map((photo) => photoCard(photo, evidenceGathered))}
${others}
</section>`;
}

function timelineSection(entries: readonly TimelineEntry[]): Html {
  if (entries.length === 0) return html`<section id="timeline"><h2>Timeline</h2><p>No flagged photo to place on a timeline.</p></section>`;
  const rows = entries.map((entry) => {
    const what = entry.photo === null
      ? html`<strong>${short(entry.device)}</strong> ${entry.event}`
      : html`${badge(entry.photo.verdict)} <a href="#${entry.photo.anchor}"><code>${short(entry.photo.source)}</code></a> ${entry.event === "published" ? "of" : "shot on"} <a href="#${entry.deviceAnchor}">${short(entry.device)}</a>${entry.event === "published" ? " made public" : ""}`;
    return html`<tr><td class="mono">${entry.date}</td><td>${what}</td><td>${entry.note}</td></tr>\n`;
  });
  return html`<section id="timeline">
<h2>Timeline</h2>
<p class="status">Flagged photos against their devices' announcement and release dates. EXIF capture times carry no time zone: a day either way is within tolerance.</p>
<table class="timeline">
<thead><tr><th>Date</th><th>Event</th><th>Against the dates</th></tr></thead>
<tbody>
${rows}</tbody>
</table>
</section>`;
}

function appendixEntry(entry: AppendixEntry): Html {
  const body = entry.tags === null
    ? html`<p class="missing">${entry.problem ?? "not read"}</p>`
    : entry.tags.length === 0
      ? html`<p class="status">The file carries no metadata exifr can read.</p>`
      : html`<table class="tags"><tbody>
${entry.tags.map(([tag, value]) => html`<tr><th>${tag}</th><td>${value}</td></tr>\n`)}</tbody></table>`;
  return html`<h3 id="meta-${entry.anchor}"><a href="#${entry.anchor}"><code>${entry.source}</code></a></h3>
${entry.tags !== null && entry.problem !== null ? html`<p class="warning">${entry.problem}</p>` : null}
${body}`;
}

function appendixSection(model: ReportModel): Html {
  const errors = model.errors.length === 0 ? null : html`<h3 id="errors">Inputs that could not be read</h3>
<table class="errors">
<thead><tr><th>Input</th><th>Problem</th><th>Detail</th></tr></thead>
<tbody>
${model.errors.map((error) => html`<tr><td><code>${error.source}</code></td><td>${error.code}</td><td>${error.message}</td></tr>\n`)}</tbody>
</table>`;
  return html`<section id="appendix">
<h2>Appendix: full metadata of flagged photos</h2>
${model.appendix.length === 0 ? html`<p class="status">${model.evidenceGathered ? "No flagged photos." : "Not gathered: the photos were not read again for this report."}</p>` : html`<p class="warning">Full metadata can identify the person who took a photo (GPS position, owner name, serial numbers). Review it before sharing this report.</p>`}
${model.appendix.map(appendixEntry)}
${errors}
</section>`;
}

function title(model: ReportModel): string {
  const leaks = model.verdicts.leak;
  return `exifhunt report: ${plural(leaks, "leak")} in ${plural(model.photos, "photo")}`;
}

/** The whole report as one HTML document. Deterministic: the same model gives the same bytes. */
export function renderHtml(model: ReportModel): string {
  const sections = model.devices.filter((device) => device.flagged.length > 0);
  const contents = [
    html`<li><a href="#summary">Summary</a></li>`,
    ...sections.map((device) => html`<li><a href="#${device.anchor}">${deviceLabel(device)}</a></li>`),
    html`<li><a href="#timeline">Timeline</a></li>`,
    html`<li><a href="#appendix">Appendix: full metadata${model.errors.length > 0 ? ", errors" : ""}</a></li>`,
  ];
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title(model)}</title>
<style>${new Html(STYLE + TIMELINE_STYLE)}</style>
</head>
<body>
<header>
<h1>exifhunt report</h1>
<p class="lede">${plural(model.photos, "photo")} scanned: ${verdictSummary(model.verdicts)}. Registry <code>${model.registryVersion}</code>.${model.provenance === null ? "" : html` Made by exifhunt ${model.provenance.version} on ${madeAt(model.provenance.madeAt)}.`}</p>
</header>
<nav><strong>Contents</strong><ol>${contents}</ol></nav>
${summarySection(model)}
${sections.map((device) => deviceSection(device, model.evidenceGathered))}
${timelineSection(model.timeline)}
${appendixSection(model)}
<footer>Made by exifhunt${model.provenance === null ? "" : ` ${model.provenance.version} on ${madeAt(model.provenance.madeAt)}`} from the scan's records. Every string that came from a photo is shown as text: markup is not run, control and invisible characters appear as boxed escapes (<span class="ctl">\x1B</span>, <span class="ctl">\u200B</span>), and very long values are cut, saying so. Capture times are as the camera wrote them, without a time zone.</footer>
</body>
</html>
`;
  return page.markup;
}
