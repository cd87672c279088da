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
import { servedAs, publicationOf } from "./custody.js";
import { errorCodeOf, errorMessageOf } from "./error-codes.js";
import { readMetadataPieces, readMetadataPrefix, TRIAGE_PREFIX_BYTES } from "./read-plan.js";
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
    const analysis = analyze(extraction.sample, context.registry, {
      evidence: extraction.evidence,
      ...(published === undefined ? {} : { published }),
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
