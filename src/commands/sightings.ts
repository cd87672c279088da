/**
 * `exifhunt sightings <scan.ndjson…>`: saved scans -> sightings (src/sightings/), as a table for
 * people, JSON for one document, or NDJSON (one sighting a line) for pipelines. Several scans are
 * read as one: a photo found by two scans is one photo with two places (same SHA-256).
 */
import { Command, Option } from "commander";
import type { CliIo } from "../cli/io.js";
import { collect } from "../cli/options.js";
import { UsageError } from "../errors.js";
import { recordHasher } from "../photo-evidence.js";
import type { ScanRecord } from "../record.js";
import { checkOutputPath, fileOutput, stdoutOutput, type Output } from "../output.js";
import { loadRegistry } from "../registry/index.js";
import { renderSightingsText } from "../report/sightings.js";
import { readSavedScan } from "../sources/saved.js";
import { withCopyHashes } from "../sightings/copies.js";
import { SightingsBuilder } from "../sightings/index.js";

const FORMATS = ["table", "json", "ndjson"] as const;
type SightingsFormat = (typeof FORMATS)[number];

interface SightingsOptions {
  format?: SightingsFormat;
  out?: string;
  registry: string[];
}

/** Resolves `--registry` values (plus the environment and config files) into the files to layer. */
export type RegistryFilesResolver = (flags: readonly string[]) => Promise<string[]>;

async function runSightings(files: string[], options: SightingsOptions, resolveFiles: RegistryFilesResolver, io: CliIo): Promise<number> {
  if (files.length === 0) throw new UsageError("name at least one saved scan (exifhunt scan … --format ndjson)");
  if (options.out !== undefined) await checkOutputPath(options.out);
  const format: SightingsFormat = options.format ?? (options.out === undefined && io.stdout.isTTY === true ? "table" : "ndjson");
  // The registry links unknown models to known devices by firmware; verdicts are the saved ones.
  const registry = await loadRegistry({ files: await resolveFiles(options.registry) });
  const records: ScanRecord[] = [];
  for (const file of files) {
    for await (const record of readSavedScan(file, io.stdin)) records.push(record);
  }
  // Copies of a flagged photo the scan did not hash (same size, no SHA-256) are hashed now, so
  // they merge. Local files only: this command reads saved scans and sends no request anywhere.
  const hash = recordHasher();
  const builder = new SightingsBuilder(registry);
  for (const record of await withCopyHashes(records, async (record) => (record.kind === "file" ? hash(record) : null))) builder.add(record);
  const sightings = builder.sightings();
  const output: Output = options.out === undefined ? stdoutOutput(io.stdout, () => undefined) : await fileOutput(options.out);
  try {
    if (format === "ndjson") {
      for (const sighting of sightings) await output.write(`${JSON.stringify(sighting)}\n`);
    } else if (format === "json") {
      const { records, withoutCamera } = builder.counts;
      await output.write(`${JSON.stringify({ records, withoutCamera, registry: registry.version, sightings }, null, 2)}\n`);
    } else {
      const { records, withoutCamera } = builder.counts;
      const text = sightings.length === 0 ? "No photo names a camera." : renderSightingsText(sightings, { full: true });
      const left = withoutCamera === 0 ? "" : `; ${String(withoutCamera)} without camera metadata or unreadable`;
      await output.write(`${text}\n\n${String(sightings.length)} sighting${sightings.length === 1 ? "" : "s"} in ${String(records)} record${records === 1 ? "" : "s"}${left}\n`);
    }
    await output.commit();
  } catch (error: unknown) {
    await output.abandon();
    throw error;
  }
  return 0;
}

/** `exifhunt sightings`; `done` receives the exit code (commander's actions return nothing). */
export function addSightingsCommand(program: Command, resolveFiles: RegistryFilesResolver, done: (exitCode: number) => void, io: CliIo): void {
  program
    .command("sightings")
    .description("group saved scans by device: builds, modes, photos (copies merged), first capture and first publication")
    .argument("<scans...>", "saved scans: exifhunt scan … --format ndjson (- for standard input)")
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else ndjson)").choices(FORMATS))
    .option("-o, --out <file>", "write the sightings to a file")
    .option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .action(async (scans: string[], options: SightingsOptions) => {
      done(await runSightings(scans, options, resolveFiles, io));
    });
}
