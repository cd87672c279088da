/**
 * Where a thread reads the headers of a batch of local files (processBatchNow): one region per
 * file of the batch, each starting on a page boundary, reused for every batch.
 *
 * Page-aligned because the kernel's copy into a buffer that starts a few bytes past the file
 * data's place within its page (dst - src, modulo 4 KiB, between 1 and 32 bytes) runs at a third
 * of its speed on this project's machines: a 16 KiB read took 25 µs instead of 9. A large
 * Buffer comes from the C allocator at 16 bytes past a page boundary, which is that case exactly
 * for a file's first read. WebAssembly memory is mapped whole pages from its first byte, so its
 * regions are aligned however large they are.
 */

import { uninitialized } from "../util/growing-bytes.js";

/** Files whose headers are read in one go before any of them is judged. */
export const HEADER_BATCH = 16;

/**
 * Bytes of one region: a JPEG header as triage keeps it (the segments no parser reads left out)
 * nearly always fits; one that outgrows it goes on in an overflow buffer (overflowBuffer).
 */
const REGION_BYTES = 128 * 1024;
/**
 * The most bytes of overflow buffers a thread keeps from one batch to the next. Camera photos
 * whose header outgrows a region (9 of the 250 camera photos of the benchmark: previews and maker
 * notes of up to 0.5 MB) meet one kept from an earlier batch; a larger one is let go after its batch.
 */
const OVERFLOW_KEPT_BYTES = 8 * 1024 * 1024;
/**
 * The largest overflow buffer lent from the pool; a header larger than this (rare: a 1 MiB
 * preview written before the pixels) gets a buffer of its own, as before the pool, since a new
 * WebAssembly memory (a large reservation of address space) costs more than it saves at that size.
 */
const OVERFLOW_POOLED_MAX = 1024 * 1024;
const WASM_PAGE_BYTES = 64 * 1024;

/** WebAssembly's memory as far as it is used here: the project's TypeScript libraries do not declare it. */
declare const WebAssembly: { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } };

function arena(bytes: number): Uint8Array {
  try {
    return new Uint8Array(new WebAssembly.Memory({ initial: bytes / WASM_PAGE_BYTES }).buffer);
  } catch {
    // No WebAssembly memory to be had (an address-space limit): slower reads, same bytes.
    return new Uint8Array(bytes);
  }
}

let regions: Uint8Array[] | undefined;
/** Overflow buffers free for the next header that outgrows its region, and those lent to this batch. */
let spare: Uint8Array[] = [];
let lent: Uint8Array[] = [];

/** The `index`th region of this thread's arena (index < HEADER_BATCH). */
export function headerRegion(index: number): Uint8Array {
  regions ??= (() => {
    const memory = arena(HEADER_BATCH * REGION_BYTES);
    return Array.from({ length: HEADER_BATCH }, (_, i) => memory.subarray(i * REGION_BYTES, (i + 1) * REGION_BYTES));
  })();
  const region = regions[index];
  if (region === undefined) throw new RangeError(`header region ${String(index)} of ${String(HEADER_BATCH)}`);
  return region;
}

/**
 * A buffer of at least `size` bytes for a header of this batch that outgrew its region (or
 * `replaced`, an overflow buffer it outgrew, which is taken back), valid until releaseOverflow or
 * until the header outgrows it too: one kept from an earlier batch when one is large enough, else
 * a new one.
 * Page-aligned and reused for the region's reasons: a new buffer from the C allocator is read into
 * at a third of the speed, and its pages are faulted in afresh for every header (camera photos,
 * 100,000 in one thread: 7% of the time went to growing such buffers before they were kept).
 */
export function overflowBuffer(size: number, replaced?: Uint8Array): Uint8Array {
  // The buffer a header outgrew is not read again once copied: the next header of the batch may have it.
  if (replaced !== undefined) {
    const at = lent.indexOf(replaced);
    if (at !== -1) spare.push(...lent.splice(at, 1));
  }
  if (size > OVERFLOW_POOLED_MAX) return uninitialized(size);
  const buffer = takeSmallestSpare(size) ?? arena(Math.ceil(size / WASM_PAGE_BYTES) * WASM_PAGE_BYTES);
  lent.push(buffer);
  return buffer;
}

/** The smallest spare buffer of at least `size` bytes, taken out of `spare`; undefined if none is. */
function takeSmallestSpare(size: number): Uint8Array | undefined {
  let best = -1;
  for (const [at, buffer] of spare.entries()) {
    if (buffer.length >= size && (best === -1 || buffer.length < (spare[best]?.length ?? 0))) best = at;
  }
  return best === -1 ? undefined : spare.splice(best, 1)[0];
}

function bytesOf(buffers: readonly Uint8Array[]): number {
  return buffers.reduce((sum, buffer) => sum + buffer.length, 0);
}

/**
 * Takes back the overflow buffers of the batch that has been judged (no byte of its headers is read
 * after it), keeping the smallest up to OVERFLOW_KEPT_BYTES in all.
 */
export function releaseOverflow(): void {
  // Nothing lent may still mean buffers given back mid-batch past the bound (a header that grew
  // beyond OVERFLOW_POOLED_MAX returned its pooled buffers and kept none).
  if (lent.length === 0 && bytesOf(spare) <= OVERFLOW_KEPT_BYTES) return;
  const all = [...spare, ...lent].sort((a, b) => a.length - b.length);
  lent = [];
  spare = [];
  let kept = 0;
  for (const buffer of all) {
    if (kept + buffer.length > OVERFLOW_KEPT_BYTES) break;
    kept += buffer.length;
    spare.push(buffer);
  }
}

/** The overflow buffers this thread keeps and has lent: for tests. */
export function overflowState(): { spare: number; lent: number; keptBytes: number } {
  return { spare: spare.length, lent: lent.length, keptBytes: bytesOf(spare) };
}
