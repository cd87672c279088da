/**
 * The hunt log's fatal errors: one sentence naming the database and what to do, with SQLite's
 * error as the cause.
 */
import { describeError, ExifhuntError } from "../errors.js";

/** A database that cannot be opened, is not ours, is too new, or stayed locked too long. */
export class DatabaseError extends ExifhuntError {
  override name = "DatabaseError";
}

/** How long a write waits for another run's transaction before giving up (EXIFHUNT_DB_BUSY_TIMEOUT overrides, in ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** The lock wait an environment asks for (EXIFHUNT_DB_BUSY_TIMEOUT, in ms), else the default. */
export function busyTimeoutFrom(env: Readonly<Record<string, string | undefined>>): number {
  const value = env.EXIFHUNT_DB_BUSY_TIMEOUT;
  const number = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isInteger(number) && number >= 0 ? number : DEFAULT_BUSY_TIMEOUT_MS;
}

/** Which database, and how long it waits for a lock: what an error message names. */
export interface Target {
  file: string;
  busyTimeoutMs: number;
}

/** SQLite's error code from better-sqlite3's SqliteError, if it is one. */
function sqliteCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : null;
}

/** One sentence for a SQLite failure on `file`. */
export function databaseError({ file, busyTimeoutMs }: Target, error: unknown): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const code = sqliteCode(error) ?? "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new DatabaseError(`the database ${file} is busy: another exifhunt run kept it locked for more than ${String(busyTimeoutMs / 1000)} s; try again when that run is done`, { cause: error });
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new DatabaseError(`${file} is not an exifhunt database (not a SQLite file, or a damaged one)`, { cause: error });
  }
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_IOERR") || code === "SQLITE_FULL") {
    return new DatabaseError(`cannot write the database ${file}: ${describeError(error)}`, { cause: error });
  }
  return new DatabaseError(`database ${file}: ${describeError(error)}`, { cause: error });
}

/** Runs `work`, turning any SQLite failure into one clear DatabaseError. */
export function guarded<T>(target: Target, work: () => T): T {
  try {
    return work();
  } catch (error: unknown) {
    if (sqliteCode(error) !== null || error instanceof DatabaseError) throw databaseError(target, error);
    throw error;
  }
}
