/**
 * The golden scan of ../shared: what `npm run golden` writes to test/golden/ and what
 * test/golden.test.ts compares against. Kept here, apart from test/helpers.ts (which registers
 * node:test hooks), so that the script and the test run exactly the same scans.
 */
import { resolve } from "node:path";
import { ROOT, runCli } from "./cli.js";

/** Inputs as the CLI is given them, relative to the repo root: sources in the output stay relative. */
export const GOLDEN_INPUTS = ["../shared/corpus", "../shared/scenarios"] as const;

export const GOLDEN_FILES = {
  json: new URL("../golden/corpus.json", import.meta.url),
  csv: new URL("../golden/corpus.csv", import.meta.url),
} as const;

export type GoldenFormat = keyof typeof GOLDEN_FILES;

/**
 * Extra flags per format. JSON is sorted by source, so it runs at the default concurrency. CSV
 * streams records in completion order, which at a concurrency above 1 depends on timing (a HEIC
 * decoded by libvips can finish after the JPEG behind it); `-c 1` makes it the walk order.
 */
const FLAGS: Record<GoldenFormat, readonly string[]> = { json: [], csv: ["--concurrency", "1"] };

/**
 * Scans ../shared with the built CLI in one format. Nothing is normalised: the output has no times
 * (only the photos' own capture dates), no absolute paths and no version string, and this throws
 * if that ever stops being true, so a volatile field is dealt with on purpose rather than frozen.
 */
export async function goldenScan(format: GoldenFormat): Promise<string> {
  const result = await runCli(["scan", ...GOLDEN_INPUTS, "--format", format, "--quiet", ...FLAGS[format]], { cwd: ROOT });
  if (result.code !== 0) throw new Error(`exifhunt scan --format ${format} exited ${String(result.code)}: ${result.stderr}`);
  const absolute = [ROOT, resolve(ROOT, "../shared")].find((path) => result.stdout.includes(path));
  if (absolute !== undefined) throw new Error(`the ${format} output holds the absolute path ${absolute}: the golden file would depend on the checkout`);
  return result.stdout;
}

/** The units a difference is shown in: JSON records (array elements) or CSV lines. */
export function goldenUnits(format: GoldenFormat, text: string): string[] {
  if (format === "csv") return text.split("\n");
  return (JSON.parse(text) as unknown[]).map((record) => JSON.stringify(record, null, 2));
}
