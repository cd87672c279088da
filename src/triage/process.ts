/**
 * One input -> one record: opens the input, reads its metadata by the read plan (read-plan.ts),
 * extracts and analyses it, runs the deep pass where it is needed, and turns every failure into an
 * error record. Used in the scan's own thread (scan.ts) and in the worker threads (parallel/).
 */
import { analyze } from "../analyze/index.js";
import { FLAGGED, type ScanEvent } from "../events.js";
import { extractJpeg, extractSample, imageInfo, MetadataError, detectFormat, type Extraction } from "../extract/index.js";
import { JpegPrefixPlan, walkJpeg, type JpegLayout } from "../extract/jpeg.js";
import { emptyRecord, type ScanRecord } from "../record.js";
import type { DeviceRegistry } from "../registry/index.js";
import { detectArchive, type ArchiveFormat, type ArchiveKind } from "../sources/archive/detect.js";
import { SourceError, type OpenedSource, type PhotoSource } from "../sources/index.js";
import { openFile, type OpenedFile } from "../sources/file.js";
import { servedAs, publicationOf } from "./custody.js";
import { errorCodeOf, errorMessageOf } from "./error-codes.js";
import { readMetadataPieces, readMetadataPrefix, readMetadataPrefixNow, TRIAGE_PREFIX_BYTES } from "./read-plan.js";
import { sha256Of, type FileHashes } from "./sha256.js";
import type { FileHasher } from "./file-hasher.js";
import { InputDeadline } from "./deadline.js";
import { HEADER_BATCH, headerRegion, overflowBuffer, releaseOverflow } from "./header-slots.js";
import { GrowingBytes } from "../util/growing-bytes.js";

function baseRecord(source: PhotoSource): ScanRecord {
  const record = emptyRecord(source.id, source.kind);
  return source.archive === undefined ? record : { ...record, archive: source.archive };
}

/**
 * What processing one source gives: an event, or an archive whose entries the scan reads next
 * (sources/archive/). `opened` is the archive as triage opened it, handed over to the expansion;
 * null from a worker thread, whose file the scan's own thread opens again.
 */
export type SourceOutcome = ScanEvent | { type: "archive"; source: PhotoSource; format: ArchiveFormat; opened: OpenedSource | null };

export interface Context {
  registry: DeviceRegistry;
  deep: boolean;
  maxBytes: number;
  timeoutMs: number;
  counter: { bytes: number };
  /** The scan's signal: an input still being read when it aborts is given up at once. */
  signal?: AbortSignal;
  /** Where local files are hashed for the deep pass; without it, in this thread. */
  hasher?: FileHasher;
  /** The hashes this scan has taken, by file identity: a file with several paths is hashed once. */
  hashes?: FileHashes;
}

/** How one input is run: its deadline, and the signal that gives it up. */
export interface InputRun {
  deadline: InputDeadline;
  signal?: AbortSignal;
}

/**
 * processSource with a time limit that a timer enforces, for sources read asynchronously (URLs):
 * a stalled or dripping read becomes an error record instead of holding the scan. At the limit the
 * input is given up through its signal, so its requests end and free their host slots at once,
 * and the record says how far it got (`http` custody). Time spent waiting for a host slot does
 * not count (InputDeadline's clock stops then).
 */
export async function processWithin(source: PhotoSource, context: Context): Promise<SourceOutcome> {
  const controller = new AbortController();
  let expire: (error: SourceError) => void = () => undefined;
  let late = false;
  const timeout = new Promise<SourceError>((resolve) => {
    expire = resolve;
  });
  const deadline = new InputDeadline(context.timeoutMs, source.id, (error) => {
    late = true;
    controller.abort(error);
    expire(error);
  });
  const signal = context.signal === undefined ? controller.signal : AbortSignal.any([context.signal, controller.signal]);
  // An archive found after the time ran out is not read: its reader is closed.
  const processing = processSource(source, context, { deadline, signal }).then(async (outcome) => {
    if (late && outcome.type === "archive") await outcome.opened?.close();
    return outcome;
  });
  try {
    const first = await Promise.race([processing, timeout]);
    if (!(first instanceof SourceError)) return first;
    const record = baseRecord(source);
    record.error = { code: first.code, message: first.message };
    if (source.custody !== undefined) record.http = source.custody();
    return { type: "record", record };
  } finally {
    deadline.dispose();
  }
}

/** What triage made of an input: not an image, or its format and extraction. */
type Triage =
  | { kind: "not-an-image"; empty: boolean }
  | { kind: "archive"; archive: ArchiveKind }
  | { kind: "image"; extraction: Extraction };

/**
 * Reads an input's metadata and extracts it. The first read takes 64 KiB; a local file lends them
 * from a buffer every file shares, so triage allocates nothing per file. A JPEG whose header ends
 * inside them (nearly all) is extracted at once, before any await, while borrowed bytes are still
 * this file's. Anything else goes the general way: more reads where the headers run on, byte
 * ranges for HEIC, libvips for AVIF.
 * Sets `record.format` as soon as it is known, so that an error record still says what the file was.
 */
async function triage(opened: OpenedSource, record: ScanRecord, maxBytes: number, counter: { bytes: number }, deadline: InputDeadline): Promise<Triage> {
  const prefixLength = Math.min(opened.firstReadBytes ?? TRIAGE_PREFIX_BYTES, maxBytes);
  const borrowed = opened.borrowPrefix?.(prefixLength);
  const first = borrowed ?? (await opened.read(0, prefixLength));
  counter.bytes += first.length;
  const format = detectFormat(first);
  if (format === null) {
    const archive = detectArchive(first);
    return archive === null ? { kind: "not-an-image", empty: first.length === 0 } : { kind: "archive", archive };
  }
  record.format = format;
  if (format === "jpeg") {
    const layout = walkJpeg(first);
    if (layout.headerEnd !== null) return { kind: "image", extraction: extractJpeg(first, layout) };
  }
  // The general way awaits: borrowed bytes are copied, as the shared buffer is another file's by then.
  const own = borrowed === undefined ? first : new Uint8Array(borrowed);
  const bytes = await readMetadataPrefix(opened, own, format, maxBytes, counter, deadline);
  const pieces = await readMetadataPieces(opened, bytes, format, maxBytes, counter, deadline);
  const extraction = await extractSample(bytes, { pieces, fileSize: opened.size ?? Number.MAX_SAFE_INTEGER });
  if (extraction === null) throw new MetadataError("not an image");
  return { kind: "image", extraction };
}

/** The event for an input that is not an image: skipped in a folder, an error record when named. */
function notAnImage(source: PhotoSource, record: ScanRecord, empty: boolean): ScanEvent {
  if (!source.explicit) return { type: "skipped", source: source.id, reason: "not an image" };
  record.error = empty
    ? { code: "empty-file", message: `${source.id} is empty` }
    : { code: "not-an-image", message: `not an image exifhunt reads (JPEG, HEIC/HEIF, AVIF, TIFF, PNG, WebP, GIF, BMP), judged by its content${servedAs(source)}` };
  return { type: "record", record };
}

/** Analyses an extraction into the record: camera, image, device, findings, verdict, warnings. */
function analysed(source: PhotoSource, record: ScanRecord, extraction: Extraction, context: Context): void {
  const published = publicationOf(source);
  // A downloader's sidecar beside a local photo (gallery-dl): the site's upload date.
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
  // Only when there are any: a record of an undamaged photo serialises as it always did.
  if (extraction.warnings.length > 0) record.warnings = [...extraction.warnings];
}

/** Turns the record into an error record: what failed, nothing of what was read before. */
function failed(source: PhotoSource, record: ScanRecord, error: unknown): void {
  record.verdict = "error";
  record.camera = null;
  record.image = null;
  record.device = null;
  record.findings = [];
  delete record.warnings;
  record.error = { code: errorCodeOf(error, source), message: errorMessageOf(error, source) };
}

function needsDeepPass(record: ScanRecord, context: Context): boolean {
  return context.deep || FLAGGED.has(record.verdict);
}

/**
 * The first read of a local JPEG. Half of the photos' JPEG headers end within 12 KiB and two
 * thirds within 16 KiB (docs/benchmarks.md); a longer one is read on to its end. Copying 64 KiB
 * for every file, mostly pixels, cost more than the second read a third of them need.
 */
const QUICK_PREFIX_BYTES = 16 * 1024;

/** A local JPEG's header as processBatchNow read it, before it is judged. */
interface HeaderRead {
  source: PhotoSource;
  opened: OpenedFile;
  record: ScanRecord;
  /** Bytes read for it, counted into the context once it is judged here. */
  counter: { bytes: number };
  /**
   * The header (in this thread's header region) with its layout as the read plan walked it (null
   * when the plan did not walk to its end), or what stopped its reads.
   */
  header: { ok: true; bytes: Uint8Array; layout: JpegLayout | null } | { ok: false; error: unknown };
  /** Whether the deep pass holds the file (and closes it), instead of the batch. */
  keptOpen: boolean;
}

/**
 * Whether processBatchNow can read a source: a local file with no HTTP chain of custody to record
 * (the general way writes a record's `http`). The scan batches only these; the others go the
 * general way at once instead of waiting for a batch.
 */
export function readsAtOnce(source: PhotoSource): source is PhotoSource & { path: string } {
  return source.path !== undefined && source.custody === undefined;
}

/**
 * Opens a local file and reads its JPEG header into `region`: null for anything processSource
 * does instead (not a local file, not a JPEG, a file that cannot be opened or first read), whose
 * file it closed.
 */
function readHeaderNow(source: PhotoSource, context: Context, region: Uint8Array): HeaderRead | null {
  if (!readsAtOnce(source)) return null;
  let opened: OpenedFile;
  try {
    opened = openFile(source.path);
  } catch {
    return null;
  }
  try {
    const record = baseRecord(source);
    record.bytes = opened.size;
    const maxBytes = Math.min(context.maxBytes, source.maxBytes ?? Number.POSITIVE_INFINITY);
    const prefix = GrowingBytes.within(region, overflowBuffer);
    prefix.commit(opened.readInto(prefix.room(Math.min(QUICK_PREFIX_BYTES, maxBytes)), 0));
    const counter = { bytes: prefix.length };
    if (detectFormat(prefix.bytes) !== "jpeg") {
      closeQuietly(opened);
      return null;
    }
    record.format = "jpeg";
    try {
      // A header that runs past the first read (phones' vendor blobs, split ICC profiles) is read
      // on here too: the same bytes readMetadataPrefix would keep.
      // The plan walks the header to find its end: its layout is kept, so the header is walked once.
      const plan = new JpegPrefixPlan();
      const bytes = readMetadataPrefixNow(opened, prefix, "jpeg", maxBytes, counter, new InputDeadline(context.timeoutMs, source.id), plan);
      return { source, opened, record, counter, header: { ok: true, bytes, layout: plan.layout }, keptOpen: false };
    } catch (error: unknown) {
      return { source, opened, record, counter, header: { ok: false, error }, keptOpen: false };
    }
  } catch {
    // The first read failed: processSource reads again and makes the error record.
    closeQuietly(opened);
    return null;
  }
}

/** What a batch's header gave: its extraction, what stopped it, or null for the general way. */
type HeaderExtraction = { ok: true; extraction: Extraction } | { ok: false; error: unknown } | null;

/**
 * Extracts a header readHeaderNow read. Null when the header never reaches the image data:
 * whether the file is truncated is the general way's judgement (it knows what the byte limit cut).
 */
function extractHeaderNow(read: HeaderRead): HeaderExtraction {
  const { header } = read;
  if (!header.ok) return header;
  try {
    const layout = header.layout ?? walkJpeg(header.bytes);
    if (layout.headerEnd === null) return null;
    return { ok: true, extraction: extractJpeg(header.bytes, layout) };
  } catch (error: unknown) {
    return { ok: false, error };
  }
}

/**
 * Judges an extracted header: analysis, and the deep pass where it is needed (a promise, which
 * keeps the file open for it and closes it).
 */
function judgeHeaderNow(read: HeaderRead, extracted: { ok: true; extraction: Extraction } | { ok: false; error: unknown }, context: Context): ScanEvent | Promise<ScanEvent> {
  const { source, record } = read;
  if (extracted.ok) {
    try {
      analysed(source, record, extracted.extraction, context);
    } catch (error: unknown) {
      failed(source, record, error);
    }
  } else {
    failed(source, record, extracted.error);
  }
  context.counter.bytes += read.counter.bytes;
  if (record.verdict !== "error" && needsDeepPass(record, context)) {
    read.keptOpen = true;
    return withDeepPass(source, read.opened, record, context);
  }
  return { type: "record", record };
}

/**
 * Local JPEGs done at once, without a promise: the headers of the whole batch are read first
 * (open, first read, more where the header runs on, into this thread's header regions), then
 * each is extracted and analysed, then the files are closed. That is nearly every photo of a
 * dump, and the promises, awaits and queue turns of processSource cost as much as a good part of
 * the extraction. The system calls of a batch run one after another, while the kernel's code and
 * data are still in the CPU's caches: interleaved with a photo's parsing, each took half as long
 * again (docs/benchmarks.md).
 *
 * One result per source, in order: its event; a promise of it when it needs the deep pass
 * (flagged, or --deep), which keeps its file open for it; or null for anything else (other
 * formats, no image at all, a file that cannot be opened), which processSource then does from the
 * start, the way it does every other input. The time limit is checked between reads, as
 * processSource does for local files. At most HEADER_BATCH sources.
 */
export function processBatchNow(sources: readonly PhotoSource[], context: Context): (ScanEvent | Promise<ScanEvent> | null)[] {
  if (sources.length > HEADER_BATCH) throw new RangeError(`processBatchNow takes at most ${String(HEADER_BATCH)} sources, not ${String(sources.length)}`);
  const reads = sources.map((source, index) => readHeaderNow(source, context, headerRegion(index)));
  const events: (ScanEvent | Promise<ScanEvent> | null)[] = [];
  try {
    // Stage by stage, each over the whole batch: every header is extracted, then every photo
    // analysed, so that each stage's code and branches stay warm from one photo to the next.
    const extracted = reads.map((read) => (read === null ? null : extractHeaderNow(read)));
    for (const [index, read] of reads.entries()) {
      const extraction = extracted[index] ?? null;
      events.push(read === null || extraction === null ? null : judgeHeaderNow(read, extraction, context));
    }
  } finally {
    for (const read of reads) if (read !== null && !read.keptOpen) closeQuietly(read.opened);
    releaseOverflow();
  }
  return events;
}

/** The deep pass of a photo processBatchNow judged: the file it opened, then closed. */
async function withDeepPass(source: PhotoSource, opened: OpenedFile, record: ScanRecord, context: Context): Promise<ScanEvent> {
  try {
    record.sha256 = await sha256Of(opened, context.counter, context.hasher, context.hashes);
  } catch (error: unknown) {
    failed(source, record, error);
  } finally {
    closeQuietly(opened);
  }
  return { type: "record", record };
}

function closeQuietly(opened: OpenedFile): void {
  try {
    opened.closeNow();
  } catch {
    // as processSource: a file that was read is not an error for failing to close
  }
}

/**
 * One input -> one record. Without `run` (local files, read synchronously where no timer could
 * interrupt them), the input's time limit is a deadline the read plan checks between its reads.
 */
export async function processSource(source: PhotoSource, context: Context, run?: InputRun): Promise<SourceOutcome> {
  const record = baseRecord(source);
  let opened: OpenedSource | undefined;
  const deadline = run?.deadline ?? new InputDeadline(context.timeoutMs, source.id);
  const signal = run?.signal ?? context.signal;
  try {
    opened = await source.open({ clock: deadline, ...(signal === undefined ? {} : { signal }) });
    record.bytes = opened.size;
    const maxBytes = Math.min(context.maxBytes, source.maxBytes ?? Number.POSITIVE_INFINITY);
    const result = await triage(opened, record, maxBytes, context.counter, deadline);
    if (result.kind === "not-an-image") return notAnImage(source, record, result.empty);
    if (result.kind === "archive") {
      if (result.archive.supported) {
        // The expansion owns the reader from here on.
        const outcome: SourceOutcome = { type: "archive", source, format: result.archive.format, opened };
        opened = undefined;
        return outcome;
      }
      record.error = { code: "unsupported-archive", message: `${source.id} is ${result.archive.name}, which exifhunt does not read (it reads zip, tar and tar.gz archives): extract it first` };
      return { type: "record", record };
    }
    analysed(source, record, result.extraction, context);
    if (needsDeepPass(record, context)) record.sha256 = await sha256Of(opened, context.counter, context.hasher, context.hashes);
  } catch (error: unknown) {
    failed(source, record, error);
  } finally {
    await opened?.close().catch(() => undefined);
    // After close: the deep pass and any failed request are in the chain of custody too.
    if (source.custody !== undefined) record.http = source.custody();
  }
  return { type: "record", record };
}
