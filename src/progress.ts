/**
 * The progress line on stderr for long scans, shown only on a terminal: files done, rate, and
 * once a background count of the inputs has finished, the total, percentage and ETA.
 */
import type { Writable } from "node:stream";
import type { ScanProgress } from "./scan.js";
import { expandInputs } from "./sources/index.js";

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${String(s)}s`;
  if (s < 3600) return `${String(Math.floor(s / 60))}m${String(s % 60).padStart(2, "0")}s`;
  return `${String(Math.floor(s / 3600))}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** One line: a bar when the total is known, else a running count. Pure, for testing. */
export function progressLine(progress: ScanProgress, total: number | null): string {
  const done = progress.records + progress.skipped;
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  const rateText = `${String(Math.round(rate))} files/s`;
  if (total === null || total === 0) return `${String(done)} files · ${rateText}`;
  const fraction = Math.min(1, done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
  const eta = rate > 0 ? formatDuration((total - done) / rate) : "?";
  return `${bar} ${String(done)}/${String(total)} (${String(Math.floor(fraction * 100))}%) · ${rateText} · ETA ${eta}`;
}

export interface ProgressDisplay {
  update(progress: ScanProgress): void;
  /** Writes a line of its own (an error about an input): the progress line is redrawn below it. */
  above(line: string): void;
  clear(): void;
}

/** A progress line on a terminal's stderr; silent elsewhere. Counts the inputs in the background. */
export function progressDisplay(inputs: readonly string[] | null, stream: Writable, enabled: boolean): ProgressDisplay {
  if (!enabled) {
    return {
      update: () => undefined,
      above: (line) => void stream.write(`${line}\n`),
      clear: () => undefined,
    };
  }
  let total: number | null = null;
  // Mutated by clear(): an object, so the counting loop reads its current value.
  const counting = { stopped: false };
  void (async () => {
    if (inputs === null) return;
    let count = 0;
    for await (const source of expandInputs(inputs)) {
      if (counting.stopped) return;
      if (source.path !== undefined || source.explicit) count++;
    }
    total = count;
  })().catch(() => undefined);
  let last = 0;
  return {
    update(progress) {
      const now = performance.now();
      if (now - last < REDRAW_MS) return;
      last = now;
      stream.write(`\r\u001b[K${progressLine(progress, total)}`);
    },
    above(line) {
      // The next update draws the line again; until then the error stands alone.
      last = 0;
      stream.write(`\r\u001b[K${line}\n`);
    },
    clear() {
      counting.stopped = true;
      stream.write("\r\u001b[K");
    },
  };
}
