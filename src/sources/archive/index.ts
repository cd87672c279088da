/**
 * Archives as sources: an archive found by triage (named, met while walking, or itself an entry)
 * becomes the PhotoSources of its entries. Each entry is read in place through the archive's own
 * OpenedSource; nothing is extracted. docs/archives.md says what is read and what is refused.
 */
import { describeError } from "../../errors.js";
import type { ArchiveCustody, ErrorCode, SourceKind } from "../../record.js";
import { SourceError, type OpenedSource, type PhotoSource } from "../types.js";
import type { ArchiveFormat } from "./detect.js";
import { entrySourceId, safeEntryName } from "./names.js";
import { StreamingEntry, tarCustody, tarEntries } from "./tar.js";
import { centralDirectory, localHeaders, markOverlaps, openZipEntry, zipCustody, type ZipEntry } from "./zip.js";

export { detectArchive, type ArchiveFormat, type ArchiveKind } from "./detect.js";
export { ENTRY_MEMORY_BYTES } from "./entry.js";

/** Archives opened inside one another, the outermost counted: `a.zip!/b.zip!/c.zip!/d.zip!/…`. */
export const MAX_ARCHIVE_DEPTH = 4;

/** A source whose record is an error: what an archive says about an entry it cannot give. */
export function failedSource(id: string, kind: SourceKind, code: ErrorCode, message: string, archive?: ArchiveCustody): PhotoSource {
  return {
    id,
    kind,
    explicit: true,
    ...(archive === undefined ? {} : { archive }),
    open: async () => {
      throw new SourceError(code, message);
    },
  };
}

/**
 * Keeps the archive open while any entry handed out may still be read: one reference per entry
 * source handed out (released when its reader closes, or its open fails), one for the expansion.
 */
class Holder {
  readonly #opened: OpenedSource;
  #references = 1;

  constructor(opened: OpenedSource) {
    this.#opened = opened;
  }

  acquire(): void {
    this.#references++;
  }

  release(): void {
    if (--this.#references === 0) void this.#opened.close().catch(() => undefined);
  }
}

/** Releases once, however often it is called: an entry's reader may be closed twice. */
function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

interface Container {
  source: PhotoSource;
  opened: OpenedSource;
  holder: Holder;
  root: string;
  position: number[];
  /** Only the entry at this index (reopening one entry for a report); every file entry when undefined. */
  only: number | undefined;
}

function wanted(container: Container, index: number): boolean {
  return container.only === undefined || container.only === index;
}

function entryCustodyBase(container: Container): { root: string; position: number[] } {
  return { root: container.root, position: container.position };
}

function zipEntrySource(container: Container, entry: ZipEntry): PhotoSource {
  const shown = safeEntryName(entry.name, entry.index);
  const id = entrySourceId(container.source.id, shown);
  const { root, position } = entryCustodyBase(container);
  const archive = zipCustody(entry, container.source.id, root, [...position, entry.index], shown);
  if (entry.problem !== null) return failedSource(id, "archive-entry", entry.problem.code, `${id} ${entry.problem.message}`, archive);
  container.holder.acquire();
  const release = once(() => {
    container.holder.release();
  });
  return {
    id,
    kind: "archive-entry",
    explicit: false,
    archive,
    open: async () => {
      try {
        return await openZipEntry(container.opened, entry, id, release);
      } catch (error: unknown) {
        release();
        throw error;
      }
    },
  };
}

function damaged(container: Container, error: unknown, read: string): PhotoSource {
  const { source } = container;
  const code = error instanceof SourceError ? error.code : "corrupt-archive";
  return failedSource(source.id, source.kind, code, `${source.id}: the archive is damaged or truncated (${describeError(error)}); ${read}`, source.archive);
}

async function* zipSources(container: Container): AsyncGenerator<PhotoSource> {
  const { opened, source } = container;
  if (opened.size === null) {
    yield failedSource(source.id, source.kind, "unsupported-archive", `${source.id}: a zip is read from its end, and the size of this one is not known (the server sent no length)`, source.archive);
    return;
  }
  const entries: ZipEntry[] = [];
  let failure: unknown = null;
  try {
    for await (const entry of centralDirectory(opened, opened.size)) entries.push(entry);
  } catch (error: unknown) {
    failure = error;
  }
  let walked = false;
  if (failure !== null && entries.length === 0) {
    walked = true;
    try {
      for await (const entry of localHeaders(opened, opened.size)) entries.push(entry);
    } catch {
      // what the walk found before it broke off is all there is
    }
  }
  markOverlaps(entries, opened.size);
  for (const entry of entries) {
    if (!entry.notAFile && wanted(container, entry.index)) yield zipEntrySource(container, entry);
  }
  if (failure !== null) {
    const read = walked ? `${String(entries.length)} entries were found by their local headers` : `the ${String(entries.length)} entries before the damage were read`;
    yield damaged(container, failure, read);
  }
}

async function* tarSources(container: Container, gzip: boolean): AsyncGenerator<PhotoSource> {
  const { source } = container;
  let count = 0;
  try {
    for await (const entry of tarEntries(container.opened, gzip)) {
      count++;
      if (!entry.isFile || !wanted(container, entry.index)) {
        await new StreamingEntry(entry.stream, entry.size, source.id).drain();
        continue;
      }
      const shown = safeEntryName(entry.name, entry.index);
      const id = entrySourceId(source.id, shown);
      const { root, position } = entryCustodyBase(container);
      const streaming = new StreamingEntry(entry.stream, entry.size, id);
      let opened = false;
      yield {
        id,
        kind: "archive-entry",
        explicit: false,
        archive: tarCustody(entry, source.id, root, [...position, entry.index], shown, gzip),
        open: async () => {
          if (opened) throw new SourceError("read-failed", `${id}: an entry of a tar stream is read once, as it streams past`);
          opened = true;
          return streaming;
        },
      };
      // One pass: the next header comes after this entry's bytes, once the scan is done with it
      // (every source handed out is opened and closed by the scan). What it left unread is drained.
      await streaming.released;
      await streaming.drain();
    }
  } catch (error: unknown) {
    if (count === 0 && gzip) {
      yield failedSource(source.id, source.kind, "unsupported-archive", `${source.id}: gzip-compressed, but not a tar archive (exifhunt reads .tar.gz; ${describeError(error)})`, source.archive);
    } else {
      yield damaged(container, error, `the ${String(count)} entries before the damage were read`);
    }
  }
}

/**
 * The sources of an archive's entries. Takes over `opened` (the archive as triage opened it)
 * and closes it once the last entry is read.
 */
export async function* expandArchive(source: PhotoSource, opened: OpenedSource, format: ArchiveFormat, only?: number): AsyncGenerator<PhotoSource> {
  const holder = new Holder(opened);
  const position = source.archive?.position ?? [];
  try {
    if (position.length + 1 > MAX_ARCHIVE_DEPTH) {
      yield failedSource(source.id, source.kind, "archive-limit", `${source.id}: an archive nested ${String(position.length)} deep in others; exifhunt opens archives ${String(MAX_ARCHIVE_DEPTH)} deep at most`, source.archive);
      return;
    }
    const container: Container = { source, opened, holder, root: source.archive?.root ?? source.id, position, only };
    yield* format === "zip" ? zipSources(container) : tarSources(container, format === "gzip");
  } finally {
    holder.release();
  }
}
