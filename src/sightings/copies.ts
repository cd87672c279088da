/**
 * Which photos may be copies of a flagged photo, so that only those are hashed. The scan hashes
 * flagged photos in its deep pass; a copy of one can still go unhashed when what lay beside it
 * differed (a sidecar's upload date flags one copy, not another that has none). Two files can
 * only be equal when their sizes are: a record without a SHA-256 is a candidate only when its size
 * is that of a flagged photo. Pure: the hashing itself is injected.
 */
import type { ScanRecord } from "../record.js";
import { mapConcurrent } from "../util/concurrent.js";
import { FLAGGED } from "../events.js";

/** Computes a record's SHA-256 by reading its input again; null when it cannot be read. */
export type RecordHasher = (record: ScanRecord) => Promise<string | null>;

/** Records without a SHA-256 whose size is a flagged photo's (flagged ones without a hash too). */
export function copyCandidates(records: readonly ScanRecord[]): ScanRecord[] {
  const flaggedSizes = new Set<number>();
  const bySize = new Map<number, number>();
  for (const record of records) {
    if (record.bytes === null) continue;
    bySize.set(record.bytes, (bySize.get(record.bytes) ?? 0) + 1);
    if (FLAGGED.has(record.verdict)) flaggedSizes.add(record.bytes);
  }
  return records.filter((record) => record.sha256 === null && record.bytes !== null && flaggedSizes.has(record.bytes) && (bySize.get(record.bytes) ?? 0) > 1);
}

/**
 * The records with the candidates' SHA-256 filled in (new objects; the others as they were), so
 * that sightings merge every copy. Hashes at most `concurrency` at once.
 */
export async function withCopyHashes(records: readonly ScanRecord[], hasher: RecordHasher, concurrency = 4): Promise<ScanRecord[]> {
  const candidates = copyCandidates(records);
  if (candidates.length === 0) return [...records];
  const hashes = new Map<ScanRecord, string>();
  async function* each(): AsyncGenerator<ScanRecord> {
    yield* candidates;
  }
  for await (const [record, sha256] of mapConcurrent(each(), concurrency, async (record) => [record, await hasher(record)] as const)) {
    if (sha256 !== null) hashes.set(record, sha256);
  }
  return records.map((record) => {
    const sha256 = hashes.get(record);
    return sha256 === undefined ? record : { ...record, sha256 };
  });
}
