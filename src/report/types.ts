import type { Verdict } from "../record.js";
import type { DeviceRegistry } from "../registry/index.js";
import type { RecordEvent, ScanSummary } from "../events.js";
import type { EvidenceProvider } from "./evidence-provider.js";
import type { Provenance } from "./provenance.js";

/**
 * Where a reporter writes. `write` returns nothing when it took the text at once, or a promise
 * that resolves once it has (backpressure: the output is behind): at tens of thousands of records
 * a second, a promise per line is a cost of its own.
 */
export interface Sink {
  write(text: string): Promise<void> | undefined;
}

/**
 * One reporter per output format, with a lifecycle: begin, one call per record as records
 * complete, end with the summary. Streaming formats write as they go; sorted formats buffer.
 */
export interface Reporter {
  begin(): Promise<void>;
  /**
   * One record, as the scan's event (a record that came as JSON text is written as that text, not
   * parsed: RecordText). Like Sink.write: a promise only when the output must be waited for.
   */
  record(event: RecordEvent): Promise<void> | undefined;
  end(summary: ScanSummary): Promise<void>;
}

export interface ReporterOptions {
  /** Colour and terminal-width layout for the table on a terminal. */
  color?: boolean;
  /** The width the table fits (COLUMNS, the terminal, else 100); null: no limit. */
  columns?: number | null;
  /** `--only`: the verdicts shown; the summary still counts every record. */
  only?: readonly Verdict[];
  /** HTML and Markdown: the registry, to show each sighted device's entry beside the photos. */
  registry?: DeviceRegistry;
  /** HTML: reopens flagged photos for thumbnails and the full metadata dump (src/photo-evidence.ts). */
  evidence?: EvidenceProvider;
  /** HTML and Markdown: exifhunt's version, the command and the time, shown in the report. */
  provenance?: Provenance;
}

export type ReporterFactory = (sink: Sink, options: ReporterOptions) => Reporter;
