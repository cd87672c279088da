/**
 * The hunt log's commands (docs/database.md):
 *
 *   watch <folders…> --db FILE [--exec CMD]   report each new photo as it arrives
 *   sightings --db FILE                        every sighting across the log's scans
 */
import { Command, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "../cli/io.js";
import { byteCount, collect } from "../cli/options.js";
import { busyTimeoutFrom } from "../db/errors.js";
import { HuntLog } from "../db/huntlog.js";
import { logSightings, type LoggedSighting } from "../db/sightings.js";
import { stdoutOutput } from "../output.js";
import { stripControl } from "../report/text.js";
import type { RegistryFilesResolver } from "./registry.js";
import { loadRegistry } from "../registry/index.js";
import { runWatch } from "../watch.js";

export interface HuntLogDeps {
  version: string;
  registryFiles: RegistryFilesResolver;
  /** Where a command leaves its exit code (commander's actions return nothing). */
  done: (exitCode: number) => void;
  io: CliIo;
}

interface WatchCommandOptions {
  db: string;
  exec?: string;
  settle: number;
  registry: string[];
  deep: boolean;
  maxBytes?: number;
  quiet: boolean;
}

function milliseconds(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("must be a whole number of milliseconds, at least 1");
  return number;
}

const SIGHTING_FORMATS = ["table", "json", "ndjson"] as const;

function columns(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n");
}

/** Text from photos goes to a terminal: no control characters. */
const safe = (value: string | number | null): string => (value === null || value === "" ? "-" : stripControl(String(value)));

function sightingsTable(sightings: readonly LoggedSighting[]): string {
  if (sightings.length === 0) return "no sightings in this database yet\n";
  const rows = [["verdict", "device", "photos", "builds", "first captured", "first seen by exifhunt", "scans"]];
  for (const s of sightings) {
    rows.push([
      s.verdict,
      safe(s.device),
      s.copies > s.photos ? `${String(s.photos)} (${String(s.copies)} copies)` : String(s.photos),
      safe(s.builds.join(", ")),
      safe(s.firstCaptured),
      s.firstSeen.slice(0, 19).replace("T", " "),
      String(s.scans),
    ]);
  }
  return `${columns(rows)}\n`;
}

async function runSightings(options: { db: string; format: (typeof SIGHTING_FORMATS)[number] }, io: CliIo): Promise<number> {
  const log = HuntLog.open(options.db, { readonly: true, busyTimeoutMs: busyTimeoutFrom(io.env) });
  let sightings: LoggedSighting[];
  try {
    sightings = logSightings(log);
  } finally {
    log.close();
  }
  const text =
    options.format === "json" ? `${JSON.stringify(sightings, null, 2)}\n`
    : options.format === "ndjson" ? sightings.map((s) => `${JSON.stringify(s)}\n`).join("")
    : sightingsTable(sightings);
  const output = stdoutOutput(io.stdout, () => undefined);
  await output.write(text);
  await output.commit();
  return 0;
}

export function addHuntLogCommands(program: Command, deps: HuntLogDeps): void {
  const { io } = deps;
  program
    .command("watch")
    .description("watch folders (recursively) and report each new or changed photo once, as an NDJSON record, as soon as it is complete")
    .argument("<folders...>", "folders to watch")
    .requiredOption("--db <file>", "the hunt log (SQLite): what was reported before, so a restart does not report old photos again")
    .option("--exec <command>", "run this shell command for each new record, with the record (one JSON line) on its standard input, instead of printing it")
    .option("--settle <ms>", "a file is read once its size stayed the same this long (a copy in progress keeps growing)", milliseconds, 500)
    .option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .option("--deep", "deep pass for every photo (SHA-256 of the whole file), not only flagged ones", false)
    .option("--max-bytes <n>", "most bytes read from one photo for its metadata, e.g. 4M (default 32M)", byteCount)
    .option("-q, --quiet", "no status line on stderr", false)
    .action(async (folders: string[], options: WatchCommandOptions) => {
      const registry = await loadRegistry({ files: await deps.registryFiles(options.registry) });
      deps.done(await runWatch(folders, {
        db: options.db,
        busyTimeoutMs: busyTimeoutFrom(io.env),
        registry,
        exifhuntVersion: deps.version,
        ...(options.exec === undefined ? {} : { exec: options.exec }),
        settleMs: options.settle,
        deep: options.deep,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
        quiet: options.quiet,
        stdout: io.stdout,
        stderr: io.stderr,
        signals: io.signals,
      }));
    });
  program
    .command("sightings")
    .description("every sighting (photos grouped by device) across all scans of a hunt log, with first capture and when exifhunt first saw it")
    .requiredOption("--db <file>", "the hunt log (SQLite) made by scan --db or watch")
    .addOption(new Option("-f, --format <format>", "output format").choices(SIGHTING_FORMATS).default("table"))
    .action(async (options: { db: string; format: (typeof SIGHTING_FORMATS)[number] }) => {
      deps.done(await runSightings(options, io));
    });
}
