#!/usr/bin/env node
/**
 * The command line: parses options, calls the library, renders, sets the exit code.
 * Exit codes: 0 done (whatever was found), 1 --fail-on reached, 2 usage or registry error,
 * 130 / 143 interrupted by SIGINT / SIGTERM.
 */
import { createReadStream, readFileSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import type { Readable } from "node:stream";
import { extname } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { addRegistryCommands } from "./commands/registry.js";
import { resolveRegistryFiles } from "./config.js";
import { errnoCode, ExifhuntError, RegistryError, UsageError } from "./errors.js";
import { photoEvidence } from "./photo-evidence.js";
import { fileOutput, stdoutOutput, type Output } from "./output.js";
import type { Verdict } from "./record.js";
import { loadRegistry } from "./registry/index.js";
import { FORMATS, isFormat, reporters, type Format } from "./report/index.js";
import { progressDisplay } from "./progress.js";
import { SummaryBuilder, withScanWideChecks } from "./events.js";
import { PARALLEL_AFTER, scanStream } from "./scan.js";
import { parseByteCount, withInputLists } from "./sources/index.js";
import { readSavedScan } from "./sources/saved.js";

const PACKAGE = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

/**
 * Formats written as records complete. The others are sorted at the end anyway, so they also get
 * the checks that need the whole scan (sibling comparison of quantization tables).
 */
const STREAMING: ReadonlySet<Format> = new Set(["ndjson", "csv"]);

/** Verdicts --fail-on accepts, and what each one covers. */
const FAIL_ON = { leak: ["leak"], suspicious: ["leak", "suspicious"] } satisfies Record<string, Verdict[]>;

interface ScanCommandOptions {
  format?: Format;
  out?: string;
  registry: string[];
  concurrency: number;
  workers?: number;
  failOn?: keyof typeof FAIL_ON;
  deep: boolean;
  quiet: boolean;
  stats: boolean;
  inputFile: string[];
  timeout: number;
  maxBytes?: number;
  perHost: number;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return number;
}

function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError("must be a whole number, 0 or more");
  return number;
}

function positiveSeconds(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError("must be a number of seconds above 0");
  return number;
}

function byteCount(value: string): number {
  const bytes = parseByteCount(value);
  if (bytes === null || bytes < 1) throw new InvalidArgumentError("must be a byte count such as 4194304, 512K or 4M");
  return bytes;
}

/** Opens each input list (`-` is standard input), failing before the scan starts if one cannot be read. */
async function openInputLists(files: readonly string[]): Promise<Readable[]> {
  const streams: Readable[] = [];
  for (const file of files) {
    if (file === "-") {
      streams.push(process.stdin);
      continue;
    }
    try {
      await access(file, constants.R_OK);
    } catch (error: unknown) {
      throw new UsageError(`cannot read the input list ${file}: ${errnoCode(error) ?? String(error)}`, { cause: error });
    }
    streams.push(createReadStream(file));
  }
  return streams;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** --out photos.csv implies --format csv; otherwise a table on a terminal and NDJSON in a pipe. */
function chooseFormat(options: Pick<ScanCommandOptions, "format" | "out">): Format {
  if (options.format !== undefined) return options.format;
  if (options.out !== undefined) {
    const fromExtension = extname(options.out).slice(1).toLowerCase();
    if (isFormat(fromExtension)) return fromExtension;
    return "ndjson";
  }
  return process.stdout.isTTY ? "table" : "ndjson";
}


async function runScan(inputs: string[], options: ScanCommandOptions): Promise<number> {
  if (inputs.length === 0 && options.inputFile.length === 0) {
    throw new UsageError("name at least one photo, folder or URL to scan, or a list of them with --input-file");
  }
  const lists = await openInputLists(options.inputFile);
  const format = chooseFormat(options);
  // --registry, EXIFHUNT_REGISTRY and the config files' registries (config.ts says in which order).
  const registry = await loadRegistry({ files: await resolveRegistryFiles({ flags: options.registry }) });
  const controller = new AbortController();
  const output: Output = options.out === undefined
    ? stdoutOutput(() => {
        controller.abort();
      })
    : await fileOutput(options.out, format !== "ndjson");
  const reporter = reporters[format](output, {
    color: options.out === undefined && process.stdout.isTTY && !("NO_COLOR" in process.env),
    // html and md show each device's registry entry; html reads flagged photos again for evidence.
    registry,
    evidence: photoEvidence(),
  });
  // Set by a signal handler: the exit code to end with once the scan has stopped.
  const interruption: { exitCode: number | null } = { exitCode: null };
  const onSignal = (signal: NodeJS.Signals): void => {
    interruption.exitCode = signal === "SIGINT" ? 130 : 143;
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // With input lists the total is not known up front: the line shows a running count.
  const progress = progressDisplay(lists.length === 0 ? inputs : null, process.stderr, process.stderr.isTTY && !options.quiet);
  const summary = new SummaryBuilder();
  const failing = new Set<Verdict>(options.failOn === undefined ? [] : FAIL_ON[options.failOn]);
  let failed = false;
  let bytesRead = 0;
  try {
    await reporter.begin();
    const events = scanStream(withInputLists(inputs, lists), {
      registry,
      concurrency: options.concurrency,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      deep: options.deep,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      http: { timeoutMs: options.timeout * 1000, perHost: options.perHost },
      signal: controller.signal,
      onProgress: (p) => {
        bytesRead = p.bytesRead;
        progress.update(p);
      },
    });
    for await (const event of STREAMING.has(format) ? events : withScanWideChecks(events)) {
      summary.add(event);
      if (event.type !== "record") continue;
      if (failing.has(event.record.verdict)) failed = true;
      await reporter.record(event.record);
    }
    progress.clear();
    if (interruption.exitCode !== null) {
      await output.abandon();
      return interruption.exitCode;
    }
    const result = summary.finish(registry.version, bytesRead);
    await reporter.end(result);
    await output.commit();
    if (options.stats) {
      const files = result.records + result.skipped;
      const seconds = result.elapsedMs / 1000;
      process.stderr.write(`${JSON.stringify({ ...result, filesPerSecond: seconds > 0 ? Math.round(files / seconds) : null })}\n`);
    }
    if (format !== "table" && !options.quiet && process.stderr.isTTY) {
      const { summaryLine } = await import("./report/index.js");
      process.stderr.write(`${summaryLine(result)}\n`);
    }
  } catch (error: unknown) {
    progress.clear();
    await output.abandon();
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return failed ? 1 : 0;
}

interface ReportCommandOptions {
  format?: Format;
  out?: string;
  registry: string[];
}

/**
 * `exifhunt report RESULTS.ndjson`: renders a saved scan without scanning again. Verdicts and
 * findings are the saved ones; only the evidence (thumbnails, metadata) is read from the photos.
 */
async function runReport(file: string, options: ReportCommandOptions): Promise<number> {
  const format = chooseFormat(options);
  const registry = await loadRegistry({ files: await resolveRegistryFiles({ flags: options.registry }) });
  const output: Output = options.out === undefined ? stdoutOutput(() => undefined) : await fileOutput(options.out, format !== "ndjson");
  const reporter = reporters[format](output, {
    color: options.out === undefined && process.stdout.isTTY && !("NO_COLOR" in process.env),
    registry,
    evidence: photoEvidence(),
  });
  const summary = new SummaryBuilder();
  try {
    await reporter.begin();
    for await (const record of readSavedScan(file)) {
      summary.add({ type: "record", record });
      await reporter.record(record);
    }
    await reporter.end(summary.finish(registry.version, 0));
    await output.commit();
  } catch (error: unknown) {
    await output.abandon();
    throw error;
  }
  return 0;
}

export function buildProgram(): Command {
  const program = new Command("exifhunt")
    .description("Find unreleased phones in photos: reads each photo's EXIF and checks it against a registry of known devices.")
    .version(PACKAGE.version)
    .showHelpAfterError("(run with --help for usage)")
    // Set before subcommands are added: they copy these settings when created.
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program
    .command("scan")
    .description("scan photos, folders (recursively) and URLs and report a verdict for each photo")
    .argument("[inputs...]", "photo files, folders and http(s) URLs")
    .option("-i, --input-file <file>", "read inputs from a file, one per line (- for standard input; blank lines and # comments ignored; repeatable)", collect, [])
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else ndjson)").choices(FORMATS))
    .option("-o, --out <file>", "write the report to a file (format from its extension unless --format)")
    .option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .option("-c, --concurrency <n>", "photos read at once", positiveInteger, 16)
    .option("-w, --workers <n>", `worker threads for large scans, started after ${PARALLEL_AFTER.toLocaleString("en")} files (default: one per core, up to 4, on more than 2 cores, else none; 0 reads in one thread)`, nonNegativeInteger)
    .addOption(new Option("--fail-on <verdict>", "exit 1 when any photo reaches this verdict").choices(Object.keys(FAIL_ON)))
    .option("--deep", "deep pass for every photo (SHA-256 of the whole file), not only flagged ones", false)
    .option("-q, --quiet", "no progress or summary on stderr", false)
    .option("--stats", "print the scan's figures (records, skipped, bytes read, time, files/s) as one JSON line on stderr", false)
    .option("--timeout <seconds>", "per HTTP request: longest wait for a response, and between two chunks of its body", positiveSeconds, 30)
    .option("--max-bytes <n>", "most bytes read from one input for its metadata, e.g. 4M (default 8M for URLs, 32M for files)", byteCount)
    .option("--per-host <n>", "HTTP requests in flight to one host at once", positiveInteger, 4)
    .action(async (inputs: string[], options: ScanCommandOptions) => {
      process.exitCode = await runScan(inputs, options);
    });
  program
    .command("report")
    .description("render a saved NDJSON scan as a report (html, md …) without scanning again; photos are read again only for thumbnails")
    .argument("<results>", "a saved scan: exifhunt scan … --format ndjson (- for standard input)")
    .addOption(new Option("-f, --format <format>", "output format (default: from --out's extension, else table on a terminal, else ndjson)").choices(FORMATS))
    .option("-o, --out <file>", "write the report to a file")
    .option("-r, --registry <file>", "a registry file layered over the bundled ones, as given to the scan (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .action(async (results: string, options: ReportCommandOptions) => {
      process.exitCode = await runReport(results, options);
    });
  addRegistryCommands(program, (flags) => resolveRegistryFiles({ flags }), (code) => {
    process.exitCode = code;
  });
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof RegistryError) {
      process.stderr.write(`exifhunt: invalid registry; fix these and run again:\n${error.problems.map((p) => `  ${p.file}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`).join("\n")}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`exifhunt: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ExifhuntError) {
      process.stderr.write(`exifhunt: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv);
