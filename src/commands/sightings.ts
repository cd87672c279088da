/**
 * `exifhunt sightings <scan.ndjson…>`: saved scans -> sightings (src/sightings/), as a table for
 * people, JSON for one document, or NDJSON (one sighting a line) for pipelines. Several scans are
 * read as one: a photo found by two scans is one photo with two places (same SHA-256). `--db FILE`
 * adds the hunt log's stored records (docs/database.md) and, for each sighting, what only the log
 * knows: when exifhunt first saw it (the scan that first met one of its photos) and how many scans met it.
 */
import { Option, type Command } from "commander";
import type { CliIo } from "../cli/io.js";
import { collect } from "../cli/options.js";
import type { RegistryFilesResolver } from "./registry.js";
import type { SightingsFormat, SightingsOptions } from "./sightings-run.js";

const FORMATS = ["table", "json", "ndjson"] as const satisfies readonly SightingsFormat[];

/** `exifhunt sightings`; `done` receives the exit code (commander's actions return nothing). */
export function addSightingsCommand(program: Command, resolveFiles: RegistryFilesResolver, done: (exitCode: number) => void, io: CliIo): void {
  program
    .command("sightings")
    .description("group saved scans by device: builds, modes, photos (copies merged), first capture and first publication")
    .argument("[scans...]", "saved scans: exifhunt scan … --format ndjson (- for standard input); optional with --db")
    .option("--db <file>", "a hunt log (SQLite, made by scan --db or watch): its photos too, and when exifhunt first saw each sighting")
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else ndjson)").choices(FORMATS))
    .option("-o, --out <file>", "write the sightings to a file")
    .option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .action(async (scans: string[], options: SightingsOptions) => {
      const { runSightings } = await import("./sightings-run.js");
      done(await runSightings(scans, options, resolveFiles, io));
    });
}
