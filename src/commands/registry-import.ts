/**
 * `exifhunt registry import <source> <path>`: reads a local checkout of a public source and writes
 * the user registry layer it gives (src/registry/import/, pure, does the work). The I/O lives here:
 * listing the checkout, reading the files it needs, asking git for the commit, writing the output.
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { Option, type Command } from "commander";
import { warn, type CliIo } from "../cli/io.js";
import { errnoCode, UsageError } from "../errors.js";
import { stdoutOutput } from "../output.js";
import { IMPORT_SOURCE_IDS, isImportSource, isVendorId, VENDOR_IDS, type ImportSource, type VendorId } from "../registry/import/ids.js";
import type { SourceFile } from "../registry/import/index.js";

/** The importers, loaded when the command runs: every other command starts without them. */
const importers = async (): Promise<typeof import("../registry/import/index.js")> => import("../registry/import/index.js");

/** The files of a checkout the source needs (a CSV path is taken as it is). */
async function sourceFiles(source: ImportSource, path: string): Promise<SourceFile[]> {
  const { decodeText, IMPORT_SOURCES } = await importers();
  const info = await stat(path).catch((error: unknown) => {
    throw new UsageError(`cannot read ${path}: ${errnoCode(error) === "ENOENT" ? "no such file or folder" : String(error)}`, { cause: error });
  });
  // A file named on the command line is the source's file, whatever it is called.
  if (info.isFile()) return [{ path: source === "google-play" ? "supported_devices.csv" : basename(path), text: decodeText(await readFile(path)) }];
  return checkoutFiles(path, IMPORT_SOURCES[source].wants);
}

/**
 * The files of a checkout whose path inside it (forward slashes) `wants` accepts, as text, in path
 * order. Also what scripts/registry/build.ts reads a plain checkout with.
 */
export async function checkoutFiles(root: string, wants: (path: string) => boolean): Promise<SourceFile[]> {
  const { decodeText } = await importers();
  const files: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const full = join(dir, entry.name);
      // Symbolic links are not followed: a checkout has none the sources need.
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const inside = relative(root, full).split(sep).join("/");
        if (wants(inside)) files.push({ path: inside, text: decodeText(await readFile(full)) });
      }
    }
  };
  await walk(root);
  return files;
}

/** The checkout's commit and origin, when it is a git work tree; what to record otherwise. */
export async function checkoutRef(path: string): Promise<{ repository: string; commit: string }> {
  const run = promisify(execFile);
  const dir = (await stat(path)).isFile() ? resolve(path, "..") : path;
  const git = async (...args: string[]): Promise<string | null> => {
    try {
      return (await run("git", ["-C", dir, ...args])).stdout.trim();
    } catch {
      // Not a git work tree (or no git): the layer says the checkout is unpinned.
      return null;
    }
  };
  const commit = await git("rev-parse", "HEAD");
  const origin = await git("config", "--get", "remote.origin.url");
  return { repository: origin ?? resolve(path), commit: commit ?? "unpinned (not a git checkout)" };
}

/** Adds `registry import`; like its siblings, the action hands its exit code to `done`. */
export function addRegistryImportCommand(group: Command, done: (exitCode: number) => void, io: CliIo): void {
  group
    .command("import")
    .description("build a user registry layer from a local checkout of a public source (google-play: supported_devices.csv; endoflife; lineage)")
    .addArgument(group.createArgument("<source>", "which source the checkout is").choices(IMPORT_SOURCE_IDS))
    .argument("<path>", "the checkout (or, for google-play, the CSV file)")
    .addOption(new Option("--vendor <vendor>", "only this vendor's layer (repeatable)").choices(VENDOR_IDS).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]))
    .option("-o, --out-dir <dir>", "write one <vendor>.json per vendor there (without it: one vendor's layer to stdout)")
    .action(async (source: string, named: string, options: { vendor?: string[]; outDir?: string }) => {
      // Paths are the user's, relative to the working directory the CLI was given.
      const path = resolve(io.cwd, named);
      if (!isImportSource(source)) throw new UsageError(`unknown source "${source}"`);
      const vendors: VendorId[] = (options.vendor ?? [...VENDOR_IDS]).filter(isVendorId);
      if (options.outDir === undefined && vendors.length !== 1) {
        throw new UsageError(`import gives one registry file per vendor: name one with --vendor (${VENDOR_IDS.join(", ")}) or write them all with --out-dir DIR`);
      }
      const { formatRegistry, IMPORT_SOURCES, importLayer, SourceFormatError, VENDORS } = await importers();
      const files = await sourceFiles(source, path);
      const ref = { ...(await checkoutRef(path)), licence: "see the source's repository" };
      const layers = vendors.map((vendor) => {
        try {
          return { vendor, layer: importLayer(source, files, ref, vendor) };
        } catch (error: unknown) {
          if (error instanceof SourceFormatError) throw new UsageError(`${path}: ${error.message} (${IMPORT_SOURCES[source].describe})`, { cause: error });
          throw error;
        }
      });
      if (options.outDir === undefined) {
        const output = stdoutOutput(io.stdout, () => undefined);
        await output.write(formatRegistry(layers[0]?.layer ?? { vendor: "", devices: [] }));
        await output.commit();
        done(0);
        return;
      }
      const outDir = resolve(io.cwd, options.outDir);
      await mkdir(outDir, { recursive: true });
      for (const { vendor, layer } of layers) {
        if (layer.devices.length === 0) {
          warn(io, `exifhunt: ${source} lists no ${VENDORS[vendor].vendor} device; no file written`);
          continue;
        }
        const target = join(outDir, VENDORS[vendor].file);
        await writeFile(target, formatRegistry(layer));
        warn(io, `exifhunt: wrote ${target} (${String(layer.devices.length)} devices)`);
      }
      done(0);
    });
}
