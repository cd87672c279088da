/**
 * The read plan: which bytes of an input are read for its metadata. A first read of
 * TRIAGE_PREFIX_BYTES, more where the container's headers run past it (JPEG segments no parser
 * reads are left out), and the ranges past the prefix that hold metadata (a HEIC's meta box and
 * Exif item). What each format needs is the container table's business (extract/).
 */
import { growingPrefix, nextMetadataRange, type BytePiece, type GrowingPrefixPlan, type ImageFormat } from "../extract/index.js";
import type { OpenedSource } from "../sources/index.js";
import type { OpenedFile } from "../sources/file.js";
import { GrowingBytes } from "../util/growing-bytes.js";

/** EXIF lives in the first 64 KiB of a JPEG (one APP1 segment holds at most 64 KiB). */
export const TRIAGE_PREFIX_BYTES = 64 * 1024;

/** Read past what a container walk asks for: covers the next few (small) headers in the same read. */
const READ_AHEAD_BYTES = 16 * 1024;

/** What bounds one input's reads besides the byte limit: its deadline, checked before each read. */
export interface ReadBudget {
  check(): void;
}

/** Counts a read plan's work, for the tests that prove it linear. */
export interface ReadPlanMeter {
  /** Markers and fill bytes the prefix plan walked. */
  steps: number;
  /** Reads asked of the source. */
  reads: number;
}

/** A read the plan asks for: up to `length` bytes at `offset`. */
interface Want {
  offset: number;
  length: number;
}

/**
 * The prefix plan, round by round, for both drivers below (readMetadataPrefix awaits each read,
 * readMetadataPrefixNow reads a local file synchronously): yields each read it wants; the driver
 * appends what it read to `prefix` and resumes it with how many bytes that was. JPEG segments no
 * parser reads are left out (unreadSegment), so `prefix` ends up the file's header without them.
 *
 * Linear in what it reads, however the header is made: one prefix plan judges the prefix as it
 * grows and walks each byte once (a header of 0xFF fill or of empty segments never reaches SOS,
 * and walking it again each round was quadratic: 197 s for 32 MiB). While rounds walk on through
 * small headers, each reads twice as far ahead as the last, so such a header costs a few dozen
 * reads, not one per 16 KiB (over HTTP, 509 Range requests for 8 MiB); a round that leaves a
 * segment out starts small again, so a photo with big unread segments still reads little of them.
 * The byte limit (`maxBytes`, left-out bytes included) and the budget's deadline bound the rest.
 */
function* prefixReads(prefix: GrowingBytes, plan: ReturnType<typeof growingPrefix>, size: number, limit: number, budget?: ReadBudget, meter?: ReadPlanMeter): Generator<Want, void, number> {
  // Bytes of the file before prefix's end that are not in it: the segments left out.
  let leftOut = 0;
  // Rounds in a row that left nothing out: the read-ahead doubles with each.
  let streak = 0;
  while (prefix.length + leftOut < limit) {
    const unread = plan.unreadSegment(prefix.bytes);
    if (unread !== null) {
      prefix.truncate(unread.offset);
      leftOut += unread.length;
      streak = 0;
      continue;
    }
    const extent = plan.metadataExtent(prefix.bytes, size - leftOut);
    if (extent <= prefix.length) break;
    budget?.check();
    const offset = prefix.length + leftOut;
    const ahead = READ_AHEAD_BYTES * 2 ** Math.min(streak, 30);
    const read = yield { offset, length: Math.min(extent + leftOut + ahead, limit) - offset };
    if (meter !== undefined) meter.reads++;
    streak++;
    if (read === 0) break;
  }
}

/**
 * Reads the prefix that holds a photo's metadata: the first read, more only when the headers run
 * past it (prefixReads).
 */
export async function readMetadataPrefix(
  opened: OpenedSource,
  first: Uint8Array,
  format: ImageFormat,
  maxBytes: number,
  counter: { bytes: number },
  budget?: ReadBudget,
  meter?: ReadPlanMeter,
): Promise<Uint8Array> {
  const size = opened.size ?? Number.MAX_SAFE_INTEGER;
  const limit = Math.min(size, maxBytes);
  const plan = growingPrefix(format);
  const done = (bytes: Uint8Array): Uint8Array => {
    if (meter !== undefined) meter.steps += plan.steps;
    return bytes;
  };
  if (first.length >= limit || plan.metadataExtent(first, size) <= first.length) return done(first);
  const prefix = new GrowingBytes(first);
  const reads = prefixReads(prefix, plan, size, limit, budget, meter);
  for (let step = reads.next(); step.done !== true; ) {
    const more = await opened.read(step.value.offset, step.value.length);
    counter.bytes += more.length;
    prefix.append(more);
    step = reads.next(more.length);
  }
  return done(prefix.bytes);
}

/**
 * readMetadataPrefix for a local file, without a promise: `prefix` holds the first read, and the
 * reads go on straight into it (a buffer its caller reuses: triage/header-slots.ts), so a header
 * that runs past the first read costs its reads and no copy. The bytes returned are valid until
 * the caller reuses that buffer: extract them before. `plan`: the format's prefix plan, when the
 * caller wants what it found (a JPEG's layout: JpegPrefixPlan.layout).
 */
export function readMetadataPrefixNow(file: OpenedFile, prefix: GrowingBytes, format: ImageFormat, maxBytes: number, counter: { bytes: number }, budget?: ReadBudget, plan: GrowingPrefixPlan = growingPrefix(format)): Uint8Array {
  const limit = Math.min(file.size, maxBytes);
  if (prefix.length >= limit || plan.metadataExtent(prefix.bytes, file.size) <= prefix.length) return prefix.bytes;
  const reads = prefixReads(prefix, plan, file.size, limit, budget);
  for (let step = reads.next(); step.done !== true; ) {
    const read = file.readInto(prefix.room(step.value.length), step.value.offset);
    counter.bytes += read;
    prefix.commit(read);
    step = reads.next(read);
  }
  return prefix.bytes;
}

/** Reads the ranges past the prefix that hold metadata (a HEIC's meta box and Exif item). */
export async function readMetadataPieces(opened: OpenedSource, prefix: Uint8Array, format: ImageFormat, maxBytes: number, counter: { bytes: number }, budget?: ReadBudget): Promise<BytePiece[]> {
  const size = opened.size ?? Number.MAX_SAFE_INTEGER;
  const pieces: BytePiece[] = [];
  let left = maxBytes - prefix.length;
  // A well-formed file needs two or three ranges; the bound stops a file whose boxes point in circles.
  for (let round = 0; round < 8; round++) {
    const range = nextMetadataRange(prefix, pieces, format, size);
    if (range === null || range.length > left) break;
    budget?.check();
    const bytes = await opened.read(range.offset, range.length);
    counter.bytes += bytes.length;
    left -= bytes.length;
    if (bytes.length === 0) break;
    pieces.push({ offset: range.offset, bytes });
  }
  return pieces;
}
