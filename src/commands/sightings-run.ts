/**
 * What `exifhunt sightings` does (the command and its options are commands/sightings.ts, which
 * loads this only when the command runs: the hunt log's SQLite module with it).
 */
import type { CliIo } from "../cli/io.js";
import type { RegistryFilesResolver } from "./registry.js";
import { busyTimeoutFrom } from "../db/errors.js";
import { HuntLog } from "../db/huntlog.js";
import { loggedRecords, type LoggedRecord } from "../db/logged.js";
import { UsageError } from "../errors.js";
import { recordHasher } from "../photo-evidence.js";
import type { ScanRecord } from "../record.js";
import { checkOutputPath, fileOutput, stdoutOutput, type Output } from "../output.js";
import { loadRegistry } from "../registry/index.js";
import { renderSightingsText } from "../report/sightings.js";
import { readSavedScan } from "../sources/saved.js";
import { withCopyHashes } from "../sightings/copies.js";
import { SightingsBuilder, type Sighting } from "../sightings/index.js";
import { stripControl } from "../report/text.js";

export type SightingsFormat = "table" | "json" | "ndjson";

export interface SightingsOptions {
  db?: string;
  format?: SightingsFormat;
  out?: string;
  registry: string[];
}

/** What the hunt log adds to a sighting: exifhunt's first sight of it and the scans that met it. */
export interface HuntLogSighting {
  /** When the first scan that met one of its photos started (ISO 8601, UTC), and that scan's id. */
  firstSeen: string;
  firstScan: number;
  /** Scans that met one of its photos. */
  scans: number;
}

type LoggedSightingOut = Sighting & { huntLog: HuntLogSighting | null };

/** A sighting's hunt-log facts, from the logged records of its photos (matched by source). */
function huntLogFacts(sighting: Sighting, bySource: ReadonlyMap<string, LoggedRecord>): HuntLogSighting | null {
  let first: LoggedRecord | undefined;
  const scans = new Set<number>();
  for (const photo of sighting.photoList) {
    for (const source of photo.sources) {
      const logged = bySource.get(source);
      if (logged === undefined) continue;
      for (const scan of logged.scans) scans.add(scan);
      if (first === undefined || logged.firstSeen < first.firstSeen || (logged.firstSeen === first.firstSeen && logged.firstScan < first.firstScan)) first = logged;
    }
  }
  return first === undefined ? null : { firstSeen: first.firstSeen, firstScan: first.firstScan, scans: scans.size };
}

function huntLogTable(sightings: readonly LoggedSightingOut[]): string {
  const rows = [["sighting", "first seen by exifhunt", "first scan", "scans"]];
  for (const s of sightings) {
    if (s.huntLog === null) continue;
    rows.push([stripControl(s.name), s.huntLog.firstSeen.slice(0, 19).replace("T", " "), String(s.huntLog.firstScan), String(s.huntLog.scans)]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}

export async function runSightings(files: string[], options: SightingsOptions, resolveFiles: RegistryFilesResolver, io: CliIo): Promise<number> {
  if (files.length === 0 && options.db === undefined) throw new UsageError("name at least one saved scan (exifhunt scan … --format ndjson) or a hunt log (--db FILE)");
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
  // The hunt log's records are added as stored: the log's deep pass already hashed its flagged photos.
  const bySource = new Map<string, LoggedRecord>();
  if (options.db !== undefined) {
    const log = HuntLog.open(options.db, { readonly: true, busyTimeoutMs: busyTimeoutFrom(io.env) });
    try {
      for (const logged of loggedRecords(log)) {
        bySource.set(logged.record.source, logged);
        builder.add(logged.record);
      }
    } finally {
      log.close();
    }
  }
  const grouped = builder.sightings();
  const sightings: (Sighting | LoggedSightingOut)[] = options.db === undefined ? grouped : grouped.map((s) => ({ ...s, huntLog: huntLogFacts(s, bySource) }));
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
      const log = options.db === undefined ? "" : `\n\n${huntLogTable(sightings as LoggedSightingOut[])}`;
      await output.write(`${text}${log}\n\n${String(sightings.length)} sighting${sightings.length === 1 ? "" : "s"} in ${String(records)} record${records === 1 ? "" : "s"}${left}\n`);
    }
    await output.commit();
  } catch (error: unknown) {
    await output.abandon();
    throw error;
  }
  return 0;
}

