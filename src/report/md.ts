/**
 * The Markdown summary: the report's summary and per-device findings, to paste into an article
 * draft or an issue. A pure function of the report model. Untrusted text goes through
 * escapeMarkdown (prose) or markdownCode (identifiers) so it renders as itself: no links, no
 * HTML, no table cells split by a pipe in a model name.
 */
import { VERDICTS_BY_RANK } from "../record.js";
import { escapeMarkdown as text, markdownCode as code } from "./escape.js";
import { groupDigits } from "./text.js";
import { plural } from "../util/words.js";
import { findingTitle, verdictSummary } from "./legend.js";
import type { DeviceReport, PhotoReport, ReportModel, TimelineEntry, ValueCount } from "./model-types.js";

function cell(value: string): string {
  return text(value);
}

function cellCode(value: string): string {
  return code(value, { table: true });
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function deviceLabel(device: DeviceReport): string {
  return device.vendor === null ? device.name : `${device.vendor} ${device.name}`;
}

function counted(counts: readonly ValueCount[], unit: string): string {
  if (counts.length === 0) return "none";
  return counts.map((count) => `${cellCode(count.value)} (${plural(count.photos, unit)}${count.flagged > 0 ? `, ${String(count.flagged)} flagged` : ""})`).join(", ");
}

function codes(items: readonly string[], empty: string): string {
  return items.length === 0 ? empty : items.map(cellCode).join(", ");
}

function summary(model: ReportModel): string[] {
  const withLeaks = model.devices.filter((device) => device.counts.leak > 0).length;
  const lines = [
    "## Summary",
    "",
    `- Photos scanned: ${groupDigits(model.photos)}`,
    `- Verdicts: ${verdictSummary(model.verdicts)}`,
    `- Devices sighted: ${model.devices.length === 0 ? "none" : `${plural(model.devices.length, "camera")}, ${String(withLeaks)} with leaks`}`,
    `- Registry: ${code(model.registryVersion)}`,
  ];
  if (model.provenance !== null) {
    const { version, madeAt, command } = model.provenance;
    lines.push(`- Made by: exifhunt ${text(version)}, ${text(`${madeAt.slice(0, 10)} ${madeAt.slice(11, 19)} UTC`)}`, `- Command: ${code(command)}`);
  }
  if (model.unavailable > 0) lines.push(`- ${plural(model.unavailable, "flagged photo")} could not be read again for evidence (see below)`);
  if (model.devices.length > 0) {
    lines.push("", row(["Device", "Registry", "Photos", "Leak", "Suspicious", "Other verdicts"]), "|---|---|--:|--:|--:|---|");
    for (const device of model.devices) {
      const others = VERDICTS_BY_RANK.filter((verdict) => verdict !== "leak" && verdict !== "suspicious" && device.counts[verdict] > 0)
        .map((verdict) => `${String(device.counts[verdict])} ${verdict}`)
        .join(", ");
      const kind = device.kind === "registered" ? "listed" : device.kind === "unknown-model" ? "unknown model" : "unregistered";
      lines.push(row([cell(deviceLabel(device)), kind, cell(device.photoCount), String(device.counts.leak), String(device.counts.suspicious), others]));
    }
  }
  return lines;
}

function compare(device: DeviceReport): string[] {
  const registry = device.registry;
  const observed = device.observed;
  const dates = [registry.announced === null ? null : `announced ${registry.announced}`, registry.released === null ? null : `released ${registry.released}`].filter((line) => line !== null);
  const camera = [registry.megapixels === null ? null : `${String(registry.megapixels)} MP`, ...registry.modes].filter((line) => line !== null);
  const capture = observed.earliest === null
    ? "no capture time"
    : `earliest capture ${observed.earliest.captured.replace("T", " ")}${observed.latest !== null && observed.latest.captured !== observed.earliest.captured ? `, latest ${observed.latest.captured.replace("T", " ")}` : ""}`;
  const modes = observed.modes.length === 0
    ? "none"
    : observed.modes.map((mode) => `${mode.value} (${plural(mode.photos, "photo")})${mode.inRegistry === false ? " **not a listed mode**" : mode.inRegistry === true ? " listed" : ""}`).join(", ");
  return [
    row(["", "Registry", "What the photos say"]),
    "|---|---|---|",
    row(["Model", `${codes(registry.models, "not listed")}${registry.codename === null ? "" : ` (codename ${cell(registry.codename)})`}`, counted(observed.models, "photo")]),
    row(["Firmware", registry.firmware.length === 0 ? "no public builds listed" : `public builds: ${codes(registry.firmware, "")}`, counted(observed.builds, "photo")]),
    row(["Dates", dates.length === 0 ? "no dates" : cell(dates.join("; ")), cell(capture)]),
    row(["Camera modes", camera.length === 0 ? "not listed" : cell(camera.join(", ")), modes]),
  ];
}

function photo(item: PhotoReport): string[] {
  const lines = [`### ${item.verdict.toUpperCase()}: ${code(item.source)}`, ""];
  for (const finding of item.findings) {
    if (finding.severity === "info") continue;
    lines.push(`- **${text(findingTitle(finding.code))}** (${finding.severity}, ${code(finding.code)}): ${text(finding.message)}`);
  }
  lines.push("");
  const shot = item.captured === null ? "" : `Shot ${text(item.captured.replace("T", " "))}: `;
  lines.push(`${shot}${text(item.timing.join("; "))}.`, "");
  const camera = [item.make, item.model].filter((part) => part !== null).join(" ");
  const evidence = [
    item.places.length > 1 ? `found at ${String(item.places.length)} places, the same file (SHA-256): ${item.places.map((place) => code(place)).join(", ")}` : `source ${code(item.source)} (${item.kind})`,
    ...item.publications.map((line) => `published: ${text(line)}`),
    ...item.custody.map((line) => text(line)),
    `SHA-256 ${item.sha256 === null ? "not computed" : code(item.sha256)}`,
    `${item.bytes === null ? "size unknown" : `${groupDigits(item.bytes)} bytes`}${item.format === null ? "" : ` (${text(item.format.toUpperCase())})`}`,
    `camera ${camera === "" ? "with no make or model" : text(camera)}${item.dimensions === null ? "" : `, ${text(item.dimensions)}`}`,
  ];
  if (item.software !== null) evidence.push(`software ${code(item.software)}`);
  lines.push(`Evidence: ${evidence.join("; ")}.`);
  if (item.problem !== null) lines.push("", `> ${text(item.problem)}`);
  lines.push("");
  return lines;
}

function device(item: DeviceReport): string[] {
  const lines = [`## ${text(deviceLabel(item))}: ${item.worst}`, "", `${text(item.photoCount)}: ${verdictSummary(item.sighting.verdicts)}. Registry: ${text(item.registry.status)}.`, ""];
  if (item.firstPublication !== null) lines.push(`First published: ${text(item.firstPublication)}.`, "");
  for (const line of item.family) lines.push(`Family: ${text(line)}.`, "");
  lines.push(...compare(item), "");
  for (const shown of item.flagged) lines.push(...photo(shown));
  if (item.others.length > 0) {
    const others = item.others.map((other) => `${code(other.source)} (${other.verdict}${other.build === null ? "" : `, ${code(other.build)}`}${other.captured === null ? "" : `, ${text(other.captured.replace("T", " "))}`})`);
    const more = item.othersOmitted > 0 ? `, and ${plural(item.othersOmitted, "more photo")}` : "";
    lines.push(`Other photos of this device: ${others.join(", ")}${more}.`, "");
  }
  return lines;
}

function timeline(entries: readonly TimelineEntry[]): string[] {
  if (entries.length === 0) return [];
  const lines = ["## Timeline", "", row(["Date", "Event", "Against the dates"]), "|---|---|---|"];
  for (const entry of entries) {
    const what = entry.photo === null
      ? `${cell(entry.device)} ${entry.event}`
      : `${entry.photo.verdict}: ${cellCode(entry.photo.source)} ${entry.event === "published" ? "of" : "shot on"} ${cell(entry.device)}${entry.event === "published" ? " made public" : ""}`;
    lines.push(row([cell(entry.date), what, cell(entry.note)]));
  }
  lines.push("");
  return lines;
}

/** The Markdown summary. Deterministic: the same model gives the same text. */
export function renderMarkdown(model: ReportModel): string {
  const lines = [
    "# exifhunt report",
    "",
    `${plural(model.photos, "photo")} scanned: ${verdictSummary(model.verdicts)}.`,
    "",
    ...summary(model),
    "",
  ];
  for (const item of model.devices) if (item.flagged.length > 0) lines.push(...device(item));
  lines.push(...timeline(model.timeline));
  if (model.errors.length > 0) {
    lines.push("## Inputs that could not be read", "");
    for (const error of model.errors) lines.push(`- ${code(error.source)}: ${text(error.code)}: ${text(error.message)}`);
    lines.push("");
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
