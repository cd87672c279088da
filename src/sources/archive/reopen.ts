/**
 * An archive entry found again after the scan, for a report's thumbnail and tag dump: the root
 * file is opened and each archive on the way in is read for the one entry at the recorded index.
 */
import type { ScanRecord } from "../../record.js";
import { fileSource } from "../file.js";
import type { OpenedSource, PhotoSource } from "../types.js";
import { isUrlInput } from "../url.js";
import { detectArchive } from "./detect.js";

/** The archive is no longer what the scan read: not an archive, fewer entries, another name at the index. */
export class EntryGoneError extends Error {
  override name = "EntryGoneError";
}

/** Bytes enough to tell a tar header (its magic sits at 257). */
const DETECT_BYTES = 512;

export async function openArchiveEntry(record: ScanRecord, unsupported: (message: string) => Error): Promise<OpenedSource> {
  const custody = record.archive;
  if (custody === undefined) throw unsupported(`${record.source}: the record does not say where in its archive the entry is`);
  if (isUrlInput(custody.root)) throw unsupported(`${record.source}: entries of archives at URLs cannot be fetched again yet`);
  // The archive readers load here, when a report first reopens an entry, not with every scan.
  const { expandArchive } = await import("./index.js");
  let source: PhotoSource = fileSource(custody.root, true);
  const chain: AsyncGenerator<PhotoSource>[] = [];
  const unwind = async (): Promise<void> => {
    for (const entries of chain.reverse()) await entries.return(undefined);
  };
  try {
    for (const index of custody.position) {
      const opened = await source.open();
      const kind = detectArchive(await opened.read(0, DETECT_BYTES));
      if (kind === null || !kind.supported) {
        await opened.close();
        throw new EntryGoneError(`${source.id} is no longer an archive exifhunt reads`);
      }
      const entries = expandArchive(source, opened, kind.format, index);
      chain.push(entries);
      const next = await entries.next();
      if (next.done === true) throw new EntryGoneError(`${source.id} has no entry ${String(index)} any more`);
      source = next.value;
    }
    if (source.id !== record.source) throw new EntryGoneError(`the archive changed since the scan: that entry is now ${source.id}`);
    const opened = await source.open();
    return {
      size: opened.size,
      read: (offset, length) => opened.read(offset, length),
      chunks: () => opened.chunks(),
      close: async () => {
        await opened.close();
        await unwind();
      },
    };
  } catch (error: unknown) {
    await unwind();
    throw error;
  }
}
