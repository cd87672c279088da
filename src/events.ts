/**
 * What a scan yields and how a stream of it is summed up and ordered: the events, the summary,
 * the deterministic order of sorted output, and the checks that need the whole scan. Shared by
 * the orchestrator (scan.ts), the triage of one input (triage/), the workers (parallel/) and
 * the renderers (report/), none of which need the orchestrator for it.
 */
import { withSiblingFindings } from "./analyze/siblings.js";
import { VERDICTS_BY_RANK, type ScanRecord, type Verdict } from "./record.js";

export type ScanEvent = RecordEvent | { type: "skipped"; source: string; reason: string };

export interface RecordEvent {
  type: "record";
  readonly record: ScanRecord;
  /**
   * The record as JSON text, exactly `JSON.stringify(record)`, when the record came as text (from
   * a worker thread: RecordText); absent otherwise. JSON output writes it as it is (recordJson).
   */
  readonly json?: string;
}

/** What a record is counted and routed by without reading all of it: its source, verdict and error. */
export type RecordHead = Pick<ScanRecord, "source" | "verdict" | "error">;

/**
 * A record that came as JSON text, with its head beside it: a worker thread sends its records so.
 * Written as NDJSON, such a record is never parsed, where a record object would be copied out of
 * the worker and back into text again (docs/benchmarks.md, round eleven). `record` parses the text
 * the first time it is read. Being a class, it is copied by its `record` (`{ type, record }`), not
 * spread; as JSON it is what a plain record event is.
 */
export class RecordText implements RecordEvent {
  readonly type = "record";
  readonly head: RecordHead;
  readonly json: string;
  #record: ScanRecord | undefined;

  constructor(head: RecordHead, json: string) {
    this.head = head;
    this.json = json;
  }

  get record(): ScanRecord {
    this.#record ??= JSON.parse(this.json) as ScanRecord;
    return this.#record;
  }

  toJSON(): { type: "record"; record: ScanRecord } {
    return { type: "record", record: this.record };
  }
}

/** A record event's head, without parsing a record that came as text. */
export function recordHead(event: RecordEvent): RecordHead {
  return event instanceof RecordText ? event.head : event.record;
}

/** A record event's record as JSON text: the text it came as, else its record serialised now. */
export function recordJson(event: RecordEvent): string {
  return event.json ?? JSON.stringify(event.record);
}

export interface ScanSummary {
  records: number;
  skipped: number;
  verdicts: Record<Verdict, number>;
  bytesRead: number;
  elapsedMs: number;
  registry: string;
}

export function emptyVerdictCounts(): Record<Verdict, number> {
  return Object.fromEntries(VERDICTS_BY_RANK.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
}

/**
 * Flagged verdicts: a deep pass is always run for them (triage/), and a report proves them with a
 * thumbnail, the evidence and the full metadata (report/).
 */
export const FLAGGED: ReadonlySet<Verdict> = new Set(["leak", "suspicious"]);

/** Compares sources for the deterministic order of table, JSON and HTML output. */
export function compareSources(a: ScanRecord, b: ScanRecord): number {
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** Tallies events into a summary; call `finish` once the stream ends. */
export class SummaryBuilder {
  readonly #started = performance.now();
  readonly #verdicts = emptyVerdictCounts();
  #records = 0;
  #skipped = 0;

  add(event: ScanEvent): void {
    if (event.type === "skipped") {
      this.#skipped++;
      return;
    }
    this.#records++;
    this.#verdicts[recordHead(event).verdict]++;
  }

  finish(registry: string, bytesRead: number): ScanSummary {
    return {
      records: this.#records,
      skipped: this.#skipped,
      verdicts: { ...this.#verdicts },
      bytesRead,
      elapsedMs: Math.round(performance.now() - this.#started),
      registry,
    };
  }
}

/**
 * Holds back the records of a stream until it ends, then yields them with the findings that need
 * the whole scan (sibling comparison, analyze/siblings.ts); `skipped` events pass straight on.
 * For consumers that buffer anyway (sorted reports); streaming NDJSON/CSV go without.
 */
export async function* withScanWideChecks(events: AsyncIterable<ScanEvent>): AsyncGenerator<ScanEvent> {
  for await (const batch of withScanWideChecksInBatches(eachAlone(events))) yield* batch;
}

async function* eachAlone(events: AsyncIterable<ScanEvent>): AsyncGenerator<ScanEvent[]> {
  for await (const event of events) yield [event];
}

/** withScanWideChecks over batches of events (scanSourceBatches): the records come as one last batch. */
export async function* withScanWideChecksInBatches(batches: AsyncIterable<readonly ScanEvent[]>): AsyncGenerator<ScanEvent[]> {
  const records: ScanRecord[] = [];
  for await (const batch of batches) {
    const passed: ScanEvent[] = [];
    for (const event of batch) {
      if (event.type === "record") records.push(event.record);
      else passed.push(event);
    }
    if (passed.length > 0) yield passed;
  }
  if (records.length > 0) yield withSiblingFindings(records).map((record): ScanEvent => ({ type: "record", record }));
}
