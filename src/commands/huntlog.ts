/**
 * The hunt log's commands (docs/database.md):
 *
 *   watch <folders…> --db FILE [--exec CMD]   report each new photo as it arrives
 *
 * `sightings --db FILE` is the sightings command's (commands/sightings.ts): one command for saved
 * scans and hunt logs.
 */
import { Command, InvalidArgumentError } from "commander";
import type { CliIo } from "../cli/io.js";
import { byteCount, collect } from "../cli/options.js";
import type { RegistryFilesResolver } from "./registry.js";
import { loadRegistry } from "../registry/index.js";

export interface HuntLogDeps {
  version: string;
  registryFiles: RegistryFilesResolver;
  /** Where a command leaves its exit code (commander's actions return nothing). */
  done: (exitCode: number) => void;
  io: CliIo;
}

interface WatchCommandOptions {
  db: string;
  exec?: string;
  settle: number;
  registry: string[];
  deep: boolean;
  maxBytes?: number;
  quiet: boolean;
}

function milliseconds(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("must be a whole number of milliseconds, at least 1");
  return number;
}

export function addHuntLogCommands(program: Command, deps: HuntLogDeps): void {
  const { io } = deps;
  program
    .command("watch")
    .description("watch folders (recursively) and report each new or changed photo once, as an NDJSON record, as soon as it is complete")
    .argument("<folders...>", "folders to watch")
    .requiredOption("--db <file>", "the hunt log (SQLite): what was reported before, so a restart does not report old photos again")
    .option("--exec <command>", "run this shell command for each new record, with the record (one JSON line) on its standard input, instead of printing it")
    .option("--settle <ms>", "a file is read once its size stayed the same this long (a copy in progress keeps growing)", milliseconds, 500)
    .option("-r, --registry <file>", "a registry file layered over the bundled ones (repeatable; also EXIFHUNT_REGISTRY and a config file)", collect, [])
    .option("--deep", "deep pass for every photo (SHA-256 of the whole file), not only flagged ones", false)
    .option("--max-bytes <n>", "most bytes read from one photo for its metadata, e.g. 4M (default 32M)", byteCount)
    .option("-q, --quiet", "no status line on stderr", false)
    .action(async (folders: string[], options: WatchCommandOptions) => {
      // Loaded only when watch runs: the hunt log's SQLite module with it.
      const [{ runWatch }, { busyTimeoutFrom }] = await Promise.all([import("../watch.js"), import("../db/errors.js")]);
      const registry = await loadRegistry({ files: await deps.registryFiles(options.registry) });
      deps.done(await runWatch(folders, {
        db: options.db,
        busyTimeoutMs: busyTimeoutFrom(io.env),
        registry,
        exifhuntVersion: deps.version,
        ...(options.exec === undefined ? {} : { exec: options.exec }),
        settleMs: options.settle,
        deep: options.deep,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
        quiet: options.quiet,
        stdout: io.stdout,
        stderr: io.stderr,
        signals: io.signals,
      }));
    });
}
