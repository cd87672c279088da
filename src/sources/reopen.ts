/**
 * Opening a record's input again, after the scan: reports read flagged photos a second time for
 * thumbnails and the full metadata dump. Each source kind says here how it is reopened.
 */
import type { ScanRecord, SourceKind } from "../record.js";
import { openArchiveEntry } from "./archive/reopen.js";
import { fileSource } from "./file.js";
import type { OpenedSource } from "./types.js";

/** The record's source kind cannot be reopened by this build of exifhunt. */
export class ReopenUnsupportedError extends Error {
  override name = "ReopenUnsupportedError";
}

const reopeners = {
  file: (record) => fileSource(record.source, true).open(),
  url: async (record) => {
    throw new ReopenUnsupportedError(`${record.source}: photos from URLs cannot be fetched again yet`);
  },
  "archive-entry": (record) => openArchiveEntry(record, (message) => new ReopenUnsupportedError(message)),
} satisfies Record<SourceKind, (record: ScanRecord) => Promise<OpenedSource>>;

/** Opens the input a record was made from. Throws as PhotoSource.open does (ENOENT when gone). */
export function openRecordSource(record: ScanRecord): Promise<OpenedSource> {
  return reopeners[record.kind](record);
}
