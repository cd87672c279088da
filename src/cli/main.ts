/**
 * The command line: parses options, calls the library, renders, returns the exit code
 * (EXIT_CODES below, the same words as the README).
 *
 * `main(argv, io)` runs in any process: everything it reads or writes of the process comes
 * through `io` (io.ts), and it returns the exit code instead of setting it. src/cli.ts is the binary.
 */
import { Command, CommanderError, Option } from "commander";
import { addHuntLogCommands } from "../commands/huntlog.js";
import { addRegistryCommands } from "../commands/registry.js";
import { addSightingsCommand } from "../commands/sightings.js";
import { errnoCode, ExifhuntError, RegistryError, UsageError } from "../errors.js";
import { FORMATS } from "../report/index.js";
import { DEFAULT_CONCURRENCY, EXPECTED_FOR_EARLY_START, PARALLEL_AFTER } from "../scan.js";
import { DEFAULT_HTTP_OPTIONS } from "../sources/http.js";
import { reasonOf } from "../output.js";
import { groupDigits } from "../report/text.js";
import { registryFiles } from "./config.js";
import type { CliContext, CliIo, CliStream } from "./io.js";
import { byteCount, collect, nonNegativeInteger, positiveInteger, positiveSeconds, verdictList } from "./options.js";
import { runReport, type ReportCommandOptions } from "./report.js";
import { FAIL_ON, runScan, type ScanCommandOptions } from "./scan.js";
import { VERSION } from "../version.js";


/** The exit-code contract, for --help (the README says the same). */
export const EXIT_CODES = `
Exit codes:
  0    the scan completed, every named input was read, nothing matched --fail-on
  1    --fail-on matched (wins over 3)
  2    usage, configuration, registry or output error (nothing was judged, or the output was not written)
  3    the scan completed but a named input could not be read (missing, unreadable, not an image, HTTP error)
  130  interrupted by Ctrl-C (SIGINT); 143 by SIGTERM`;

/** A Node system error (fs, net): it has a code and usually the path it was about. */
function systemError(error: unknown): (Error & { path?: unknown; syscall?: unknown }) | null {
  return error instanceof Error && errnoCode(error) !== undefined ? error : null;
}

const helpStreams = new WeakSet<CliStream>();

/**
 * Standard output for --help and --version: `exifhunt --help | head` closes the pipe early, which
 * is not an error (the scan's own output says the same, output.ts). Other write errors still are.
 */
function helpOutput(stdout: CliStream): CliStream {
  if (!helpStreams.has(stdout)) {
    helpStreams.add(stdout);
    stdout.on("error", (error: unknown) => {
      if (errnoCode(error) !== "EPIPE") throw error;
    });
  }
  return stdout;
}

export function buildProgram(context: CliContext): Command {
  const { io } = context;
  const program = new Command("exifhunt")
    .description("Find unreleased phones in photos: reads each photo's EXIF and checks it against a registry of known devices.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    // Set before subcommands are added: they copy these settings when created.
    .exitOverride()
    .configureOutput({ writeOut: (text) => helpOutput(io.stdout).write(text), writeErr: (text) => io.stderr.write(text) })
    .addHelpText("after", EXIT_CODES);
  program
    .command("scan")
    .description("scan photos, folders (recursively) and URLs and report a verdict for each photo")
    .argument("[inputs...]", "photo files, folders and http(s) URLs; - reads one photo from standard input")
    .option("-i, --input-file <file>", "read inputs from a file, one per line (- for standard input; blank lines and # comments ignored; repeatable)", collect, [])
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else ndjson)").choices(FORMATS))
    .option("-o, --out <file>", "write the report to a file, replaced only once the scan completes (format from its extension: .ndjson .json .csv .html .md, unless --format)")
    .option("--only <verdicts>", "report only photos with these verdicts, e.g. leak,suspicious (every format; --fail-on and the summary still count all)", verdictList)
    .option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .option("-c, --concurrency <n>", "photos read at once", positiveInteger, DEFAULT_CONCURRENCY)
    .option("-w, --workers <n>", `worker threads for large scans, started after ${groupDigits(PARALLEL_AFTER)} files, or at once when the folders walked look to hold ${groupDigits(EXPECTED_FOR_EARLY_START)} or more and there is no --db (default: one per core but one, up to 4; 0 reads in one thread)`, nonNegativeInteger)
    .addOption(new Option("--fail-on <verdict>", "exit 1 when any photo reaches this verdict (leak, or suspicious which includes leak)").choices(Object.keys(FAIL_ON)))
    .option("--deep", "deep pass for every photo (SHA-256 of the whole file), not only flagged ones", false)
    .option("-q, --quiet", "no progress, summary or notices on stderr (errors are still said)", false)
    .option("--stats", "print the scan's figures (records, skipped, bytes read, time, files/s) as one JSON line on stderr", false)
    .option("--timeout <seconds>", "per HTTP request: longest wait for a response, and between two chunks of its body", positiveSeconds, DEFAULT_HTTP_OPTIONS.timeoutMs / 1000)
    .option("--max-bytes <n>", "most bytes read from one input for its metadata, e.g. 4M (default 8M for URLs, 32M for files)", byteCount)
    .option("--per-host <n>", "HTTP requests in flight to one host at once", positiveInteger, DEFAULT_HTTP_OPTIONS.perHost)
    .option("--db <file>", "keep a hunt log in this SQLite file: every scan and record; unchanged files are not read again (docs/database.md)")
    .option("--new-only", "with --db: output (and --fail-on) only records no earlier complete scan of the database reported", false)
    .addHelpText("after", EXIT_CODES)
    .action(async (inputs: string[], options: ScanCommandOptions) => {
      context.exitCode = await runScan(inputs, options, io);
    });
  program
    .command("report")
    .description("render a saved scan (NDJSON or JSON) as a report (html, md …) without scanning again; photos are read again only for thumbnails")
    .argument("<results>", "a saved scan: exifhunt scan … --format ndjson or --format json (- for standard input)")
    .addOption(new Option("-f, --format <format>", "output format (default: from --out's extension, else table on a terminal, else ndjson)").choices(FORMATS))
    .option("-o, --out <file>", "write the report to a file")
    .option("--only <verdicts>", "report only photos with these verdicts, e.g. leak,suspicious", verdictList)
    .option("-r, --registry <file>", "a registry file layered over the bundled ones, as given to the scan (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .action(async (results: string, options: ReportCommandOptions) => {
      context.exitCode = await runReport(results, options, io);
    });
  // Commands added from their own modules resolve registries the same way and hand back their exit code.
  const resolveFiles = (flags: readonly string[]): Promise<string[]> => registryFiles(flags, io);
  const done = (code: number): void => {
    context.exitCode = code;
  };
  addRegistryCommands(program, resolveFiles, done, io);
  addSightingsCommand(program, resolveFiles, done, io);
  addHuntLogCommands(program, { version: VERSION, registryFiles: resolveFiles, done, io });
  return program;
}

/** Runs one command line (the arguments after the program's name) and returns its exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // The command line goes with the io: a report names the command that made it (its provenance).
  const context: CliContext = { io: { ...io, argv }, exitCode: 0 };
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof RegistryError) {
      io.stderr.write(`exifhunt: invalid registry; fix these and run again:\n${error.problems.map((p) => `  ${p.file}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`).join("\n")}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`exifhunt: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ExifhuntError) {
      io.stderr.write(`exifhunt: ${error.message}\n`);
      return 2;
    }
    // Anything else is a bug or a system error nobody turned into words: still one sentence and
    // exit 2, never a stack trace and never 1 ("leak found"). EXIFHUNT_DEBUG=1 shows the stack.
    const system = systemError(error);
    const where = typeof system?.path === "string" ? system.path : typeof system?.syscall === "string" ? system.syscall : "system error";
    const what = system === null ? `internal error: ${error instanceof Error ? error.message : String(error)}` : `${where}: ${reasonOf(system)}`;
    io.stderr.write(`exifhunt: ${what}\n`);
    if (io.env["EXIFHUNT_DEBUG"] === "1" && error instanceof Error) io.stderr.write(`${error.stack ?? ""}\n`);
    return 2;
  }
}

