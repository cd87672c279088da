/**
 * `exifhunt watch <folders…> --db FILE`: scans each photo that appears in (or changes in) the
 * folders, once it is complete, and emits its record as one NDJSON line (or hands it to --exec).
 *
 * - Watching: Node's own recursive fs.watch (inotify on Linux, one watch per folder, new
 *   subfolders included since Node 20), so no watcher dependency. A folder that appears is
 *   walked: files written into it before its watch existed are not missed.
 * - Complete: a file is read once its size and modification time are the same at two checks
 *   `settle` apart (a copy in progress keeps growing; fs.watch has no close-write event).
 * - Once: the hunt log decides. A photo whose record was delivered before (by this watch, an
 *   earlier one or a complete scan) is not reported again; on start the folders are scanned
 *   for what arrived while nothing watched, old photos are skipped without being read.
 * - Delivered means written to stdout, or --exec exited 0; a failed --exec is offered again on
 *   the next start.
 */
import { spawn } from "node:child_process";
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describeError, errnoCode, ExifhuntError, UsageError } from "./errors.js";
import { ScanLog } from "./db/scan-log.js";
import type { DeviceRegistry } from "./registry/index.js";
import { recordHead, recordJson, type ScanEvent } from "./events.js";
import { scanSources, scanStream } from "./scan.js";
import { expandInputs, fileSource } from "./sources/index.js";

/** A folder cannot be watched (or stopped being watchable): exit 2, one sentence. */
export class WatchError extends ExifhuntError {
  override name = "WatchError";
}

function watchError(folder: string, error: unknown): WatchError {
  const code = errnoCode(error);
  // inotify's limits are per user: the sentence says which knob to turn.
  const hint = code === "ENOSPC" ? " (the system's limit of inotify watches: raise fs.inotify.max_user_watches)" : code === "EMFILE" ? " (too many open files: raise the limit, ulimit -n)" : "";
  return new WatchError(`cannot watch ${folder}: ${describeError(error)}${hint}`, { cause: error });
}

export interface WatchOptions {
  db: string;
  /** How long a write waits for another run's lock. */
  busyTimeoutMs: number;
  registry: DeviceRegistry;
  exifhuntVersion: string;
  /** A shell command run once per new record, with the record (one JSON line) on its stdin. */
  exec?: string;
  /** Time between the two size checks, in milliseconds. */
  settleMs: number;
  deep: boolean;
  maxBytes?: number;
  quiet: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where SIGINT and SIGTERM come from (the process, or an emitter a test owns). */
  signals: {
    on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
    off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  };
}

interface Candidate {
  size: number;
  mtimeMs: number;
  timer: NodeJS.Timeout;
}

/** Runs `command` in a shell with `input` on its stdin; resolves to its exit code (or 128 + signal). */
function runCommand(command: string, input: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ["pipe", "inherit", "inherit"] });
    child.on("error", () => {
      resolve(127);
    });
    child.on("close", (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128));
    });
    // A command that ignores its stdin closes the pipe early: that is not an error of ours.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

export async function runWatch(folders: readonly string[], options: WatchOptions): Promise<number> {
  if (folders.length === 0) throw new UsageError("name at least one folder to watch");
  for (const folder of folders) {
    let isDirectory = false;
    try {
      isDirectory = (await stat(folder)).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) throw new UsageError(`cannot watch ${folder}: not a folder`);
  }
  const hunt = ScanLog.open(options.db, {
    command: "watch",
    inputs: folders,
    exifhuntVersion: options.exifhuntVersion,
    registry: options.registry,
    deep: options.deep,
    maxBytes: options.maxBytes,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  const controller = new AbortController();
  const scanOptions = {
    registry: options.registry,
    deep: options.deep,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    // Few files at a time: no worker threads to start.
    workers: 0,
    reuse: hunt.session.reuse,
    signal: controller.signal,
  };
  // Set from signal handlers and callbacks: an object, so that the checks below read them fresh.
  const state: { stopping: number | null; failure: Error | null } = { stopping: null, failure: null };
  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      controller.abort();
      resolve();
    };
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    state.stopping ??= signal === "SIGINT" ? 130 : 143;
    stop();
  };
  options.signals.on("SIGINT", onSignal);
  options.signals.on("SIGTERM", onSignal);

  const deliver = async (event: ScanEvent): Promise<void> => {
    if (event.type !== "record" || !hunt.isNew(recordHead(event).source)) return;
    const line = `${recordJson(event)}\n`;
    if (options.exec === undefined) {
      options.stdout.write(line);
      hunt.session.delivered(event);
      return;
    }
    const code = await runCommand(options.exec, line);
    if (code === 0) hunt.session.delivered(event);
    else options.stderr.write(`exifhunt: --exec exited with ${String(code)} for ${recordHead(event).source}; it is offered again when watch starts next\n`);
  };
  // One scan at a time, in arrival order: the log's writes and the output stay in sequence.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => AsyncIterable<ScanEvent>): void => {
    queue = queue.then(async () => {
      if (state.stopping !== null || state.failure !== null) return;
      try {
        for await (const event of hunt.tap(work())) await deliver(event);
        hunt.session.commit();
      } catch (error: unknown) {
        state.failure = error instanceof Error ? error : new Error(String(error));
        stop();
      }
    });
  };

  const candidates = new Map<string, Candidate>();
  const check = async (path: string): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch {
      candidates.delete(path); // gone again (a temporary file renamed away)
      return;
    }
    if (info.isDirectory()) {
      // A folder moved or copied in: its files may still be arriving, and those written before its
      // own watch existed raise no event. Each becomes a candidate, read once it is complete.
      candidates.delete(path);
      for await (const source of expandInputs([path])) {
        if (source.path !== undefined && !candidates.has(source.path)) void check(source.path);
      }
      return;
    }
    if (!info.isFile()) return;
    const seen = candidates.get(path);
    if (seen !== undefined && seen.size === info.size && seen.mtimeMs === info.mtimeMs && info.size > 0) {
      candidates.delete(path);
      enqueue(() => scanSources([fileSource(path, false)], scanOptions));
      return;
    }
    if (seen !== undefined) clearTimeout(seen.timer);
    candidates.set(path, { size: info.size, mtimeMs: info.mtimeMs, timer: setTimeout(() => void check(path), options.settleMs) });
  };
  // The database itself may sit in a watched folder: its own writes must not become work.
  const own = new Set(["", "-wal", "-shm", "-journal"].map((suffix) => resolve(options.db + suffix)));
  const onChange = (folder: string) => (_type: string, name: string | Buffer | null) => {
    if (name === null || state.stopping !== null) return;
    const path = join(folder, name.toString());
    if (own.has(resolve(path))) return;
    // A new event restarts the wait: the file is still being written.
    const seen = candidates.get(path);
    if (seen !== undefined) {
      clearTimeout(seen.timer);
      candidates.set(path, { ...seen, timer: setTimeout(() => void check(path), options.settleMs) });
      return;
    }
    void check(path);
  };

  const watchers: FSWatcher[] = [];
  try {
    // Watch first, then catch up: a photo arriving during the catch-up scan is not missed.
    for (const folder of folders) {
      let watcher: FSWatcher;
      try {
        watcher = watch(folder, { recursive: true }, onChange(folder));
      } catch (error: unknown) {
        throw watchError(folder, error);
      }
      watcher.on("error", (error: Error) => {
        state.failure ??= watchError(folder, error);
        stop();
      });
      watchers.push(watcher);
    }
    enqueue(() => scanStream(folders, scanOptions));
    await queue;
    if (state.failure === null && state.stopping === null && !options.quiet) {
      options.stderr.write(`exifhunt: watching ${folders.join(", ")} for new photos (Ctrl-C stops)\n`);
    }
    await stopped;
  } finally {
    for (const watcher of watchers) watcher.close();
    for (const candidate of candidates.values()) clearTimeout(candidate.timer);
    options.signals.off("SIGINT", onSignal);
    options.signals.off("SIGTERM", onSignal);
  }
  // Let a scan in progress end (it is one photo or one folder) so that its record is not half-delivered.
  await queue;
  if (state.failure !== null) {
    try {
      hunt.finish("failed");
    } catch {
      hunt.abandon();
    }
    throw state.failure;
  }
  hunt.finish("stopped");
  return state.stopping ?? 0;
}
