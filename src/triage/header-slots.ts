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

/** Files whose headers are read in one go before any of them is judged. */
export const HEADER_BATCH = 16;

/**
 * Bytes of one region: a JPEG header as triage keeps it (the segments no parser reads left out)
 * nearly always fits; one that outgrows it goes on in a buffer of its own (GrowingBytes).
 */
const REGION_BYTES = 128 * 1024;
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
