/**
 * Running the CLI for tests and scripts alike. Kept apart from test/helpers.ts, which registers
 * node:test hooks that a script must not pull in.
 *
 * `runCli` runs `main(argv, io)` in this process with streams of its own: the same code the
 * binary runs, without a Node start per call. `spawnCli` runs the built binary for what only a
 * real process shows: signals, the binary's exit code, the shebang, stdin pipes, the working folder.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = fileURLToPath(new URL("../../dist/bin/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The working folder; runCli spawns the binary for this (process.chdir would touch every test). */
  cwd?: string;
  /** Standard input, all of it. */
  input?: string | Buffer;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

export interface InProcessOptions extends CliOptions {
  /** Pretend stdout and stderr are a terminal this wide (`true`: 80 columns). */
  tty?: boolean | number;
  /** Called once the command has started, with an emitter that delivers signals to it alone. */
  onStart?: (signals: EventEmitter, output: { stdout: () => string; stderr: () => string }) => void;
}

function capture(tty: boolean | number | undefined): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean; columns?: number } = new PassThrough();
  if (tty !== undefined && tty !== false) {
    stream.isTTY = true;
    stream.columns = tty === true ? 80 : tty;
  }
  let text = "";
  stream.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return { stream, text: () => text };
}

/** Runs the CLI in-process (spawns it when `cwd` is given) and collects its output. */
export async function runCli(args: readonly string[], options: InProcessOptions = {}): Promise<CliResult> {
  if (options.cwd !== undefined) return spawnCli(args, options);
  const stdout = capture(options.tty);
  const stderr = capture(options.tty);
  const stdin = new PassThrough();
  stdin.end(options.input ?? "");
  const signals = new EventEmitter();
  const io: CliIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    env: { ...process.env, ...options.env },
    cwd: process.cwd(),
    signals,
  };
  const running = main(args, io);
  options.onStart?.(signals, { stdout: stdout.text, stderr: stderr.text });
  const code = await running;
  stdout.stream.end();
  stderr.stream.end();
  // The 'data' handlers run before 'end': wait for both streams to drain into the strings.
  await Promise.all([new Promise((resolve) => stdout.stream.once("end", resolve)), new Promise((resolve) => stderr.stream.once("end", resolve))]);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `node dist/bin/cli.js …` (npm test builds first) and collects its output. */
export function spawnCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
