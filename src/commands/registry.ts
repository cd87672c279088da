/**
 * `exifhunt registry …`: see, query and check the device registry.
 *
 *   registry list [--vendor V]             one line per device
 *   registry show <model|codename|name>    everything known about a device
 *   registry lookup <model> [firmware]     what a scan would conclude about that pair on --date
 *   registry validate FILE…                exit 0 when valid, 2 listing every problem
 *   registry import <source> <path>        a user layer from a checkout of a public source (registry-import.ts)
 *
 * `lookup` builds the CameraSample a photo with that Model and Software would give and runs the
 * same analyze() a scan runs (lookup.ts): there is no second path to a conclusion. What each
 * command prints is commands/registry-text.ts; this file wires the commands and does their I/O.
 */
import { createInterface } from "node:readline";
import { Command, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "../cli/io.js";
import { UsageError } from "../errors.js";
import { lookupPair } from "../lookup.js";
import { stdoutOutput, type Output } from "../output.js";
import {
  loadRegistry,
  parsePartialDate,
  readRegistryFile,
  searchDevices,
  type DeviceRegistry,
  type RegisteredDevice,
} from "../registry/index.js";
import { addRegistryImportCommand } from "./registry-import.js";
import { deviceJson, deviceText, listText, lookupJson, lookupText, noSingleMatchText, validationText } from "./registry-text.js";

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

// ---------------------------------------------------------------------------------------------
// The commands

async function emit(io: CliIo, text: string): Promise<void> {
  const output: Output = stdoutOutput(io.stdout, () => undefined);
  await output.write(text.endsWith("\n") ? text : `${text}\n`);
  await output.commit();
}

/** `model<TAB>firmware` lines from stdin (`registry lookup -`), for looking up many at once. */
async function* stdinPairs(stdin: NodeJS.ReadableStream): AsyncGenerator<{ model: string; software: string | null }> {
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) {
    const [model = "", software = ""] = line.split("\t").map((part) => part.trim());
    if (model === "") continue;
    yield { model, software: software === "" ? null : software };
  }
}

/**
 * Adds `registry list|show|lookup|validate` to the program. Each action ends by handing its exit
 * code to `done` (0, 1 when `show` finds no one device, 2 when `validate` finds problems): the
 * caller decides what to do with it, so that the commands can run in-process.
 */
export function addRegistryCommands(program: Command, resolveFiles: RegistryFilesResolver, done: (exitCode: number) => void, io: CliIo): Command {
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
      await emit(io, options.format === "json" ? JSON.stringify(devices.map(deviceJson), null, 2) : listText(devices));
      done(0);
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
      const [device] = devices;
      if (device === undefined || devices.length > 1) {
        io.stderr.write(noSingleMatchText(query, devices));
        done(1);
        return;
      }
      await emit(io, options.format === "json" ? JSON.stringify(deviceJson(device), null, 2) : deviceText(device));
      done(0);
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
      const pairs = model === "-" ? stdinPairs(io.stdin) : [{ model, software: firmware ?? null }];
      // A reader that goes away (`| head`) ends the lookups: a closed pipe is not an error.
      const reader = { gone: false };
      const output = stdoutOutput(io.stdout, () => {
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
      done(0);
    });

  group
    .command("validate")
    .description("check registry files against the schema and the rules; exit 2 listing every problem as FILE: field: what is wrong")
    .argument("<files...>", "registry files")
    .action(async (files: string[]) => {
      const results = await Promise.all(files.map((file) => readRegistryFile(file)));
      await emit(io, validationText(files, results));
      done(results.some((result) => Array.isArray(result)) ? 2 : 0);
    });
  addRegistryImportCommand(group, done, io);
  return group;
}
