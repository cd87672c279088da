/**
 * `exifhunt report RESULTS`: renders a saved scan (NDJSON or a JSON array, as `scan` writes them)
 * without scanning again. Verdicts and findings are the saved ones; only the evidence
 * (thumbnails, metadata) is read from the photos.
 */
import { checkOutputPath, fileOutput, stdoutOutput, type Output } from "../output.js";
import type { Verdict } from "../record.js";
import { loadRegistry } from "../registry/index.js";
import { reporters, type Format } from "../report/index.js";
import { SummaryBuilder } from "../events.js";
import { readSavedScan } from "../sources/saved.js";
import { registryFiles } from "./config.js";
import type { CliIo } from "./io.js";
import { chooseFormat, reporterOptions } from "./options.js";

export interface ReportCommandOptions {
  format?: Format;
  out?: string;
  registry: string[];
  only?: Verdict[];
}

export async function runReport(file: string, options: ReportCommandOptions, io: CliIo): Promise<number> {
  if (options.out !== undefined) await checkOutputPath(options.out);
  const format = chooseFormat(options.format, options.out, io);
  const registry = await loadRegistry({ files: await registryFiles(options.registry, io) });
  const output: Output = options.out === undefined ? stdoutOutput(io.stdout, () => undefined) : await fileOutput(options.out);
  const reporter = reporters[format](output, reporterOptions(io, options.out, options.only, registry));
  const only = options.only === undefined ? null : new Set(options.only);
  const summary = new SummaryBuilder();
  try {
    await reporter.begin();
    for await (const record of readSavedScan(file, io.stdin)) {
      const event = { type: "record", record } as const;
      summary.add(event);
      if (only === null || only.has(record.verdict)) await reporter.record(event);
    }
    await reporter.end(summary.finish(registry.version, 0));
    await output.commit();
  } catch (error: unknown) {
    await output.abandon();
    throw error;
  }
  return 0;
}
