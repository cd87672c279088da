/**
 * Everything the command line touches of its process, passed in: tests run `main(argv, io)` in
 * the test's own process with streams of their own, and the real binary passes `processIo()`.
 * Nothing under src/cli/ reads `process.stdout`, `process.env` or `process.exitCode` directly.
 */
import type { Readable, Writable } from "node:stream";

/** An output stream, and what the CLI asks of it when it is a terminal. */
export type CliStream = Writable & { readonly isTTY?: boolean; readonly columns?: number };

/** Where SIGINT and SIGTERM come from: the process, or an emitter a test owns. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly stdin: Readable;
  readonly env: NodeJS.ProcessEnv;
  /** The working directory, where a `.exifhuntrc.json` would be found (config.ts). */
  readonly cwd: string;
  readonly signals: SignalSource;
  /** The command line `main` was given (after the program's name), for a report's provenance. */
  readonly argv?: readonly string[];
}

/** The real process's streams, environment and signals. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signals: process };
}

/** The io plus where a command leaves its exit code (commander's actions return nothing). */
export interface CliContext {
  readonly io: CliIo;
  exitCode: number;
}

/** Writes to stderr; a closed stderr is not worth a crash. */
export function warn(io: CliIo, text: string): void {
  io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}
