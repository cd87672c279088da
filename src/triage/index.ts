/**
 * Triage: one input -> one record, and the read plan behind it. The room both the scan's own
 * thread (scan.ts) and the worker threads (parallel/worker.ts) use; it imports neither.
 */
export { processBatchNow, processSource, readsAtOnce, processWithin, type Context, type SourceOutcome } from "./process.js";
export { HEADER_BATCH } from "./header-slots.js";
export { readMetadataPieces, readMetadataPrefix, TRIAGE_PREFIX_BYTES } from "./read-plan.js";
export { FileHashes } from "./sha256.js";
export { FileHasher, IN_THREAD_BYTES, type FileHasherOptions } from "./file-hasher.js";
