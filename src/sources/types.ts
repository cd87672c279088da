import type { SourceKind } from "../record.js";

/** An opened input: random-access reads and a full read for the deep pass. */
export interface OpenedSource {
  /** Size of the whole input in bytes; null when the source cannot tell before reading it all. */
  readonly size: number | null;
  /** Reads up to `length` bytes at `offset`; fewer only at the end of the input. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The whole input, in chunks (deep pass: SHA-256). */
  chunks(): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** One input to scan: a file, a URL, an archive entry. Only `open` touches the outside world. */
export interface PhotoSource {
  /** What the record names as its source. */
  readonly id: string;
  readonly kind: SourceKind;
  /**
   * Named by the user (on the command line or in an input list), so it gets a record whatever it
   * is; sources met while walking a folder are skipped quietly when they are not images.
   */
  readonly explicit: boolean;
  /** A local file's path: such sources can be scanned in worker threads. */
  readonly path?: string;
  open(): Promise<OpenedSource>;
}
