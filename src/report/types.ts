import type { ScanRecord } from "../record.js";
import type { ScanSummary } from "../scan.js";

/** Where a reporter writes; `write` resolves once the text is accepted (backpressure). */
export interface Sink {
  write(text: string): Promise<void>;
}

/**
 * One reporter per output format, with a lifecycle: begin, one call per record as records
 * complete, end with the summary. Streaming formats write as they go; sorted formats buffer.
 */
export interface Reporter {
  begin(): Promise<void>;
  record(record: ScanRecord): Promise<void>;
  end(summary: ScanSummary): Promise<void>;
}

export interface ReporterOptions {
  /** Colour and terminal-width layout for the table on a terminal. */
  color?: boolean;
  /** Width of the terminal for the table; null when not a terminal. */
  columns?: number | null;
}

export type ReporterFactory = (sink: Sink, options: ReporterOptions) => Reporter;
