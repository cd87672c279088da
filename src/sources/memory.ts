import type { OpenedSource, PhotoSource } from "./types.js";

/** Bytes already in memory (a library caller's Buffer, a test's mutant) as a photo source. */
export function memorySource(id: string, bytes: Uint8Array, explicit = true): PhotoSource {
  const opened: OpenedSource = {
    size: bytes.length,
    async read(offset: number, length: number): Promise<Uint8Array> {
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
    async *chunks(): AsyncIterable<Uint8Array> {
      yield bytes;
    },
    async close(): Promise<void> {
      // nothing to release
    },
  };
  return { id, kind: "file", explicit, open: async () => opened };
}
