/**
 * Fatal errors: bad options, bad registries. Per-photo problems are never thrown to the caller:
 * they become a record's `error` (see record.ts).
 */

export class ExifhuntError extends Error {
  override name = "ExifhuntError";
}

/** The command line or the options passed to the library are wrong; the message says what to fix. */
export class UsageError extends ExifhuntError {
  override name = "UsageError";
}

export interface RegistryProblem {
  /** The registry file, or "bundled:<name>". */
  file: string;
  /** Dotted path of the field, e.g. `devices.3.announced`; empty for the whole file. */
  path: string;
  message: string;
}

/** One or more registry files are unreadable or invalid. Lists every problem, not just the first. */
export class RegistryError extends ExifhuntError {
  override name = "RegistryError";
  readonly problems: readonly RegistryProblem[];

  constructor(problems: readonly RegistryProblem[], options?: ErrorOptions) {
    super(
      problems
        .map((p) => `${p.file}: ${p.path === "" ? "" : `${p.path}: `}${p.message}`)
        .join("\n"),
      options,
    );
    this.problems = problems;
  }
}

/**
 * Work stopped because its AbortSignal aborted (Ctrl-C, SIGTERM, a caller giving up): the report
 * step throws it rather than finish a report of a scan the user stopped. `cause` is the signal's reason.
 */
export class AbortedError extends ExifhuntError {
  override name = "AbortedError";
}

/** Throws AbortedError when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortedError("stopped before it finished", { cause: signal.reason });
}

/** A message for any thrown value, for records and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The `code` of a system error (`ENOENT`, `ECONNREFUSED` …) or of any thrown value that carries a
 * string code; undefined for anything else. For catch blocks, which hold `unknown`.
 */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}
