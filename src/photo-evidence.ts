/**
 * Evidence for reports: reopens a flagged photo through sources/, checks it is still the file
 * the scan read, and makes its thumbnail and full metadata dump through extract/.
 */
import { createHash } from "node:crypto";
import { AbortedError, describeError, errnoCode, throwIfAborted } from "./errors.js";
import type { ScanRecord } from "./record.js";
import type { Evidence, EvidenceProvider } from "./report/evidence-provider.js";
import { HttpClient } from "./sources/http.js";
import { recordSource, ReopenUnsupportedError } from "./sources/reopen.js";
import type { OpenedSource, PhotoSource } from "./sources/types.js";

/** Photos larger than this are not read again for a thumbnail (a report is not worth 1 GB of RAM). */
export const DEFAULT_EVIDENCE_MAX_BYTES = 256 * 1024 * 1024;

export interface PhotoEvidenceOptions {
  maxBytes?: number;
  /** The client URL photos are fetched again with; one is made on the first URL when absent. */
  http?: HttpClient;
  /**
   * The scan's signal: once it aborts, evidence() throws AbortedError (before each photo, between
   * the chunks it reads, around the thumbnail and dump) and the report is not finished. Each step
   * is bounded (thumbnails by DecodeBudget, the dump by dump-input.ts), so it ends promptly.
   */
  signal?: AbortSignal;
}

function gone(problem: string, source?: PhotoSource): Evidence {
  const refetched = source?.custody?.() ?? null;
  return refetched === null ? { thumbnail: null, tags: null, problem } : { thumbnail: null, tags: null, problem, refetched };
}

async function readAll(opened: OpenedSource, maxBytes: number, signal: AbortSignal | undefined): Promise<Buffer | string> {
  if (opened.size !== null && opened.size > maxBytes) {
    return `${String(opened.size)} bytes is more than the ${String(maxBytes)} a report reads again`;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of opened.chunks()) {
    throwIfAborted(signal);
    total += chunk.length;
    if (total > maxBytes) return `more than the ${String(maxBytes)} bytes a report reads again`;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function unreachable(error: unknown): string {
  if (error instanceof ReopenUnsupportedError) return `not read again: ${error.message}`;
  const code = errnoCode(error);
  if (code === "ENOENT" || code === "ENOTDIR") return "no longer reachable: the file is gone (moved or deleted since the scan)";
  if (code === "EACCES" || code === "EPERM") return "no longer reachable: permission denied";
  return `no longer reachable: ${describeError(error)}`;
}

/** Reopens each photo it is asked about; per-photo problems come back in `problem`. */
export function photoEvidence(options: PhotoEvidenceOptions = {}): EvidenceProvider {
  const maxBytes = options.maxBytes ?? DEFAULT_EVIDENCE_MAX_BYTES;
  const { signal } = options;
  let http = options.http;
  const sha256 = recordHasher(options);
  return {
    sha256,
    async evidence(record: ScanRecord): Promise<Evidence> {
      throwIfAborted(signal);
      let source: PhotoSource;
      let opened: OpenedSource;
      try {
        // URLs are fetched again: the report says so, with that fetch's own chain of custody.
        if (record.kind === "url") http ??= new HttpClient();
        source = recordSource(record, { ...(http === undefined ? {} : { http }), maxBytes });
      } catch (error: unknown) {
        return gone(unreachable(error));
      }
      try {
        opened = await source.open();
      } catch (error: unknown) {
        return gone(unreachable(error), source);
      }
      let bytes: Buffer | string;
      try {
        bytes = await readAll(opened, maxBytes, signal);
      } catch (error: unknown) {
        if (error instanceof AbortedError) throw error;
        return gone(unreachable(error), source);
      } finally {
        await opened.close().catch(() => undefined);
      }
      const refetched = source.custody?.() ?? null;
      if (typeof bytes === "string") return gone(`not read again: ${bytes}`, source);
      // Evidence must be of the photo the verdict was about: a file replaced since the scan is not.
      if (record.sha256 !== null) {
        const now = createHash("sha256").update(bytes).digest("hex");
        if (now !== record.sha256) return gone(`changed since the scan: its SHA-256 is now ${now}`, source);
      } else if (record.bytes !== null && record.bytes !== bytes.length) {
        return gone(`changed since the scan: it is now ${String(bytes.length)} bytes, not ${String(record.bytes)}`, source);
      }
      // Loaded here, not at start-up: libvips and exifr cost a scan that writes no report ~0.1 s.
      const [{ thumbnailOf }, { dumpMetadata }] = await Promise.all([import("./extract/thumbnail.js"), import("./extract/dump.js")]);
      throwIfAborted(signal);
      const [thumbnail, tags] = await Promise.allSettled([thumbnailOf(bytes, signal === undefined ? {} : { signal }), dumpMetadata(bytes)]);
      // A thumbnail still waiting for memory when the signal aborted gave up: so does the report.
      throwIfAborted(signal);
      const problems: string[] = [];
      if (thumbnail.status === "rejected") problems.push(`no thumbnail: ${describeError(thumbnail.reason)}`);
      else if (thumbnail.value.note !== null) problems.push(thumbnail.value.note);
      if (tags.status === "rejected") problems.push(`metadata cannot be dumped: ${describeError(tags.reason)}`);
      const found: Evidence = {
        thumbnail: thumbnail.status === "fulfilled" ? thumbnail.value.uri : null,
        tags: tags.status === "fulfilled" ? tags.value : null,
        problem: problems.length === 0 ? null : problems.join("; "),
      };
      if (refetched !== null) found.refetched = refetched;
      return found;
    },
  };
}

/**
 * SHA-256 of a record's input, read again (sightings/copies.ts: candidates for copies of a flagged
 * photo); null when it cannot be read or is no longer the size the scan saw.
 */
export function recordHasher(options: PhotoEvidenceOptions = {}): (record: ScanRecord) => Promise<string | null> {
  const maxBytes = options.maxBytes ?? DEFAULT_EVIDENCE_MAX_BYTES;
  let http = options.http;
  const { signal } = options;
  return async (record) => {
    let opened: OpenedSource | undefined;
    try {
      throwIfAborted(signal);
      if (record.kind === "url") http ??= new HttpClient();
      opened = await recordSource(record, { ...(http === undefined ? {} : { http }), maxBytes }).open();
      const hash = createHash("sha256");
      let total = 0;
      for await (const chunk of opened.chunks()) {
        total += chunk.length;
        if (total > maxBytes) return null;
        hash.update(chunk);
        throwIfAborted(signal);
      }
      return record.bytes === null || record.bytes === total ? hash.digest("hex") : null;
    } catch (error: unknown) {
      if (error instanceof AbortedError) throw error;
      return null; // unreadable now: it stays a photo of its own, as without a hash
    } finally {
      await opened?.close().catch(() => undefined);
    }
  };
}
