/**
 * The hunt log as a scan uses it: opens the database, starts the scan's row, notes every event
 * as it streams by and tells the output which records are new.
 */
import { createHash } from "node:crypto";
import type { DeviceRegistry } from "../registry/index.js";
import type { ScanEvent } from "../events.js";
import { HuntLog } from "./huntlog.js";
import type { ScanSession, ScanStatus, ScanTotals } from "./session.js";

export interface ScanLogOptions {
  command: "scan" | "watch";
  inputs: readonly string[];
  exifhuntVersion: string;
  registry: DeviceRegistry;
  deep: boolean;
  /** --max-bytes as given (it bounds what triage reads, so records made under another bound differ). */
  maxBytes: number | undefined;
  /** How long a write waits for another run's lock (default DEFAULT_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/**
 * What a stored record depends on besides the file: the exifhunt version (rules change), the
 * registry's contents (a device announced since turns a leak into a known phone) and the read
 * bound. A record made otherwise is not reused: the file is read again.
 */
export function madeWith(options: Pick<ScanLogOptions, "exifhuntVersion" | "registry" | "maxBytes">): string {
  const registry = createHash("sha256").update(JSON.stringify(options.registry.layers)).digest("hex").slice(0, 16);
  return `exifhunt@${options.exifhuntVersion} registry:${registry} max-bytes:${options.maxBytes === undefined ? "default" : String(options.maxBytes)}`;
}

export class ScanLog {
  readonly log: HuntLog;
  readonly session: ScanSession;
  /** Newness of records noted but not yet asked about: small for streamed output, the buffered records otherwise. */
  readonly #newness = new Map<string, boolean>();
  #finished: ScanTotals | null = null;

  private constructor(log: HuntLog, session: ScanSession) {
    this.log = log;
    this.session = session;
  }

  static open(file: string, options: ScanLogOptions): ScanLog {
    const log = HuntLog.open(file, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    try {
      return new ScanLog(
        log,
        log.beginScan({
          command: options.command,
          inputs: options.inputs,
          exifhuntVersion: options.exifhuntVersion,
          registryVersion: options.registry.version,
          madeWith: madeWith(options),
          deep: options.deep,
        }),
      );
    } catch (error: unknown) {
      log.close();
      throw error;
    }
  }

  /** Passes the scan's events on, each noted in the log first (before any scan-wide check changes them). */
  async *tap(events: AsyncIterable<ScanEvent>): AsyncGenerator<ScanEvent> {
    for await (const event of events) {
      this.#note(event);
      yield event;
    }
  }

  /** tap over batches of events (scanSourceBatches). */
  async *tapBatches(batches: AsyncIterable<ScanEvent[]>): AsyncGenerator<ScanEvent[]> {
    for await (const batch of batches) {
      for (const event of batch) this.#note(event);
      yield batch;
    }
  }

  #note(event: ScanEvent): void {
    const isNew = this.session.note(event);
    if (event.type === "record") this.#newness.set(event.record.source, isNew);
  }

  /** Whether the record of `source` (noted by tap) is new; asks once per record. */
  isNew(source: string): boolean {
    const isNew = this.#newness.get(source) ?? true;
    this.#newness.delete(source);
    return isNew;
  }

  /** Ends the scan in the log and closes it; once only (later calls return the first totals). */
  finish(status: ScanStatus): ScanTotals {
    if (this.#finished !== null) return this.#finished;
    try {
      this.#finished = this.session.finish(status);
    } finally {
      this.log.close();
    }
    return this.#finished;
  }

  /** Closes without a verdict on the scan (a failure while failing): the row stays `running`. */
  abandon(): void {
    if (this.#finished === null && this.log.db.open) this.log.close();
  }
}
