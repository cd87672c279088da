/**
 * Opening a record's input again, after the scan: reports read flagged photos a second time for
 * thumbnails and the full metadata dump. Each source kind says here how it is reopened. A URL is
 * fetched again, through the client given, and that second fetch has its own chain of custody
 * (the source's custody()), which a report shows beside the scan's.
 */
import type { ScanRecord, SourceKind } from "../record.js";
import { openArchiveEntry } from "./archive/reopen.js";
import { fileSource } from "./file.js";
import type { HttpClient } from "./http.js";
import type { OpenedSource, PhotoSource } from "./types.js";
import { urlSource } from "./url.js";

/** The record's source kind cannot be reopened by this build of exifhunt. */
export class ReopenUnsupportedError extends Error {
  override name = "ReopenUnsupportedError";
}

export interface ReopenContext {
  /** The client URLs are fetched again with; without one a URL record cannot be reopened. */
  http?: HttpClient;
  /** The most bytes a URL may send when fetched again. */
  maxBytes?: number;
}

/** Reopening a URL reads the whole file anyway: the bound is what a report reads again at most. */
const DEFAULT_REOPEN_MAX_BYTES = 256 * 1024 * 1024;

const reopeners = {
  file: (record) => fileSource(record.source, true),
  url: (record, context) => {
    if (context.http === undefined) throw new ReopenUnsupportedError(`${record.source}: photos from URLs are fetched again only with an HTTP client`);
    return urlSource(record.source, { client: context.http, maxBytes: context.maxBytes ?? DEFAULT_REOPEN_MAX_BYTES });
  },
  // The entry is found again inside its archive (or archives) when the source is opened.
  "archive-entry": (record) => ({
    id: record.source,
    kind: "archive-entry",
    explicit: true,
    ...(record.archive === undefined ? {} : { archive: record.archive }),
    open: () => openArchiveEntry(record, (message) => new ReopenUnsupportedError(message)),
  }),
} satisfies Record<SourceKind, (record: ScanRecord, context: ReopenContext) => PhotoSource>;

/** The source a record was made from, to open again; throws ReopenUnsupportedError when it cannot be. */
export function recordSource(record: ScanRecord, context: ReopenContext = {}): PhotoSource {
  return reopeners[record.kind](record, context);
}

/** Opens the input a record was made from. Throws as PhotoSource.open does (ENOENT when gone). */
export async function openRecordSource(record: ScanRecord, context: ReopenContext = {}): Promise<OpenedSource> {
  return recordSource(record, context).open();
}
