/**
 * What `exifhunt registry …` prints, as pure functions returning strings (or the JSON value to
 * print): devices as a list, a device in full, a lookup's answer, a validation's outcome. The
 * commander wiring and the I/O are commands/registry.ts.
 */
import type { LookupAnswer } from "../lookup.js";
import type { RegistryProblem } from "../errors.js";
import type { MatchKind, RegisteredDevice, RegistryLayer } from "../registry/index.js";
import { stripControl } from "../report/text.js";

/** Text from registries and command lines goes to terminals: no control characters. */
export function safe(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "-" : stripControl(String(value));
}

function columns(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Devices as data and as text

/** What `status` means for a device, in words. */
function statusOf(device: RegisteredDevice): string {
  if (device.status === "rumoured") return device.entry.status === "rumoured" ? "rumoured" : "rumoured (a user registry lists it with no dates)";
  if (device.status !== null) return device.status;
  if (device.released !== null) return "released";
  if (device.announced !== null) return "announced";
  return "released, dates unknown";
}

export function deviceJson(device: RegisteredDevice): Record<string, unknown> {
  const { entry } = device;
  return {
    vendor: device.vendor.vendor,
    name: entry.name,
    codename: entry.codename ?? null,
    models: entry.models,
    aliases: entry.aliases ?? [],
    status: statusOf(device),
    announced: entry.announced ?? null,
    released: entry.released ?? null,
    camera: entry.camera ?? null,
    firmwareScheme: device.vendor.firmware?.id ?? null,
    firmware: entry.firmware ?? [],
    sources: entry.sources ?? [],
    unverified: entry.unverified ?? [],
    notes: entry.notes ?? null,
    registry: device.registryFile,
    registries: device.registryFiles,
  };
}

function unverifiedMark(device: RegisteredDevice, field: string): string {
  return device.entry.unverified?.includes(field) === true ? " (unverified)" : "";
}

function cameraText(device: RegisteredDevice): string {
  const camera = device.entry.camera;
  if (camera === undefined) return "-";
  const parts: string[] = [];
  if (camera.megapixels !== undefined) parts.push(`${String(camera.megapixels)} MP${unverifiedMark(device, "camera.megapixels")}`);
  if (camera.modes !== undefined) parts.push(`modes ${camera.modes.map(([w, h]) => `${String(w)}x${String(h)}`).join(", ")}`);
  if (camera.focalLength !== undefined) parts.push(`focal lengths ${camera.focalLength.map((f) => `${String(f)} mm`).join(", ")}`);
  return parts.join("; ");
}

function firmwareLines(device: RegisteredDevice): string[] {
  const scheme = device.vendor.firmware;
  const builds = device.entry.firmware ?? [];
  const head = scheme === null ? "no firmware scheme for this vendor" : `scheme ${scheme.id}`;
  if (builds.length === 0) return [`${head}; no public builds listed`];
  return [
    `${head}; public builds:`,
    ...builds.map((build) => {
      const extra = [build.android === undefined ? null : `Android ${build.android}`, build.date ?? null, build.note ?? null].filter((x) => x !== null);
      return `  ${safe(build.build)}${extra.length === 0 ? "" : `  ${extra.map(safe).join(", ")}`}`;
    }),
  ];
}

export function deviceText(device: RegisteredDevice): string {
  const { entry } = device;
  const rows: [string, string][] = [
    ["codename", safe(entry.codename)],
    ["models", entry.models.map((model) => `${safe(model)}${unverifiedMark(device, model)}`).join(", ")],
    ["aliases", entry.aliases === undefined || entry.aliases.length === 0 ? "-" : entry.aliases.map(safe).join(", ")],
    ["status", statusOf(device)],
    ["announced", `${safe(entry.announced)}${unverifiedMark(device, "announced")}`],
    ["released", `${safe(entry.released)}${unverifiedMark(device, "released")}`],
    ["camera", cameraText(device)],
  ];
  const lines = [`${safe(entry.name)} (${safe(device.vendor.vendor)})`, ...rows.map(([label, value]) => `  ${label.padEnd(10)}  ${value}`)];
  firmwareLines(device).forEach((line, i) => lines.push(`  ${(i === 0 ? "firmware" : "").padEnd(10)}  ${line}`));
  if (entry.sources !== undefined && entry.sources.length > 0) lines.push(`  ${"sources".padEnd(10)}  ${entry.sources.map(safe).join("; ")}`);
  if (entry.notes !== undefined) lines.push(`  ${"notes".padEnd(10)}  ${safe(entry.notes)}`);
  lines.push(`  ${"registry".padEnd(10)}  ${device.registryFiles.map(safe).join(", ")}`);
  return lines.join("\n");
}

export function listText(devices: readonly RegisteredDevice[]): string {
  const rows = [["VENDOR", "NAME", "CODENAME", "ANNOUNCED", "RELEASED", "MODELS"]];
  for (const device of devices) {
    const announced = device.entry.announced ?? (device.status === "rumoured" ? "rumoured" : "-");
    rows.push([
      safe(device.vendor.vendor),
      safe(device.entry.name),
      safe(device.entry.codename),
      safe(announced),
      safe(device.entry.released),
      device.entry.models.map(safe).join(","),
    ]);
  }
  return columns(rows);
}

// ---------------------------------------------------------------------------------------------
// Lookup: a hypothetical photo, analysed as a scan would (lookup.ts)

const MATCH_WORDS: Record<MatchKind, string> = {
  model: "by model number",
  alias: "by an alias the registry lists",
  name: "by the device's name",
  variant: "as an unlisted region or carrier variant of a listed model number",
};

export function lookupText(answer: LookupAnswer): string {
  const { query } = answer;
  const lines = [`${safe(query.model)}${query.software === null ? "" : ` with firmware ${safe(query.software)}`}, shot ${query.date}`];
  const row = (label: string, value: string): void => {
    lines.push(`  ${label.padEnd(9)} ${value}`);
  };
  row("make", answer.make === null ? "- (no registry knows this model; pass --make)" : `${safe(answer.make)}${answer.makeInferred ? " (from the registry)" : ""}`);
  const device = answer.device;
  if (device === null) row("device", "none");
  else {
    const dates = [device.announced === null ? null : `announced ${device.announced}`, device.released === null ? null : `released ${device.released}`].filter((x) => x !== null);
    row("device", `${safe(device.vendor)} ${safe(device.name)}${device.codename === null ? "" : ` (${safe(device.codename)})`}${dates.length > 0 ? `, ${dates.join(", ")}` : ""}`);
    row("matched", `${answer.match === null ? "-" : MATCH_WORDS[answer.match]}, from ${safe(device.registry)}`);
  }
  if (query.software !== null) {
    const build = answer.build;
    const parts = build?.details === undefined ? "" : `: ${Object.entries(build.details).map(([k, v]) => `${k} ${safe(v)}`).join(", ")}`;
    row("firmware", build === null ? `${safe(query.software)} (no vendor scheme reads it)` : `${safe(build.build)}${parts}`);
  }
  row("verdict", answer.verdict);
  if (answer.findings.length === 0) row("findings", "none");
  for (const finding of answer.findings) lines.push(`  ! ${finding.code} (${finding.severity}): ${safe(finding.message)}`);
  return lines.join("\n");
}

export function lookupJson(answer: LookupAnswer): Record<string, unknown> {
  const build = answer.build === null ? null : { build: answer.build.build, date: answer.build.date ?? null, parts: answer.build.details ?? null };
  return {
    query: { model: answer.query.model, firmware: answer.query.software, date: answer.query.date, make: answer.query.make ?? null },
    make: answer.make,
    camera: answer.camera,
    device: answer.device,
    match: answer.match,
    firmware: build,
    verdict: answer.verdict,
    findings: answer.findings,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation and the messages of a search that does not find one device

/** One line per problem, or one `valid` line per file. */
export function validationText(files: readonly string[], results: readonly (RegistryLayer | RegistryProblem[])[]): string {
  const lines = results.flatMap((result, index) =>
    Array.isArray(result)
      ? result.map((p) => `${p.file}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`)
      : [`${files[index] ?? ""}: valid (${String(result.data.devices.length)} devices)`],
  );
  return lines.map(stripControl).join("\n");
}

/** Why `registry show` found no one device: none matched, or several did. */
export function noSingleMatchText(query: string, devices: readonly RegisteredDevice[]): string {
  if (devices.length === 0) return `exifhunt: no device matches "${stripControl(query)}" (try: exifhunt registry list)\n`;
  return `exifhunt: "${stripControl(query)}" matches ${String(devices.length)} devices; name one:\n${devices.map((d) => `  ${stripControl(d.entry.name)}`).join("\n")}\n`;
}
