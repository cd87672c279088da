/**
 * One input -> one record: opens the input, reads its metadata by the read plan (read-plan.ts),
 * extracts and analyses it, runs the deep pass where it is needed, and turns every failure into an
 * error record. Used in the scan's own thread (scan.ts) and in the worker threads (parallel/).
 */
import { analyze } from "../analyze/index.js";
import { FLAGGED, type ScanEvent } from "../events.js";
import { extractJpeg, extractSample, imageInfo, MetadataError, detectFormat, type Extraction } from "../extract/index.js";
import { walkJpeg } from "../extract/jpeg.js";
import { emptyRecord, type ScanRecord } from "../record.js";
import type { DeviceRegistry } from "../registry/index.js";
import type { OpenedSource, PhotoSource } from "../sources/index.js";
import { openFile, type OpenedFile } from "../sources/file.js";
import { servedAs, publicationOf } from "./custody.js";
import { errorCodeOf, errorMessageOf } from "./error-codes.js";
import { readMetadataPieces, readMetadataPrefix, readMetadataPrefixNow, TRIAGE_PREFIX_BYTES } from "./read-plan.js";
import { sha256Of } from "./sha256.js";

function baseRecord(source: PhotoSource): ScanRecord {
  return emptyRecord(source.id, source.kind);
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
export async function processWithin(source: PhotoSource, context: Context): Promise<ScanEvent> {
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

/** The event for an input that is not an image: skipped in a folder, an error record when named. */
function notAnImage(source: PhotoSource, record: ScanRecord, empty: boolean): ScanEvent {
  if (!source.explicit) return { type: "skipped", source: source.id, reason: "not an image" };
  record.error = empty
    ? { code: "empty-file", message: `${source.id} is empty` }
    : { code: "not-an-image", message: `not an image exifhunt reads (JPEG, HEIC/HEIF, AVIF, TIFF, PNG, WebP, GIF, BMP), judged by its content${servedAs(source)}` };
  return { type: "record", record };
}

/** Analyses an extraction into the record: camera, image, device, findings, verdict. */
function analysed(source: PhotoSource, record: ScanRecord, extraction: Extraction, context: Context): void {
  const published = publicationOf(source);
  const analysis = analyze(extraction.sample, context.registry, {
    evidence: extraction.evidence,
    ...(published === undefined ? {} : { published }),
  });
  record.camera = extraction.sample;
  record.image = imageInfo(extraction.evidence);
  record.device = analysis.device;
  record.findings = analysis.findings;
  record.verdict = analysis.verdict;
}

/** Turns the record into an error record: what failed, nothing of what was read before. */
function failed(source: PhotoSource, record: ScanRecord, error: unknown): void {
  record.verdict = "error";
  record.camera = null;
  record.image = null;
  record.device = null;
  record.findings = [];
  record.error = { code: errorCodeOf(error), message: errorMessageOf(error, source) };
}

function needsDeepPass(record: ScanRecord, context: Context): boolean {
  return context.deep || FLAGGED.has(record.verdict);
}

/**
 * The first read of processNow. Half of the photos' JPEG headers end within 12 KiB and two
 * thirds within 16 KiB (docs/benchmarks.md); a longer one is read on to its end. Copying 64 KiB
 * for every file, mostly pixels, cost more than the second read a third of them need.
 */
const QUICK_PREFIX_BYTES = 16 * 1024;

/**
 * A local JPEG done at once, without a promise: open, the first read (more where the header runs
 * on), extract, analyse, close. That is nearly every photo of a dump, and the promises, awaits
 * and queue turns of processSource cost as much as a good part of the extraction. Null for
 * anything else (other formats, no image at all, a deep pass, a file that cannot be opened):
 * processSource then does the input from the start, the way it does every other input.
 */
export function processNow(source: PhotoSource, context: Context): ScanEvent | null {
  if (source.path === undefined || source.custody !== undefined) return null;
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
    const first = opened.borrowPrefix(Math.min(QUICK_PREFIX_BYTES, maxBytes));
    // Counted into the context only once this file is done here, not when processSource redoes it.
    const counter = { bytes: first.length };
    const format = detectFormat(first);
    if (format !== "jpeg") return null;
    record.format = format;
    // A header that runs past the first read (phones' vendor blobs, split ICC profiles) is read
    // on here too, into this thread's scratch buffer: the same bytes readMetadataPrefix would keep.
    const bytes = readMetadataPrefixNow(opened, first, format, maxBytes, counter);
    try {
      analysed(source, record, extractJpeg(bytes), context);
    } catch (error: unknown) {
      failed(source, record, error);
    }
    if (record.verdict !== "error" && needsDeepPass(record, context)) return null;
    context.counter.bytes += counter.bytes;
    return { type: "record", record };
  } catch {
    // A read that failed: processSource tries again and makes the error record.
    return null;
  } finally {
    try {
      opened.closeNow();
    } catch {
      // as processSource: a file that was read is not an error for failing to close
    }
  }
}

export async function processSource(source: PhotoSource, context: Context): Promise<ScanEvent> {
  const record = baseRecord(source);
  let opened: OpenedSource | undefined;
  try {
    opened = await source.open();
    record.bytes = opened.size;
    const maxBytes = Math.min(context.maxBytes, source.maxBytes ?? Number.POSITIVE_INFINITY);
    const result = await triage(opened, record, maxBytes, context.counter);
    if (result.kind === "not-an-image") return notAnImage(source, record, result.empty);
    analysed(source, record, result.extraction, context);
    if (needsDeepPass(record, context)) record.sha256 = await sha256Of(opened, context.counter);
  } catch (error: unknown) {
    failed(source, record, error);
  } finally {
    await opened?.close().catch(() => undefined);
    // After close: the deep pass and any failed request are in the chain of custody too.
    if (source.custody !== undefined) record.http = source.custody();
  }
  return { type: "record", record };
}
