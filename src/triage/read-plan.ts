/**
 * The read plan: which bytes of an input are read for its metadata. A first read of
 * TRIAGE_PREFIX_BYTES, more where the container's headers run past it (JPEG segments no parser
 * reads are left out), and the ranges past the prefix that hold metadata (a HEIC's meta box and
 * Exif item). What each format needs is the container table's business (extract/).
 */
import {
  metadataExtent,
  nextMetadataRange,
  unreadSegment,
  type BytePiece,
  type ImageFormat,
} from "../extract/index.js";
import type { OpenedSource } from "../sources/index.js";
import type { OpenedFile } from "../sources/file.js";
import { GrowingBytes } from "../util/growing-bytes.js";

/** EXIF lives in the first 64 KiB of a JPEG (one APP1 segment holds at most 64 KiB). */
export const TRIAGE_PREFIX_BYTES = 64 * 1024;

/** Read past what a container walk asks for: covers the next few (small) headers in the same read. */
const READ_AHEAD_BYTES = 16 * 1024;

/** A read the plan asks for: up to `length` bytes at `offset`. */
interface Want {
  offset: number;
  length: number;
}

/** Whether the first read leaves headers unread: when not, it is the whole prefix. */
function needsMore(first: Uint8Array, format: ImageFormat, size: number, maxBytes: number): boolean {
  return first.length < Math.min(size, maxBytes) && metadataExtent(first, format, size) > first.length;
}

/**
 * The prefix plan, step by step, for both drivers below (one awaits each read, the other reads a
 * local file synchronously): yields each read it wants; the driver appends what it read to
 * `prefix` and resumes it with how many bytes that was. JPEG segments no parser reads are left
 * out (unreadSegment), so `prefix` ends up the file's header without them.
 */
function* prefixReads(prefix: GrowingBytes, format: ImageFormat, size: number, maxBytes: number): Generator<Want, void, number> {
  const limit = Math.min(size, maxBytes);
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
    const read = yield { offset, length: Math.min(extent + leftOut + READ_AHEAD_BYTES, limit) - offset };
    if (read === 0) break;
  }
}

/**
 * Reads the prefix that holds a photo's metadata: the first read, more only when the headers run
 * past it (prefixReads).
 */
export async function readMetadataPrefix(opened: OpenedSource, first: Uint8Array, format: ImageFormat, maxBytes: number, counter: { bytes: number }): Promise<Uint8Array> {
  const size = opened.size ?? Number.MAX_SAFE_INTEGER;
  if (!needsMore(first, format, size, maxBytes)) return first;
  const prefix = new GrowingBytes(first);
  const plan = prefixReads(prefix, format, size, maxBytes);
  for (let step = plan.next(); step.done !== true; ) {
    const more = await opened.read(step.value.offset, step.value.length);
    counter.bytes += more.length;
    prefix.append(more);
    step = plan.next(more.length);
  }
  return prefix.bytes;
}

/** The prefix readMetadataPrefixNow builds: one per thread, grown to the longest header met. */
const scratch = new GrowingBytes(new Uint8Array(0));

/**
 * readMetadataPrefix for a local file, without a promise: the reads go straight into a buffer
 * this thread reuses for every file, so a header that runs past the first read costs its reads
 * and one copy of the first, and no allocation. The bytes returned are valid until the next call:
 * extract them before any await.
 */
export function readMetadataPrefixNow(file: OpenedFile, first: Uint8Array, format: ImageFormat, maxBytes: number, counter: { bytes: number }): Uint8Array {
  if (!needsMore(first, format, file.size, maxBytes)) return first;
  scratch.reset(first);
  const plan = prefixReads(scratch, format, file.size, maxBytes);
  for (let step = plan.next(); step.done !== true; ) {
    const read = file.readInto(scratch.room(step.value.length), step.value.offset);
    counter.bytes += read;
    scratch.commit(read);
    step = plan.next(read);
  }
  return scratch.bytes;
}

/** Reads the ranges past the prefix that hold metadata (a HEIC's meta box and Exif item). */
export async function readMetadataPieces(opened: OpenedSource, prefix: Uint8Array, format: ImageFormat, budget: number, counter: { bytes: number }): Promise<BytePiece[]> {
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
