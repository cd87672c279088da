/**
 * `exifhunt scan`: inputs -> records -> one output, and the exit code automation relies on
 * (README "Exit codes"): 0 clean, 1 --fail-on matched, 2 usage/config/registry/output error,
 * 3 some named input could not be read (1 wins over 3), 130/143 interrupted.
 */
import { realpath, stat, open } from "node:fs/promises";
import type { Stats } from "node:fs";
import { relative, isAbsolute } from "node:path";
import type { Readable } from "node:stream";
import { UsageError } from "../errors.js";
import { DEFAULT_EVIDENCE_MAX_BYTES } from "../photo-evidence.js";
import { detectFormat } from "../extract/index.js";
import { checkOutputPath, fileOutput, OutputError, stdoutOutput, type Output } from "../output.js";
import { progressDisplay } from "../progress.js";
import type { Verdict } from "../record.js";
import { loadRegistry, type DeviceRegistry } from "../registry/index.js";
import { reporters, summaryLine, type Format } from "../report/index.js";
import { stripControl, groupDigits } from "../report/text.js";
import { recordHead, SummaryBuilder, withScanWideChecksInBatches, type RecordHead, type ScanSummary } from "../events.js";
import { scanSourceBatches } from "../scan.js";
import { DEFAULT_URL_MAX_BYTES, expandInputChunks, HttpClient, isUrlInput, memorySource, WalkCensus, withInputLists, type PhotoSource } from "../sources/index.js";
import { registryFiles } from "./config.js";
import type { ScanLog } from "../db/scan-log.js";
import { VERSION } from "../version.js";
import type { CliIo } from "./io.js";
import { chooseFormat, openInputLists, reporterOptions } from "./options.js";

/**
 * Formats written as records complete. The others are sorted at the end anyway, so they also get
 * the checks that need the whole scan (sibling comparison of quantization tables).
 */
export const STREAMING: ReadonlySet<Format> = new Set(["ndjson", "csv"]);

/** Verdicts --fail-on accepts, and what each one covers. */
export const FAIL_ON = { leak: ["leak"], suspicious: ["leak", "suspicious"] } satisfies Record<string, Verdict[]>;

/** After Ctrl-C, how long the scan may take to stop by itself before the CLI stops waiting. */
const GRACE_MS = 2000;

export interface ScanCommandOptions {
  format?: Format;
  out?: string;
  registry: string[];
  concurrency: number;
  workers?: number;
  failOn?: keyof typeof FAIL_ON;
  only?: Verdict[];
  deep: boolean;
  quiet: boolean;
  stats: boolean;
  inputFile: string[];
  timeout: number;
  maxBytes?: number;
  perHost: number;
  db?: string;
  newOnly: boolean;
}

/**
 * The inputs named on the command line and in input lists, as the scan pulls them: their error
 * records decide exit code 3, and none of them may be the --out file.
 */
class NamedInputs {
  readonly #names = new Set<string>();
  readonly #out: { path: string; stats: Stats } | null;

  constructor(out: { path: string; stats: Stats } | null) {
    this.#out = out;
  }

  has(source: string): boolean {
    return this.#names.has(source);
  }

  async add(name: string): Promise<void> {
    this.#names.add(name);
    await this.guard(name);
  }

  /** Refuses an --out that is this input (or, for a folder, a photo inside it). */
  async guard(name: string): Promise<void> {
    const out = this.#out;
    if (out === null || name === "-" || isUrlInput(name)) return;
    let input: Stats;
    try {
      input = await stat(name);
    } catch {
      return; // missing or unreadable: its own record says so
    }
    // The same file, whatever the names: a symbolic link or a hard link to an input is refused too.
    if (input.dev === out.stats.dev && input.ino === out.stats.ino) {
      throw new OutputError(`--out ${out.path} is the input ${name}: writing the report would destroy it; name another file`);
    }
    if (input.isDirectory() && (await isInside(out.path, name)) && (await looksLikeImage(out.path))) {
      throw new OutputError(`--out ${out.path} is a photo inside the scanned folder ${name}: writing the report would destroy it; name another file`);
    }
  }
}

async function isInside(path: string, folder: string): Promise<boolean> {
  const [file, root] = await Promise.all([realpath(path), realpath(folder)]);
  const between = relative(root, file);
  return between !== "" && !between.startsWith("..") && !isAbsolute(between);
}

async function looksLikeImage(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return detectFormat(buffer.subarray(0, bytesRead)) !== null;
  } finally {
    await handle.close();
  }
}

/** `scan -`: the photo on standard input, read whole (it cannot be read twice). */
async function stdinPhoto(stdin: Readable): Promise<PhotoSource> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > DEFAULT_EVIDENCE_MAX_BYTES) {
      throw new UsageError(`standard input holds more than ${String(DEFAULT_EVIDENCE_MAX_BYTES / 1024 / 1024)} MiB: save it to a file and scan the file`);
    }
    chunks.push(bytes);
  }
  return memorySource("-", Buffer.concat(chunks), true);
}

/** The sentence for an error record of a named input, for stderr. */
function errorLine(record: RecordHead): string {
  const message = record.error?.message ?? "cannot be read";
  return `exifhunt: ${stripControl(message.startsWith(record.source) ? message : `${record.source}: ${message}`)}`;
}

function plural(count: number, word: string): string {
  return `${groupDigits(count)} ${word}${count === 1 ? "" : "s"}`;
}

/** What Ctrl-C leaves behind, in one sentence: how far the scan got and where its output is. */
function interruptedLine(summary: ScanSummary, format: Format, out: string | undefined, partial: string | null, existed: boolean): string {
  const done = `exifhunt: interrupted after ${plural(summary.records, "photo")}${summary.skipped > 0 ? ` (and ${plural(summary.skipped, "file")} skipped)` : ""}`;
  const previous = out !== undefined && existed ? `; ${out} is as it was` : "";
  if (out === undefined) {
    return STREAMING.has(format)
      ? `${done}; their records were written to standard output`
      : `${done}; nothing was printed: the ${format} output comes only when the scan completes`;
  }
  if (partial !== null) return `${done}; their records are in ${partial}${previous}`;
  return `${done}; nothing was written: a ${format} report is written only when the scan completes${previous}`;
}

export async function runScan(inputs: string[], options: ScanCommandOptions, io: CliIo): Promise<number> {
  if (inputs.length === 0 && options.inputFile.length === 0) {
    throw new UsageError("name at least one photo, folder or URL to scan, or a list of them with --input-file");
  }
  const stdinPhotos = inputs.filter((input) => input === "-").length;
  if (stdinPhotos + options.inputFile.filter((file) => file === "-").length > 1) {
    throw new UsageError("standard input can be read once: name - once, as a photo (scan -) or as an input list (-i -)");
  }
  // A folder or a missing folder is said before a format is guessed from the name.
  const existing = options.out === undefined ? null : await checkOutputPath(options.out);
  const format = chooseFormat(options.format, options.out, io);
  const named = new NamedInputs(options.out === undefined || existing === null ? null : { path: options.out, stats: existing });
  // An input list is read while the report is written: it may not be the report either.
  for (const list of options.inputFile) if (list !== "-") await named.guard(list);
  const lists = await openInputLists(options.inputFile, io.stdin);
  const registry = await loadRegistry({ files: await registryFiles(options.registry, io, options.quiet) });
  const controller = new AbortController();
  const stdinSource = stdinPhotos > 0 ? await stdinPhoto(io.stdin) : null;
  // The hunt log (docs/database.md): a database problem ends the run before any output exists.
  if (options.newOnly && options.db === undefined) throw new UsageError("--new-only compares with earlier scans kept in a database: add --db FILE");
  const hunt = options.db === undefined ? null : await openScanLog(options.db, inputs, registry, options, io);
  // Mutated by the signal handler and the scan loop (an object: TypeScript sees those writes).
  const state: { interruption: number | null; failed: boolean; unreadable: boolean } = { interruption: null, failed: false, unreadable: false };
  let stopWaiting: () => void = () => undefined;
  const givenUp = new Promise<"given up">((resolve) => {
    stopWaiting = () => {
      resolve("given up");
    };
  });
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (state.interruption !== null) {
      stopWaiting(); // a second Ctrl-C: stop now
      return;
    }
    state.interruption = signal === "SIGINT" ? 130 : 143;
    controller.abort();
    grace = setTimeout(stopWaiting, GRACE_MS);
  };
  // Installed before the output file is created, so that no signal can leave its temporary file
  // behind.
  io.signals.on("SIGINT", onSignal);
  io.signals.on("SIGTERM", onSignal);
  let output: Output;
  try {
    output = options.out === undefined
      ? stdoutOutput(io.stdout, () => {
          controller.abort();
        })
      : await fileOutput(options.out);
  } catch (error: unknown) {
    clearTimeout(grace);
    io.signals.off("SIGINT", onSignal);
    io.signals.off("SIGTERM", onSignal);
    hunt?.finish("failed");
    throw error;
  }
  const reporter = reporters[format](output, reporterOptions(io, options.out, options.only, registry, controller.signal));

  // With input lists the total is not known up front: the line shows a running count.
  const progress = progressDisplay(lists.length === 0 ? inputs : null, io.stderr, io.stderr.isTTY === true && !options.quiet);
  const summary = new SummaryBuilder();
  const failing = new Set<Verdict>(options.failOn === undefined ? [] : FAIL_ON[options.failOn]);
  const only = options.only === undefined ? null : new Set(options.only);
  let bytesRead = 0;
  const http = new HttpClient({ timeoutMs: options.timeout * 1000, perHost: options.perHost });

  // What the walk has listed: a dump that will be large starts its worker threads at once.
  const census = new WalkCensus();
  async function* names(): AsyncGenerator<string> {
    for await (const name of withInputLists(inputs.filter((input) => input !== "-"), lists)) {
      await named.add(name);
      yield name;
    }
  }
  // In chunks (a folder's files at once): the scan takes them without an await per file.
  async function* sources(): AsyncGenerator<PhotoSource[]> {
    if (stdinSource !== null) {
      await named.add("-");
      yield [stdinSource];
    }
    yield* expandInputChunks(names(), { http, urlMaxBytes: options.maxBytes ?? DEFAULT_URL_MAX_BYTES, census });
  }

  const stopped = (): boolean => controller.signal.aborted;
  const work = async (): Promise<ScanSummary | null> => {
    await reporter.begin();
    // Events a batch at a time, to the reporter's write: at tens of thousands of photos a second
    // the hops of async generators and awaits per record cost more than writing it (round ten).
    const batches = scanSourceBatches({ chunks: sources() }, {
      registry,
      expectedFiles: () => census.expected(),
      concurrency: options.concurrency,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      deep: options.deep,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      signal: controller.signal,
      ...(hunt === null ? {} : { reuse: hunt.session.reuse }),
      onProgress: (p) => {
        bytesRead = p.bytesRead;
        progress.update(p);
      },
    });
    const logged = hunt === null ? batches : hunt.tapBatches(batches);
    for await (const batch of STREAMING.has(format) ? logged : withScanWideChecksInBatches(logged)) {
      for (const event of batch) {
        // Ctrl-C: no record after it, as the scan yields none (it checks between batches).
        if (stopped()) break;
        if (event.type !== "record") {
          summary.add(event);
          continue;
        }
        // By its head: a record that came as text (from a worker) is not parsed to be counted and routed.
        const head = recordHead(event);
        // --new-only: what an earlier scan of the database delivered is neither output nor counted.
        const shown = hunt === null || hunt.isNew(head.source) || !options.newOnly;
        if (shown) summary.add(event);
        if (head.error !== null && named.has(head.source)) {
          state.unreadable = true;
          // Errors about what the user named are said even with --quiet (and every night): a typo in a cron job must show.
          progress.above(errorLine(head));
        }
        if (!shown) continue;
        if (failing.has(head.verdict)) state.failed = true;
        if (only === null || only.has(head.verdict)) {
          const written = reporter.record(event);
          if (written !== undefined) await written;
        }
      }
    }
    if (stopped()) return null;
    const result = summary.finish(registry.version, bytesRead);
    try {
      await reporter.end(result);
    } catch (error: unknown) {
      // Ctrl-C during the report step: the evidence provider stops with AbortedError.
      if (stopped()) return null;
      throw error;
    }
    // Ctrl-C during the report step (html reads photos again): the report is not written.
    if (stopped()) return null;
    await output.commit();
    return result;
  };

  const running = work();
  // If the CLI stops waiting, the scan's own end no longer matters.
  running.catch(() => undefined);
  try {
    const result = await Promise.race([running, givenUp]);
    progress.clear();
    if (state.interruption !== null || result === "given up" || result === null) {
      const partial = await output.abandon({ keepPartial: STREAMING.has(format) });
      hunt?.finish("interrupted");
      if (state.interruption !== null) {
        io.stderr.write(`${interruptedLine(summary.finish(registry.version, bytesRead), format, options.out, partial, existing !== null)}\n`);
        return state.interruption;
      }
      // The reader of standard output went away (`| head`): not an error.
      return exitCode(state);
    }
    // After the output is in place: only then are this scan's records delivered (--new-only).
    const totals = hunt?.finish("complete");
    if (options.stats) {
      const files = result.records + result.skipped;
      const seconds = result.elapsedMs / 1000;
      const db = totals === undefined ? {} : { db: { scan: totals.id, records: totals.records, new: totals.newRecords, notReadAgain: totals.reused } };
      io.stderr.write(`${JSON.stringify({ ...result, filesPerSecond: seconds > 0 ? Math.round(files / seconds) : null, ...db })}\n`);
    }
    if (format !== "table" && !options.quiet && io.stderr.isTTY === true) io.stderr.write(`${summaryLine(result)}\n`);
  } catch (error: unknown) {
    progress.clear();
    await output.abandon();
    try {
      hunt?.finish("failed");
    } catch {
      hunt?.abandon(); // the database failing is what is being reported
    }
    throw error;
  } finally {
    clearTimeout(grace);
    http.close();
    io.signals.off("SIGINT", onSignal);
    io.signals.off("SIGTERM", onSignal);
  }
  return exitCode(state);
}

/** 1 wins over 3: a leak found matters more than an input missed. */
function exitCode(state: { failed: boolean; unreadable: boolean }): number {
  if (state.failed) return 1;
  return state.unreadable ? 3 : 0;
}

/**
 * The hunt log of --db. Loaded only then: SQLite's native module is a tenth of a scan's start-up
 * that a scan without --db does not pay.
 */
async function openScanLog(db: string, inputs: readonly string[], registry: DeviceRegistry, options: ScanCommandOptions, io: CliIo): Promise<ScanLog> {
  const [{ ScanLog }, { busyTimeoutFrom }] = await Promise.all([import("../db/scan-log.js"), import("../db/errors.js")]);
  return ScanLog.open(db, { command: "scan", inputs, exifhuntVersion: VERSION, registry, deep: options.deep, maxBytes: options.maxBytes, busyTimeoutMs: busyTimeoutFrom(io.env) });
}
