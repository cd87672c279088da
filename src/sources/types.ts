import type { ArchiveCustody, ErrorCode, HttpCustody, SidecarEvidence, SourceKind } from "../record.js";

/**
 * An input that could not be read, with the code its record's error gets (a URL's HTTP status, a
 * timeout …). Per-photo, so never thrown to the caller of scan: it becomes the record's `error`.
 */
export class SourceError extends Error {
  override name = "SourceError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** An opened input: random-access reads and a full read for the deep pass. */
export interface OpenedSource {
  /** Size of the whole input in bytes; null when the source cannot tell before reading it all. */
  readonly size: number | null;
  /** Reads up to `length` bytes at `offset`; fewer only at the end of the input. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Local files only: the first `length` bytes, read synchronously into a buffer shared by every
   * file of this thread, so triage allocates nothing per file. The view is valid until the next
   * borrowPrefix call anywhere: use it before any await, and keep nothing that points into it.
   */
  borrowPrefix?(length: number): Uint8Array;
  /**
   * How many bytes triage's first read asks for, when not its usual 64 KiB: a source whose bytes
   * cost more than a copy (a deflated archive entry, where each byte is inflated) asks for less,
   * and triage reads on where the headers run past it.
   */
  readonly firstReadBytes?: number;
  /** The whole input, in chunks (deep pass: SHA-256). */
  chunks(): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/**
 * The clock of an input's time limit, which an input may stop while it waits its turn: time spent
 * queued for a host slot is the scan's scheduling, not the input's slowness, and must not make
 * healthy URLs time out behind a slow one on the same host.
 */
export interface InputClock {
  /** Stops the clock; the function returned starts it again. */
  pause(): () => void;
}

export interface OpenOptions {
  /**
   * Gives the input up: a source that reads asynchronously (URLs) stops what it is doing at once
   * and fails its pending and later reads with the signal's reason (a `timeout` SourceError when
   * the scan's time limit for the input ran out).
   */
  signal?: AbortSignal;
  /** The input's time limit, stopped while it waits for a host slot. */
  clock?: InputClock;
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
  /**
   * The most bytes triage may read from this input for its metadata, when the source sets its own
   * bound (URLs: --max-bytes); the scan reads no more than the smaller of this and its own.
   */
  readonly maxBytes?: number;
  /** For archive entries: where in which archive the entry is (the record's `archive`). */
  readonly archive?: ArchiveCustody;
  /**
   * Set on entries a folder walk does not read (a symbolic link leading out of the folder): the
   * scan counts them as skipped with this reason and never opens them.
   */
  readonly skip?: string;
  open(options?: OpenOptions): Promise<OpenedSource>;
  /**
   * How the last open() fetched the input, for URL sources: read once the source is closed or has
   * failed (the record's `http`); absent for local inputs.
   */
  custody?(): HttpCustody | null;
  /** Publication evidence kept beside the input (a gallery-dl sidecar), or null; absent: never any. */
  sidecar?(): SidecarEvidence | null;
  /** Whether a sidecar is known to lie beside a local file (a walk knows); absent: not known. */
  readonly hasSidecar?: boolean;
}
