/**
 * Orchestration: inputs -> sources -> triage (a bounded prefix of each file) -> analysis ->
 * deep pass where it is needed -> records, with bounded concurrency, progress and cancellation.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import { analyze, type Publication } from "./analyze/index.js";
import { withSiblingFindings } from "./analyze/siblings.js";
import { describeError, UsageError } from "./errors.js";
import {
  detectFormat,
  extractJpeg,
  extractSample,
  imageInfo,
  metadataExtent,
  MetadataError,
  nextMetadataRange,
  unreadSegment,
  type BytePiece,
  type Extraction,
  type ImageFormat,
} from "./extract/index.js";
import { walkJpeg } from "./extract/jpeg.js";
import {
  emptyRecord,
  VERDICTS_BY_RANK,
  type ErrorCode,
  type ScanRecord,
  type Verdict,
} from "./record.js";
import { TriagePool } from "./parallel/pool.js";
import { loadRegistry, type DeviceRegistry } from "./registry/index.js";
import {
  DEFAULT_URL_MAX_BYTES,
  expandInputs,
  HttpClient,
  SourceError,
  type HttpOptions,
  type OpenedSource,
  type PhotoSource,
} from "./sources/index.js";
import { mapConcurrent } from "./util/concurrent.js";
import { GrowingBytes } from "./util/growing-bytes.js";

/** EXIF lives in the first 64 KiB of a JPEG (one APP1 segment holds at most 64 KiB). */
export const TRIAGE_PREFIX_BYTES = 64 * 1024;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CONCURRENCY = 16;
/** Per-photo time limit: generous for a slow disk, short enough that a stalled input cannot hang a scan. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Worker threads by default: one per core, up to 4. On the 2-core machines this project runs on
 * (docs/benchmarks.md) two workers read a 100,000-photo dump about a third faster than one thread;
 * a small scan never starts them (PARALLEL_AFTER).
 */
export const DEFAULT_WORKERS = Math.min(availableParallelism(), 4);
/** How long the scan may keep the event loop busy before it lets timers, signals and I/O run. */
const BREATH_INTERVAL_MS = 20;
/**
 * Local files read in this thread before worker threads are started. A worker starts cold: it
 * loads the code (~0.1 s) and runs it unoptimized for its first few thousand files, so on a dump
 * of 5,000 photos one thread finishes first; from some 20,000 on, workers win (docs/benchmarks.md).
 * Once they are started, this thread reads on until one is ready.
 */
export const PARALLEL_AFTER = 8000;

export interface ScanProgress {
  /** Records produced so far. */
  records: number;
  /** Files skipped while walking folders (not images). */
  skipped: number;
  /** Bytes read so far (triage and deep pass). */
  bytesRead: number;
  elapsedMs: number;
  /** Inputs read by worker threads so far (the others were read in the scan's own thread). */
  inWorkers: number;
}

export interface ScanOptions {
  /** A registry to use; by default the bundled one, with `registryFiles` layered over it. */
  registry?: DeviceRegistry;
  registryFiles?: readonly string[];
  concurrency?: number;
  /** Deep pass (SHA-256 of the whole file) for every photo, not only flagged ones. */
  deep?: boolean;
  /**
   * The most bytes read per input for metadata (not counting the deep pass). Default 32 MiB for
   * files and DEFAULT_URL_MAX_BYTES for URLs.
   */
  maxBytes?: number;
  /** Per-photo time limit in milliseconds (default 60 s): past it the photo is an error record. */
  timeoutMs?: number;
  /**
   * Worker threads for local files (default DEFAULT_WORKERS). Small scans never start them: the
   * first PARALLEL_AFTER files are read in this thread. 0 reads everything in this thread.
   */
  workers?: number;
  /** How URLs are fetched: timeout, redirects, retries, per-host cap (docs/urls.md). */
  http?: Partial<HttpOptions>;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
}

export type ScanEvent =
  | { type: "record"; record: ScanRecord }
  | { type: "skipped"; source: string; reason: string };

export interface ScanSummary {
  records: number;
  skipped: number;
  verdicts: Record<Verdict, number>;
  bytesRead: number;
  elapsedMs: number;
  registry: string;
}

export function emptyVerdictCounts(): Record<Verdict, number> {
  return Object.fromEntries(VERDICTS_BY_RANK.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
}

/** Verdicts a deep pass is always run for: what a report will have to prove. */
const FLAGGED: ReadonlySet<Verdict> = new Set(["leak", "suspicious"]);

function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof SourceError) return error.code;
  if (error instanceof MetadataError) return "corrupt-metadata";
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return "not-found";
  if (code === "EACCES" || code === "EPERM" || code === "EISDIR") return "unreadable";
  return "read-failed";
}

function errorMessageOf(error: unknown, source: PhotoSource): string {
  const code = errorCodeOf(error);
  if (code === "not-found") return `${source.id}: no such file or folder`;
  if (code === "corrupt-metadata") return `metadata cannot be read: ${describeError(error)}`;
  return describeError(error);
}

function baseRecord(source: PhotoSource): ScanRecord {
  return emptyRecord(source.id, source.kind);
}

async function sha256Of(opened: OpenedSource, counter: { bytes: number }): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of opened.chunks()) {
    hash.update(chunk);
    counter.bytes += chunk.length;
  }
  return hash.digest("hex");
}

/** Read past what a container walk asks for: covers the next few (small) headers in the same read. */
const READ_AHEAD_BYTES = 16 * 1024;

/**
 * Reads the prefix that holds a photo's metadata: the first read, more only when the headers run
 * past it. JPEG segments no parser reads are left out (unreadSegment), so the bytes returned are
 * the file's header without them.
 */
async function readMetadataPrefix(opened: OpenedSource, first: Uint8Array, format: ImageFormat, maxBytes: number, counter: { bytes: number }): Promise<Uint8Array> {
  const size = opened.size ?? Number.MAX_SAFE_INTEGER;
  const limit = Math.min(size, maxBytes);
  if (first.length >= limit || metadataExtent(first, format, size) <= first.length) return first;
  const prefix = new GrowingBytes(first);
  // Bytes of the file before prefix's end that are not in it: the segments left out.
  let leftOut = 0;
  while (prefix.length + leftOut < limit) {
    const unread = unreadSegment(prefix.bytes, format);
    if (unread !== null) {
      prefix.truncate(unread.offset);
      leftOut += unread.length;
      continue;
    }
    const extent = metadataExtent(prefix.bytes, format, size - leftOut);
    if (extent <= prefix.length) break;
    // As far as the walk says, plus a little for the segment headers that follow: read by
    // doubling, a URL would fetch up to twice the header it needs.
    const offset = prefix.length + leftOut;
    const more = await opened.read(offset, Math.min(extent + leftOut + READ_AHEAD_BYTES, limit) - offset);
    counter.bytes += more.length;
    if (more.length === 0) break;
    prefix.append(more);
  }
  return prefix.bytes;
}

/** Reads the ranges past the prefix that hold metadata (a HEIC's meta box and Exif item). */
async function readMetadataPieces(opened: OpenedSource, prefix: Uint8Array, format: ImageFormat, budget: number, counter: { bytes: number }): Promise<BytePiece[]> {
  const size = opened.size ?? Number.MAX_SAFE_INTEGER;
  const pieces: BytePiece[] = [];
  let left = budget - prefix.length;
  // A well-formed file needs two or three ranges; the bound stops a file whose boxes point in circles.
  for (let round = 0; round < 8; round++) {
    const range = nextMetadataRange(prefix, pieces, format, size);
    if (range === null || range.length > left) break;
    const bytes = await opened.read(range.offset, range.length);
    counter.bytes += bytes.length;
    left -= bytes.length;
    if (bytes.length === 0) break;
    pieces.push({ offset: range.offset, bytes });
  }
  return pieces;
}

export interface Context {
  registry: DeviceRegistry;
  deep: boolean;
  maxBytes: number;
  timeoutMs: number;
  counter: { bytes: number };
}

/**
 * processSource with a time limit: a stalled read (a hung network mount, a FIFO) becomes an error
 * record instead of holding the scan forever.
 */
async function processWithin(source: PhotoSource, context: Context): Promise<ScanEvent> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ScanEvent>((resolve) => {
    timer = setTimeout(() => {
      const record = baseRecord(source);
      record.error = { code: "timeout", message: `gave up after ${String(context.timeoutMs / 1000)} s reading ${source.id}` };
      resolve({ type: "record", record });
    }, context.timeoutMs);
  });
  try {
    return await Promise.race([processSource(source, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What triage made of an input: not an image, or its format and extraction. */
type Triage =
  | { kind: "not-an-image"; empty: boolean }
  | { kind: "image"; extraction: Extraction };

/**
 * Reads an input's metadata and extracts it. The first read takes 64 KiB; a local file lends them
 * from a buffer every file shares, so triage allocates nothing per file. A JPEG whose header ends
 * inside them (nearly all) is extracted at once, before any await, while borrowed bytes are still
 * this file's. Anything else goes the general way: more reads where the headers run on, byte
 * ranges for HEIC, libvips for AVIF.
 * Sets `record.format` as soon as it is known, so that an error record still says what the file was.
 */
async function triage(opened: OpenedSource, record: ScanRecord, maxBytes: number, counter: { bytes: number }): Promise<Triage> {
  const prefixLength = Math.min(TRIAGE_PREFIX_BYTES, maxBytes);
  const borrowed = opened.borrowPrefix?.(prefixLength);
  const first = borrowed ?? (await opened.read(0, prefixLength));
  counter.bytes += first.length;
  const format = detectFormat(first);
  if (format === null) return { kind: "not-an-image", empty: first.length === 0 };
  record.format = format;
  if (format === "jpeg") {
    const layout = walkJpeg(first);
    if (layout.headerEnd !== null) return { kind: "image", extraction: extractJpeg(first, layout) };
  }
  // The general way awaits: borrowed bytes are copied, as the shared buffer is another file's by then.
  const own = borrowed === undefined ? first : new Uint8Array(borrowed);
  const bytes = await readMetadataPrefix(opened, own, format, maxBytes, counter);
  const pieces = await readMetadataPieces(opened, bytes, format, maxBytes, counter);
  const extraction = await extractSample(bytes, { pieces, fileSize: opened.size ?? Number.MAX_SAFE_INTEGER });
  if (extraction === null) throw new MetadataError("not an image");
  return { kind: "image", extraction };
}

export async function processSource(source: PhotoSource, context: Context): Promise<ScanEvent> {
  const record = baseRecord(source);
  let opened: OpenedSource | undefined;
  try {
    opened = await source.open();
    record.bytes = opened.size;
    const maxBytes = Math.min(context.maxBytes, source.maxBytes ?? Number.POSITIVE_INFINITY);
    const result = await triage(opened, record, maxBytes, context.counter);
    if (result.kind === "not-an-image") {
      if (!source.explicit) return { type: "skipped", source: source.id, reason: "not an image" };
      record.error = result.empty
        ? { code: "empty-file", message: `${source.id} is empty` }
        : { code: "not-an-image", message: `not an image exifhunt reads (JPEG, HEIC/HEIF, AVIF, TIFF, PNG, WebP, GIF, BMP), judged by its content${servedAs(source)}` };
      return { type: "record", record };
    }
    const { extraction } = result;
    const published = publicationOf(source);
    const sidecar = source.sidecar?.() ?? null;
    if (sidecar !== null) record.sidecar = sidecar;
    const analysis = analyze(extraction.sample, context.registry, {
      evidence: extraction.evidence,
      ...(published === undefined ? {} : { published }),
      ...(sidecar === null ? {} : { sidecar }),
    });
    record.camera = extraction.sample;
    record.image = imageInfo(extraction.evidence);
    record.device = analysis.device;
    record.findings = analysis.findings;
    record.verdict = analysis.verdict;
    if (context.deep || FLAGGED.has(record.verdict)) record.sha256 = await sha256Of(opened, context.counter);
  } catch (error: unknown) {
    record.verdict = "error";
    record.camera = null;
    record.image = null;
    record.device = null;
    record.findings = [];
    record.error = { code: errorCodeOf(error), message: errorMessageOf(error, source) };
  } finally {
    await opened?.close().catch(() => undefined);
    // After close: the deep pass and any failed request are in the chain of custody too.
    if (source.custody !== undefined) record.http = source.custody();
  }
  return { type: "record", record };
}

/** What the server said a URL's body was, for a not-an-image message; empty for files. */
function servedAs(source: PhotoSource): string {
  const type = source.custody?.()?.contentType;
  return type === undefined || type === null ? "" : `; the server sent it as ${type}`;
}

/** Where and when a URL input was published, for the analysis rules that read it. */
function publicationOf(source: PhotoSource): Publication | undefined {
  const custody = source.custody?.();
  if (custody === undefined || custody === null) return undefined;
  return { requested: custody.requested, final: custody.final, lastModified: custody.lastModified };
}

/**
 * Scans inputs (files and folders) and yields one event per input as it completes: a record for
 * every photo and every explicitly named input, a `skipped` event for non-images met in folders.
 * Stops early, without error, when `signal` aborts.
 */
export async function* scanStream(
  inputs: Iterable<string> | AsyncIterable<string>,
  options: ScanOptions = {},
): AsyncGenerator<ScanEvent> {
  const http = new HttpClient(options.http);
  try {
    yield* scanSources(expandInputs(inputs, { http, urlMaxBytes: options.maxBytes ?? DEFAULT_URL_MAX_BYTES }), options);
  } finally {
    http.close();
  }
}

/** Like scanStream, over photo sources the caller made (memorySource, fileSource …). */
export async function* scanSources(
  sources: Iterable<PhotoSource> | AsyncIterable<PhotoSource>,
  options: ScanOptions = {},
): AsyncGenerator<ScanEvent> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(`concurrency must be a whole number of at least 1, not ${String(concurrency)}`);
  }
  const registry = options.registry ?? (await loadRegistry({ files: options.registryFiles ?? [] }));
  const context: Context = {
    registry,
    deep: options.deep ?? false,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    counter: { bytes: 0 },
  };
  const workers = TriagePool.available ? (options.workers ?? DEFAULT_WORKERS) : 0;
  let pool: TriagePool | undefined;
  let localFiles = 0;
  // What runs in this thread (URLs, memory sources, small scans) keeps to the global concurrency;
  // the window below is larger only to keep the workers' batches full.
  const inThread = pLimit(concurrency);
  const progress: ScanProgress = { records: 0, skipped: 0, bytesRead: 0, elapsedMs: 0, inWorkers: 0 };
  const task = async (source: PhotoSource): Promise<ScanEvent> => {
    if (source.path !== undefined && workers > 0 && ++localFiles > PARALLEL_AFTER) {
      pool ??= new TriagePool(workers, {
        layers: registry.layers,
        deep: context.deep,
        maxBytes: context.maxBytes,
        timeoutMs: context.timeoutMs,
      });
      // Until a worker has started, this thread goes on reading: no file waits for start-up.
      if (pool.ready) {
        const job = { path: source.path, explicit: source.explicit, ...(source.hasSidecar === undefined ? {} : { sidecar: source.hasSidecar }) };
        const { event, bytes } = await pool.process(job);
        context.counter.bytes += bytes;
        progress.inWorkers++;
        return event;
      }
    }
    // Local files are read synchronously: a timer could not interrupt them, so none is set.
    return inThread(() => (source.path === undefined ? processWithin(source, context) : processSource(source, context)));
  };
  // Enough requests in flight to keep every worker's batches full.
  const inFlight = workers === 0 ? concurrency : Math.max(concurrency, TriagePool.capacityFor(workers));
  const started = performance.now();
  const iterable = Symbol.asyncIterator in sources ? sources : toAsync(sources);
  try {
    let lastBreath = performance.now();
    for await (const event of mapConcurrent(iterable, inFlight * 2, task)) {
      // Local reads are synchronous and everything else is promise continuations, which run
      // before any timer or signal handler: give the event loop a turn now and then, so that
      // Ctrl-C, progress redraws and output flushing are not held back until the scan ends.
      if (performance.now() - lastBreath > BREATH_INTERVAL_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastBreath = performance.now();
      }
      if (options.signal?.aborted === true) return;
      if (event.type === "record") progress.records++;
      else progress.skipped++;
      progress.bytesRead = context.counter.bytes;
      progress.elapsedMs = performance.now() - started;
      options.onProgress?.(progress);
      yield event;
    }
  } finally {
    await pool?.close();
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

export interface ScanResult {
  /** Sorted by source. */
  records: ScanRecord[];
  summary: ScanSummary;
}

/** Compares sources for the deterministic order of table, JSON and HTML output. */
export function compareSources(a: ScanRecord, b: ScanRecord): number {
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** Tallies events into a summary; call `finish` once the stream ends. */
export class SummaryBuilder {
  readonly #started = performance.now();
  readonly #verdicts = emptyVerdictCounts();
  #records = 0;
  #skipped = 0;

  add(event: ScanEvent): void {
    if (event.type === "skipped") {
      this.#skipped++;
      return;
    }
    this.#records++;
    this.#verdicts[event.record.verdict]++;
  }

  finish(registry: string, bytesRead: number): ScanSummary {
    return {
      records: this.#records,
      skipped: this.#skipped,
      verdicts: { ...this.#verdicts },
      bytesRead,
      elapsedMs: Math.round(performance.now() - this.#started),
      registry,
    };
  }
}

/**
 * Holds back the records of a stream until it ends, then yields them with the findings that need
 * the whole scan (sibling comparison, analyze/siblings.ts); `skipped` events pass straight on.
 * For consumers that buffer anyway (sorted reports); streaming NDJSON/CSV go without.
 */
export async function* withScanWideChecks(events: AsyncIterable<ScanEvent>): AsyncGenerator<ScanEvent> {
  const records: ScanRecord[] = [];
  for await (const event of events) {
    if (event.type === "record") records.push(event.record);
    else yield event;
  }
  for (const record of withSiblingFindings(records)) yield { type: "record", record };
}

/** Scans everything and returns the records sorted by source, with a summary. */
export async function scan(inputs: Iterable<string> | AsyncIterable<string>, options: ScanOptions = {}): Promise<ScanResult> {
  const registry = options.registry ?? (await loadRegistry({ files: options.registryFiles ?? [] }));
  const records: ScanRecord[] = [];
  const summary = new SummaryBuilder();
  let bytesRead = 0;
  const onProgress = (progress: ScanProgress): void => {
    bytesRead = progress.bytesRead;
    options.onProgress?.(progress);
  };
  for await (const event of withScanWideChecks(scanStream(inputs, { ...options, registry, onProgress }))) {
    summary.add(event);
    if (event.type === "record") records.push(event.record);
  }
  records.sort(compareSources);
  return { records, summary: summary.finish(registry.version, bytesRead) };
}
