/**
 * Inputs -> PhotoSources, streaming: folders are walked one directory at a time, so a dump of a
 * million files never becomes an array of a million paths.
 */
import type { Dirent } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { fileSource } from "./file.js";
import { HttpClient } from "./http.js";
import type { PhotoSource } from "./types.js";
import { DEFAULT_URL_MAX_BYTES, isUrlInput, urlSource } from "./url.js";

/**
 * What the folder walk has listed so far, and from it a guess at how many files the whole walk
 * holds before it is done: a scan starts its worker threads at once for a dump that will be
 * large, instead of after its first few thousand files (scan.ts, expectedFiles). Listings are
 * counted as the walk reads them (one folder, and the next sibling listed ahead).
 */
export class WalkCensus {
  /** Files in the folders listed so far. */
  files = 0;
  /** Folders listed so far. */
  listed = 0;
  /** Folders that listings named and that are not listed yet. */
  waiting = 0;

  /**
   * The files listed, and for each folder still waiting the mean count of the folders listed
   * (the folders named as inputs among them, which often hold only folders): a guess, right for
   * a dump in folders of about one size, and never consulted for more than when to start workers.
   */
  expected(): number {
    return this.listed === 0 ? this.files : this.files + this.waiting * (this.files / this.listed);
  }
}

export interface ExpandOptions {
  /** The client URL inputs are fetched with; one is made on the first URL when absent. */
  http?: HttpClient;
  /** The most bytes triage reads from each URL (default DEFAULT_URL_MAX_BYTES). */
  urlMaxBytes?: number;
  /**
   * Follow symbolic links that lead out of the folder named as input (default false: they are
   * skipped, with a reason). A dump can hold a link to the user's private photos, and following
   * it would put them in a report meant to be shared.
   */
  followLinksOutside?: boolean;
  /** Told what each folder's listing holds, as the walk reads it. */
  census?: WalkCensus;
}

/** A folder walk: the folder named as input (resolved) and what has been read already. */
interface Walk {
  root: string;
  visited: Set<string>;
  followLinksOutside: boolean;
  census: WalkCensus | undefined;
}

function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** An entry the walk does not read, counted as skipped with the reason (PhotoSource.skip). */
function skipped(path: string, reason: string): PhotoSource {
  return {
    id: path,
    kind: "file",
    explicit: false,
    skip: reason,
    open: () => Promise.reject(new Error(`${path} is not read: ${reason}`)),
  };
}

/**
 * A folder that cannot be listed: a source whose open() fails with the listing's error, so it
 * becomes an error record naming the folder (its photos were not scanned), never a silent gap.
 */
function unlistable(path: string, explicit: boolean, error: unknown): PhotoSource {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const failure = Object.assign(new Error(`${path}: the folder cannot be listed (${code ?? String(error)}), so the photos in it were not scanned`, { cause: error }), { code });
  return { id: path, kind: "file", explicit, open: () => Promise.reject(failure) };
}

/** A folder's real path and entries, or why they could not be read. Never rejects. */
type Listing = { real: string; entries: Dirent[] | { error: unknown } } | { error: unknown };

async function list(directory: string): Promise<Listing> {
  let real: string;
  try {
    real = await realpath(directory);
  } catch (error: unknown) {
    return { error };
  }
  try {
    // One readdir for the whole folder: iterating opendir's handle costs a thread-pool round
    // trip per 32 entries, and each is a wait for the event loop (a tenth of a 5,000-photo scan).
    return { real, entries: await readdir(directory, { withFileTypes: true }) };
  } catch (error: unknown) {
    return { real, entries: { error } };
  }
}

/**
 * The most sources of one folder handed on as one chunk: a folder of a million photos is not a
 * million sources at once (its listing is, as Dirents).
 */
const MAX_CHUNK = 1024;

/**
 * A folder's sources in chunks: its files in walk order up to each subfolder, whose own come next
 * (depth first). A scan takes a chunk's sources without an await for each (util/source-stack.ts),
 * where a source yielded alone through the walk's nested generators cost a microtask hop at each
 * level, 1 to 2 µs a file.
 * `listed`: the folder's listing, when it was asked for ahead. While a folder's photos are read,
 * the next sibling folder is listed in the thread pool, so the scan does not wait for each
 * listing in turn (a dump of 100,000 photos in folders of 1,000 waited 0.17 s).
 */
async function* walkDirectory(directory: string, walk: Walk, explicit: boolean, listed: Promise<Listing> = list(directory), counted = false): AsyncGenerator<PhotoSource[]> {
  const listing = await listed;
  // A folder its parent's listing counted as waiting is waiting no more, whatever it holds.
  if (walk.census !== undefined && counted) walk.census.waiting--;
  if (!("real" in listing)) {
    yield [unlistable(directory, explicit, listing.error)];
    return;
  }
  // A folder reached twice (symlink loops, a folder linked from two places) is read once.
  const { real } = listing;
  if (walk.visited.has(real)) return;
  walk.visited.add(real);
  if (!Array.isArray(listing.entries)) {
    yield [unlistable(directory, explicit, listing.entries.error)];
    return;
  }
  const entries = listing.entries;
  // Sorted so that walks (and so completion order at concurrency 1) are reproducible.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // gallery-dl's sidecars (NAME.jpg.json) are found by name here, not by an open per photo.
  const names = new Set(entries.map((entry) => entry.name));
  // Folders as the listing says (links are followed below, when met): the next is listed ahead.
  // The loop meets them in this order, so the listing ahead is always the next one it meets.
  const folders = entries.filter((entry) => entry.isDirectory());
  if (walk.census !== undefined) {
    walk.census.listed++;
    walk.census.waiting += folders.length;
    for (const entry of entries) if (entry.isFile()) walk.census.files++;
  }
  // join(directory, name), with the directory normalised once rather than for each of its files: an
  // entry's name is never "." or ".." and holds no separator, so the path is this prefix ("photos/",
  // or "" for ".") and the name.
  const prefix = join(directory, "_").slice(0, -1);
  const pathOf = (name: string): string => prefix + name;
  let nextFolder = 0;
  const listNext = (): Promise<Listing> | undefined => {
    const next = folders[nextFolder++];
    return next === undefined ? undefined : list(pathOf(next.name));
  };
  let ahead = listNext();
  // This folder's sources up to its next subfolder, handed on as one chunk.
  let chunk: PhotoSource[] = [];
  for (const entry of entries) {
    if (chunk.length >= MAX_CHUNK) {
      yield chunk;
      chunk = [];
    }
    const path = pathOf(entry.name);
    // The directory entry already says file or folder; only links need a stat to follow them.
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(path);
        const info = await stat(target);
        isDirectory = info.isDirectory();
        isFile = info.isFile();
      } catch {
        continue; // a dangling symlink
      }
      if (!walk.followLinksOutside && !isInside(target, walk.root)) {
        chunk.push(skipped(path, `a symbolic link to ${target}, outside the folder scanned (${walk.root}): not followed`));
        continue;
      }
    }
    if (isDirectory) {
      let listing: Promise<Listing> | undefined;
      if (entry.isDirectory()) {
        // This folder was listed ahead; the next one is listed while this one is walked.
        listing = ahead;
        ahead = listNext();
      }
      // The files before the subfolder come before its own.
      if (chunk.length > 0) {
        yield chunk;
        chunk = [];
      }
      yield* walkDirectory(path, walk, false, listing, entry.isDirectory());
    }
    // A sidecar beside a photo is read as that photo's evidence, not walked as a file of its own
    // (a Flickr download would otherwise report one skipped file per photo).
    else if (isFile && entry.name.endsWith(".json") && names.has(entry.name.slice(0, -".json".length))) continue;
    else if (isFile) chunk.push(fileSource(path, false, names.has(`${entry.name}.json`)));
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Expands command-line inputs: a file is one explicit source (a record whatever it holds); a
 * folder is walked recursively; an http(s) URL is one explicit source; a path that does not exist
 * is still one explicit source, whose open() fails and so becomes an error record naming it.
 */
export async function* expandInputs(inputs: Iterable<string> | AsyncIterable<string>, options: ExpandOptions = {}): AsyncGenerator<PhotoSource> {
  for await (const chunk of expandInputChunks(inputs, options)) yield* chunk;
}

/** expandInputs, a chunk at a time: a folder's files up to each subfolder as one array (walkDirectory). */
export async function* expandInputChunks(inputs: Iterable<string> | AsyncIterable<string>, options: ExpandOptions = {}): AsyncGenerator<PhotoSource[]> {
  const visited = new Set<string>();
  let client = options.http;
  for await (const input of inputs) {
    if (isUrlInput(input)) {
      client ??= new HttpClient();
      yield [urlSource(input, { client, maxBytes: options.urlMaxBytes ?? DEFAULT_URL_MAX_BYTES })];
      continue;
    }
    let isDirectory = false;
    try {
      isDirectory = (await stat(input)).isDirectory();
    } catch {
      // left to open(), which reports it in the input's own record
    }
    if (!isDirectory) {
      yield [fileSource(input, true)];
      continue;
    }
    // The folder as named is the boundary: a link it holds may lead anywhere inside it.
    let root = input;
    try {
      root = await realpath(input);
    } catch {
      // walkDirectory reports it
    }
    yield* walkDirectory(input, { root, visited, followLinksOutside: options.followLinksOutside ?? false, census: options.census }, true);
  }
}
