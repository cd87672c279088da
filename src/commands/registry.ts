/**
 * `exifhunt registry …`: see, query and check the device registry.
 *
 *   registry list [--vendor V]             one line per device
 *   registry show <model|codename|name>    everything known about a device
 *   registry lookup <model> [firmware]     what a scan would conclude about that pair on --date
 *   registry validate FILE…                exit 0 when valid, 2 listing every problem
 *
 * `lookup` builds the CameraSample a photo with that Model and Software would give and runs the
 * same analyze() a scan runs (lookup.ts): there is no second path to a conclusion.
 */
import { createInterface } from "node:readline";
import { Command, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../errors.js";
import { addRegistryImportCommand } from "./registry-import.js";
import { lookupPair, type LookupAnswer } from "../lookup.js";
import { stdoutOutput, type Output } from "../output.js";
import {
  loadRegistry,
  parsePartialDate,
  readRegistryFile,
  searchDevices,
  type DeviceRegistry,
  type MatchKind,
  type RegisteredDevice,
} from "../registry/index.js";
import { stripControl } from "../report/text.js";

const FORMATS = ["text", "json"] as const;
type OutputFormat = (typeof FORMATS)[number];

interface RegistryOptions {
  registry: string[];
  format: OutputFormat;
}

/** Resolves `--registry` values (plus the environment and config files) into the files to layer. */
export type RegistryFilesResolver = (flags: readonly string[]) => Promise<string[]>;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || parsePartialDate(value) === null) {
    throw new InvalidArgumentError("must be a day: YYYY-MM-DD");
  }
  return value;
}

function today(): string {
  const now = new Date();
  return `${String(now.getFullYear())}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** Text from registries and command lines goes to terminals: no control characters. */
function safe(value: string | number | null | undefined): string {
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

function listText(devices: readonly RegisteredDevice[]): string {
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

function lookupJson(answer: LookupAnswer): Record<string, unknown> {
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
// The commands

async function emit(text: string): Promise<void> {
  const output: Output = stdoutOutput(() => undefined);
  await output.write(text.endsWith("\n") ? text : `${text}\n`);
  await output.commit();
}

/** `model<TAB>firmware` lines from stdin (`registry lookup -`), for looking up many at once. */
async function* stdinPairs(): AsyncGenerator<{ model: string; software: string | null }> {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const [model = "", software = ""] = line.split("\t").map((part) => part.trim());
    if (model === "") continue;
    yield { model, software: software === "" ? null : software };
  }
}

export function addRegistryCommands(program: Command, resolveFiles: RegistryFilesResolver): Command {
  const group = program
    .command("registry")
    .description("see, query and check the device registry (bundled files plus your own)");
  const registryOption = (): Option =>
    new Option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; later files win; also EXIFHUNT_REGISTRY and a config file)").argParser(collect).default([]);
  const formatOption = (): Option => new Option("-f, --format <format>", "output format").choices(FORMATS).default("text");
  const load = async (options: RegistryOptions): Promise<DeviceRegistry> => loadRegistry({ files: await resolveFiles(options.registry) });

  group
    .command("list")
    .description("list every device: vendor, name, codename, dates, model numbers")
    .option("--vendor <vendor>", "only this vendor's devices")
    .addOption(registryOption())
    .addOption(formatOption())
    .action(async (options: RegistryOptions & { vendor?: string }) => {
      const registry = await load(options);
      let devices = registry.devices;
      if (options.vendor !== undefined) {
        const wanted = options.vendor.trim().toLowerCase();
        const vendor = registry.vendors.find((v) => v.vendor.toLowerCase() === wanted || v.makes.includes(wanted));
        if (vendor === undefined) {
          throw new UsageError(`no vendor "${options.vendor}" in the registry; known: ${registry.vendors.map((v) => v.vendor).join(", ")}`);
        }
        devices = devices.filter((device) => device.vendor.vendor === vendor.vendor);
      }
      await emit(options.format === "json" ? JSON.stringify(devices.map(deviceJson), null, 2) : listText(devices));
    });

  group
    .command("show")
    .description("everything the registry knows about a device: models, dates, camera, firmware builds, sources")
    .argument("<query>", "a model as cameras write it, a codename or a name")
    .addOption(registryOption())
    .addOption(formatOption())
    .action(async (query: string, options: RegistryOptions) => {
      const registry = await load(options);
      const byModel = (model: string): RegisteredDevice | null => {
        const found = registry.lookup(null, model);
        return found.kind === "device" ? found.device : null;
      };
      const devices = searchDevices(registry.devices, query, byModel);
      if (devices.length === 0) {
        process.stderr.write(`exifhunt: no device matches "${stripControl(query)}" (try: exifhunt registry list)\n`);
        process.exitCode = 1;
        return;
      }
      if (devices.length > 1) {
        process.stderr.write(`exifhunt: "${stripControl(query)}" matches ${String(devices.length)} devices; name one:\n${devices.map((d) => `  ${stripControl(d.entry.name)}`).join("\n")}\n`);
        process.exitCode = 1;
        return;
      }
      const [device] = devices;
      if (device === undefined) return;
      await emit(options.format === "json" ? JSON.stringify(deviceJson(device), null, 2) : deviceText(device));
    });

  group
    .command("lookup")
    .description("what exifhunt would conclude about a photo with this model and firmware, shot on --date; `-` reads model<TAB>firmware lines from stdin")
    .argument("<model>", "EXIF Model as a camera writes it (SM-G975F, SAMSUNG-SM-N900A, Galaxy S24 FE), or - for stdin")
    .argument("[firmware]", "EXIF Software: the firmware build (G975FXXU7CTF1, 14.2.A.0.204)")
    .option("--date <YYYY-MM-DD>", "the day the photo was taken (default: today)", day)
    .option("--make <make>", "EXIF Make (default: the vendor whose registry knows the model)")
    .addOption(registryOption())
    .addOption(formatOption())
    .action(async (model: string, firmware: string | undefined, options: RegistryOptions & { date?: string; make?: string }) => {
      const registry = await load(options);
      const date = options.date ?? today();
      const pairs = model === "-" ? stdinPairs() : [{ model, software: firmware ?? null }];
      // A reader that goes away (`| head`) ends the lookups: a closed pipe is not an error.
      const reader = { gone: false };
      const output = stdoutOutput(() => {
        reader.gone = true;
      });
      let first = true;
      for await (const pair of pairs) {
        if (reader.gone) break;
        const answer = lookupPair(registry, { ...pair, date, ...(options.make === undefined ? {} : { make: options.make }) });
        if (options.format === "json") await output.write(`${JSON.stringify(lookupJson(answer))}\n`);
        else await output.write(`${first ? "" : "\n"}${lookupText(answer)}\n`);
        first = false;
      }
      await output.commit();
    });

  group
    .command("validate")
    .description("check registry files against the schema and the rules; exit 2 listing every problem as FILE: field: what is wrong")
    .argument("<files...>", "registry files")
    .action(async (files: string[]) => {
      const results = await Promise.all(files.map((file) => readRegistryFile(file)));
      const lines = results.flatMap((result, index) =>
        Array.isArray(result)
          ? result.map((p) => `${p.file}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`)
          : [`${files[index] ?? ""}: valid (${String(result.data.devices.length)} devices)`],
      );
      await emit(lines.map(stripControl).join("\n"));
      process.exitCode = results.some((result) => Array.isArray(result)) ? 2 : 0;
    });
  addRegistryImportCommand(group);
  return group;
}
