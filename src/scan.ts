/**
 * Orchestration: inputs -> sources -> triage (a bounded prefix of each file) -> analysis ->
 * deep pass where it is needed -> records, with bounded concurrency, progress and cancellation.
 */
import { availableParallelism } from "node:os";
import pLimit from "p-limit";
import { UsageError } from "./errors.js";
import { compareSources, RecordText, SummaryBuilder, withScanWideChecks, type ScanEvent, type ScanSummary } from "./events.js";
import type { ScanRecord } from "./record.js";
import { TriagePool, type PoolResult } from "./parallel/pool.js";
import { loadRegistry, type DeviceRegistry } from "./registry/index.js";
import {
  DEFAULT_URL_MAX_BYTES,
  expandInputChunks,
  HttpClient,
  type HttpOptions,
  type OpenedSource,
  type PhotoSource,
  WalkCensus,
} from "./sources/index.js";
import type { ArchiveFormat } from "./sources/archive/index.js";
import { FileHasher, FileHashes, HEADER_BATCH, processBatchNow, processSource, processWithin, readsAtOnce, type Context, type SourceOutcome } from "./triage/index.js";
import { DELIVERED_LATER, mapConcurrentBatches, untilAborted, type Deliver } from "./util/concurrent.js";
import { chunksOf, SourceStack, type Chunkable } from "./util/source-stack.js";

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CONCURRENCY = 16;
/** Per-photo time limit: generous for a slow disk, short enough that a stalled input cannot hang a scan. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Worker threads by default: one per core but the scan's own, up to 4 (one on 2 cores). The
 * scan's thread reads files too, whenever the workers hold all the files they can (TriagePool
 * hasRoom), so no core waits for another and a worker that is slow (a loaded machine) is simply
 * given fewer files. On this project's 2-core machine, 100,000 photos: one worker took 0.78 of
 * one thread's wall time, for more CPU (each worker file is copied back to this thread) and
 * 150 to 195 MB peak RSS instead of 110 (docs/benchmarks.md). A small scan never starts them
 * (PARALLEL_AFTER).
 */
export const DEFAULT_WORKERS = Math.min(availableParallelism() - 1, 4);
/** How long the scan may keep the event loop busy before it lets timers, signals and I/O run. */
const BREATH_INTERVAL_MS = 20;
/**
 * Local files read in this thread before worker threads are started. A worker starts cold: it
 * loads the code (~0.1 s) and runs it unoptimized for its first few thousand files, so on a dump
 * of 5,000 photos one thread finishes first (two workers started at file 500 took 1.41 times as
 * long, docs/benchmarks.md). Once they are started, this thread reads on until one is ready.
 */
export const PARALLEL_AFTER = 8000;
/**
 * A scan that expects at least this many times `parallelAfter` files in all (ScanOptions.
 * expectedFiles: the folder walk's guess) starts its workers with its first file: past
 * PARALLEL_AFTER their start is paid for anyway, and the first files then have both cores too.
 * Twice, so that a guess twice too large still starts them only for a scan they pay for.
 * 100,000 photos: wall 0.95 to 0.98 on the phones and cameras, 0.94 on the cameras (docs/benchmarks.md).
 */
const EARLY_START_FACTOR = 2;
/** The files a scan must expect, by default, to start its workers at once. */
export const EXPECTED_FOR_EARLY_START = EARLY_START_FACTOR * PARALLEL_AFTER;

/**
 * Whether a scan that has met `localFiles` local files to read starts its workers now: past
 * `parallelAfter`, or before when it expects twice that many in all. Not early with a hunt log
 * (`reusing`): it answers for unchanged files itself, and a nightly rescan of a large dump may
 * read only a handful.
 */
export function workersDue(localFiles: number, parallelAfter: number, expectedFiles: number | undefined, reusing: boolean): boolean {
  if (localFiles > parallelAfter) return true;
  return !reusing && expectedFiles !== undefined && expectedFiles >= EARLY_START_FACTOR * parallelAfter;
}
/**
 * Results yielded once this many wait, however many more files could start: a worker's answers,
 * taken while this thread reads its own files, go to the output at once instead of after a whole
 * window of them. 100,000 photos, shared corpus: peak RSS 150 MB against 159, wall 1.00 (5 pairs).
 */
const BATCH_LIMIT = 256;
/** Files between two looks at the workers' answers (TriagePool.poll): a millisecond or so of reading. */
const POLL_EVERY = 16;

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
   * first PARALLEL_AFTER files are read in this thread, unless `expectedFiles` says the scan will
   * hold twice as many. 0 reads everything in this thread.
   */
  workers?: number;
  /**
   * Local files read in this thread before the workers start (default PARALLEL_AFTER): below it,
   * start-up costs more than the workers save (docs/benchmarks.md).
   */
  parallelAfter?: number;
  /**
   * Called once, when the first worker is ready for files: what a caller that feeds inputs
   * slowly, or a test, waits for instead of a guess at how long start-up takes.
   */
  onWorkersReady?: () => void;
  /**
   * How many files the scan expects in all, as far as is known yet (the folder walk's census,
   * WalkCensus.expected): at twice `parallelAfter` or more, the workers start with the first
   * file. Without it, or with `reuse` (most files may need no reading), they start after
   * `parallelAfter` files read.
   */
  expectedFiles?: () => number;
  /** How URLs are fetched: timeout, redirects, retries, per-host cap (docs/urls.md). */
  http?: Partial<HttpOptions>;
  /** Follow symbolic links that lead out of a folder named as input (default false: skipped, with a reason). */
  followLinksOutside?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * Asked before an input is read: an event to use instead of reading it (the hunt log's stored
   * record of an unchanged file, db/huntlog.ts), or null to read it.
   */
  reuse?: (source: PhotoSource) => ScanEvent | null;
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
    const census = new WalkCensus();
    const chunks = expandInputChunks(inputs, { http, urlMaxBytes: options.maxBytes ?? DEFAULT_URL_MAX_BYTES, followLinksOutside: options.followLinksOutside ?? false, census });
    yield* scanSources({ chunks }, { expectedFiles: () => census.expected(), ...options });
  } finally {
    http.close();
  }
}

/**
 * Photo sources as a scan takes them: one by one, or in chunks (expandInputChunks: a folder's
 * files as one array), whose sources it takes without an await for each.
 */
export type ScanSources = Chunkable<PhotoSource>;

/** Like scanStream, over photo sources the caller made (memorySource, fileSource …). */
export async function* scanSources(
  sources: ScanSources,
  options: ScanOptions = {},
): AsyncGenerator<ScanEvent> {
  for await (const batch of scanSourceBatches(sources, options)) {
    for (const event of batch) {
      if (options.signal?.aborted === true) return;
      yield event;
    }
  }
}

/**
 * Like scanSources, the events yielded as they complete, a batch at a time (never empty): for a
 * consumer of tens of thousands of events a second, which a hop of the async generator per event
 * costs more than its own work (the CLI; docs/benchmarks.md, round ten). `onProgress` is told once
 * per batch, before it is yielded; after an abort no batch is yielded, and a consumer that must
 * stop within a batch checks the signal itself.
 */
export async function* scanSourceBatches(
  sources: ScanSources,
  options: ScanOptions = {},
): AsyncGenerator<ScanEvent[]> {
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
    hasher: new FileHasher(),
    hashes: new FileHashes(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const workers = TriagePool.available ? (options.workers ?? DEFAULT_WORKERS) : 0;
  const parallelAfter = options.parallelAfter ?? PARALLEL_AFTER;
  let pool: TriagePool<LocalSource> | undefined;
  let localFiles = 0;
  // What runs in this thread (URLs, memory sources, small scans) keeps to the global concurrency;
  // the window below is larger only to keep the workers' batches full.
  const inThread = pLimit(concurrency);
  const progress: ScanProgress = { records: 0, skipped: 0, bytesRead: 0, elapsedMs: 0, inWorkers: 0 };
  // Archives found on the way push the sources of their entries, read before the walk goes on.
  const stack = new SourceStack(chunksOf(sources));
  /** A source's outcome as the scan yields it: its event, or null for an archive, whose entries are pushed to be read next. */
  const finish = (outcome: SourceOutcome): ScanEvent | null => {
    try {
      if (outcome.type !== "archive") return outcome;
      if (outcome.opened !== null) stack.push(expandLazily(outcome.source, outcome.opened, outcome.format));
      return null;
    } finally {
      stack.settled();
    }
  };
  const failed = (error: unknown): never => {
    stack.settled();
    throw error;
  };
  // Files read by workers, and the batches read in this thread, come back a batch at a time,
  // through the stream's one delivery function (handed to every task; kept by `expanding`).
  let deliverLate: Deliver<ScanEvent | null> | undefined;
  const fromWorkers = (results: readonly PoolResult<LocalSource>[], bytes: number): void => {
    context.counter.bytes += bytes;
    const events: (ScanEvent | null | Promise<ScanEvent | null>)[] = [];
    for (const { item: source, result } of results) {
      progress.inWorkers++;
      const { event } = result;
      // A worker's archive is read in this thread: its reader cannot cross threads.
      if (event.type === "archive") events.push(inThread(() => processSource(source, context)).then(finish, failed));
      else events.push(finish(event.type === "record-text" ? new RecordText(event.head, event.json) : event));
    }
    deliverLate?.(events);
  };
  const task = (source: PhotoSource): SourceOutcome | Promise<SourceOutcome> | typeof DELIVERED_LATER => {
    if (source.skip !== undefined) return { type: "skipped", source: source.id, reason: source.skip };
    const known = options.reuse?.(source) ?? null;
    if (known !== null) return known;
    if (isLocal(source) && workers > 0 && (++localFiles > parallelAfter || pool !== undefined || workersDue(localFiles, parallelAfter, options.expectedFiles?.(), options.reuse !== undefined))) {
      pool ??= new TriagePool(workers, {
        layers: registry.layers,
        deep: context.deep,
        maxBytes: context.maxBytes,
        timeoutMs: context.timeoutMs,
      }, fromWorkers, options.onWorkersReady);
      // This thread reads files too, for many milliseconds between event-loop turns: the workers'
      // answers are taken as it goes, so that they get their next files without waiting for one.
      if (localFiles % POLL_EVERY === 0) pool.poll();
      // Until a worker has started, and whenever the workers have all the files they can hold,
      // this thread reads the file itself: no file waits for a worker.
      if (pool.ready && pool.hasRoom) {
        pool.submit({ path: source.path, explicit: source.explicit, ...(source.hasSidecar === undefined ? {} : { sidecar: source.hasSidecar }) }, source);
        return DELIVERED_LATER;
      }
    }
    // Most local files are done before any await, HEADER_BATCH at a time (processBatchNow); the
    // others, and every other input, the general way. Done at once, a file's record overtakes
    // those still being read, which is what completion order means; at --concurrency 1 records
    // come in the walk order, so all go one way.
    if (nowBatchSize > 1 && readsAtOnce(source)) {
      nowBatch.push(source);
      if (nowBatch.length >= nowBatchSize) judgeBatch();
      else if (!batchScheduled) {
        // A partial batch is read once the walk has nothing more to give at once.
        batchScheduled = true;
        setImmediate(judgeBatch);
      }
      return DELIVERED_LATER;
    }
    return inThread(() => generalWay(source));
  };
  // Local files are read synchronously: a timer could not interrupt them, so none is set (their
  // read plan checks the time limit between reads instead).
  const generalWay = (source: PhotoSource): Promise<SourceOutcome> => (source.path === undefined ? processWithin(source, context) : processSource(source, context));
  // Local files waiting to be read in this thread, as one batch (a file's headers are read with
  // its batch's, then each is judged: triage/process.ts). Their results come through deliverLate.
  const nowBatchSize = concurrency > 1 ? Math.min(HEADER_BATCH, concurrency) : 0;
  const nowBatch: PhotoSource[] = [];
  let batchScheduled = false;
  let finished = false;
  const judgeBatch = (): void => {
    batchScheduled = false;
    const sources = nowBatch.splice(0);
    // A scan that has ended (aborted, or its consumer stopped) reads no more.
    if (sources.length === 0 || finished) return;
    let done: ReturnType<typeof processBatchNow> = [];
    try {
      done = processBatchNow(sources, context);
    } catch {
      // Not expected (it makes error records of what fails), but then each goes the general way.
    }
    deliverLate?.(sources.map((source, index) => {
      const now = done[index] ?? null;
      if (now === null) return inThread(() => generalWay(source)).then(finish, failed);
      return now instanceof Promise ? now.then(finish, failed) : finish(now);
    }));
  };
  // Enough requests in flight to keep every worker's batches full.
  const inFlight = workers === 0 ? concurrency : Math.max(concurrency, TriagePool.capacityFor(workers));
  const started = performance.now();
  // Each source is settled on the stack once its outcome is known: done at once, as a promise,
  // or delivered later by a worker (fromWorkers).
  const expanding = (source: PhotoSource, deliver: Deliver<ScanEvent | null>): ScanEvent | null | Promise<ScanEvent | null> | typeof DELIVERED_LATER => {
    deliverLate = deliver;
    let outcome: ReturnType<typeof task>;
    try {
      outcome = task(source);
    } catch (error: unknown) {
      return failed(error);
    }
    if (outcome === DELIVERED_LATER) return outcome;
    return outcome instanceof Promise ? outcome.then(finish, failed) : finish(outcome);
  };
  try {
    let lastBreath = performance.now();
    // An abort ends the loop at once, even while every input in flight is stuck: they are given
    // up through the same signal (context.signal) and not waited for.
    for await (const completed of untilAborted(mapConcurrentBatches(stack, inFlight * 2, expanding, BATCH_LIMIT), options.signal)) {
      // Local reads are synchronous and everything else is promise continuations, which run
      // before any timer or signal handler: give the event loop a turn now and then, so that
      // Ctrl-C, progress redraws and output flushing are not held back until the scan ends.
      if (performance.now() - lastBreath > BREATH_INTERVAL_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastBreath = performance.now();
      }
      if (options.signal?.aborted === true) return;
      const batch: ScanEvent[] = [];
      for (const event of completed) {
        if (event === null) continue;
        if (event.type === "record") progress.records++;
        else progress.skipped++;
        batch.push(event);
      }
      if (batch.length === 0) continue;
      progress.bytesRead = context.counter.bytes;
      progress.elapsedMs = performance.now() - started;
      options.onProgress?.(progress);
      yield batch;
    }
  } finally {
    finished = true;
    await Promise.all([pool?.close(), context.hasher?.close()]);
  }
}

/**
 * An archive's entries. Its readers (yauzl, tar-stream) load with the first archive met: a scan
 * of a folder of photos does not start up with them.
 */
async function* expandLazily(source: PhotoSource, opened: OpenedSource, format: ArchiveFormat): AsyncGenerator<PhotoSource> {
  const { expandArchive } = await import("./sources/archive/index.js");
  yield* expandArchive(source, opened, format);
}

/** A local file: what a worker is given. */
type LocalSource = PhotoSource & { path: string };

/** Whether a source is a local file (what a worker can read), as the source itself, not a copy of it. */
function isLocal(source: PhotoSource): source is LocalSource {
  return source.path !== undefined;
}

export interface ScanResult {
  /** Sorted by source. */
  records: ScanRecord[];
  summary: ScanSummary;
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
