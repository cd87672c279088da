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
import { GrowingBytes } from "../util/growing-bytes.js";

/** EXIF lives in the first 64 KiB of a JPEG (one APP1 segment holds at most 64 KiB). */
export const TRIAGE_PREFIX_BYTES = 64 * 1024;

/** Read past what a container walk asks for: covers the next few (small) headers in the same read. */
const READ_AHEAD_BYTES = 16 * 1024;

/**
 * Reads the prefix that holds a photo's metadata: the first read, more only when the headers run
 * past it. JPEG segments no parser reads are left out (unreadSegment), so the bytes returned are
 * the file's header without them.
 */
export async function readMetadataPrefix(opened: OpenedSource, first: Uint8Array, format: ImageFormat, maxBytes: number, counter: { bytes: number }): Promise<Uint8Array> {
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
