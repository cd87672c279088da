/**
 * The hunt log: a SQLite file (better-sqlite3) that remembers every scan, every record and when
 * each photo was first seen, so that a rescan skips files it has read before and `--new-only`
 * reports only what no earlier scan delivered. docs/database.md is the user's side of it.
 *
 * Durability: WAL journal, writes batched into transactions (at most BATCH_RECORDS records or
 * BATCH_MS apart). A killed run loses at most its open batch, never the file; what a committed
 * batch holds stays. Two runs on one file take turns for the write lock (busy_timeout); one that
 * waits longer than that stops with a DatabaseError.
 *
 * "Delivered" is what --new-only compares against: a record counts as reported once a scan that
 * output it completed (a killed or interrupted scan's output may never have reached anyone, so its
 * records are reported again next time: at least once, never lost), or, in watch mode, as soon as
 * it was written out or its --exec command succeeded.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import { DatabaseError, databaseError, DEFAULT_BUSY_TIMEOUT_MS, guarded, type Target } from "./errors.js";
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, type Migration } from "./schema.js";
import { ScanSession, type ScanInfo } from "./session.js";

const requireHere = createRequire(import.meta.url);

/**
 * better-sqlite3, loaded with the first database opened. It is a native module: a program that
 * imports the library to scan does not pay for loading it, and does not fail to start where it
 * could not be built (the error then comes from HuntLog.open, as a DatabaseError).
 */
let loaded: typeof Database | undefined;
function sqlite(): typeof Database {
  if (loaded !== undefined) return loaded;
  try {
    const module = requireHere("better-sqlite3") as typeof Database;
    // The package loads its native part with the first database: an empty one in memory tells a
    // module that cannot load apart from a file that cannot be opened.
    new module(":memory:").close();
    loaded = module;
    return module;
  } catch (error: unknown) {
    // Its first line: the bindings package goes on to list every path it tried.
    const reason = ((error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "").replace(/[\s:.]+$/, "");
    throw new DatabaseError(`the hunt log needs SQLite (the native module of the better-sqlite3 package), which could not be loaded (${reason}); \`npm rebuild better-sqlite3\` builds it, with python3, make and a C++ compiler`, { cause: error });
  }
}

/**
 * Brings a database to the last of `migrations`, running those above its user_version in order,
 * all in one transaction: a failure leaves the file at the version it had. IMMEDIATE: two runs
 * creating one new file at once do it one after the other (the second finds it done).
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.transaction(() => {
    const current = db.pragma("user_version", { simple: true }) as number;
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${String(migration.version)}`);
    }
    db.pragma(`application_id = ${String(APPLICATION_ID)}`);
  }).immediate();
}

export class HuntLog implements Target {
  readonly file: string;
  readonly db: Database.Database;
  readonly busyTimeoutMs: number;

  private constructor(file: string, db: Database.Database, busyTimeoutMs: number) {
    this.file = file;
    this.db = db;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * Opens (creating it when absent) and migrates the database. Refuses a SQLite file that is not
   * ours and one made by a newer exifhunt, rather than changing either.
   */
  static open(file: string, options: { readonly?: boolean; busyTimeoutMs?: number } = {}): HuntLog {
    const readonly = options.readonly ?? false;
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (readonly && !existsSync(file)) throw new DatabaseError(`no database at ${file}: make one with exifhunt scan … --db ${file}`);
    const Sqlite = sqlite();
    let db: Database.Database | undefined;
    try {
      db = new Sqlite(file, { readonly, timeout: busyTimeoutMs });
      const log = new HuntLog(file, db, busyTimeoutMs);
      guarded(log, () => {
        log.#prepare(readonly);
      });
      return log;
    } catch (error: unknown) {
      db?.close();
      throw databaseError({ file, busyTimeoutMs }, error);
    }
  }

  #prepare(readonly: boolean): void {
    const db = this.db;
    const version = db.pragma("user_version", { simple: true }) as number;
    const application = db.pragma("application_id", { simple: true }) as number;
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n;
    if (application !== APPLICATION_ID && (tables > 0 || version !== 0)) {
      throw new DatabaseError(`${this.file} is a SQLite database of another program, not an exifhunt database; name a new file`);
    }
    if (version > LATEST_VERSION) {
      throw new DatabaseError(`${this.file} was made by a newer exifhunt (database version ${String(version)}; this one knows up to ${String(LATEST_VERSION)}); upgrade exifhunt to use it`);
    }
    if (readonly) {
      if (version < LATEST_VERSION) throw new DatabaseError(`${this.file} is from an older exifhunt; run a scan with --db on it once to bring it up to date`);
      return;
    }
    // WAL: readers never block the writer, and a killed writer leaves the last commit intact.
    db.pragma("journal_mode = WAL");
    // NORMAL under WAL is still crash-safe for the file; it only lets the last commits of a power
    // cut go, never a killed process's.
    db.pragma("synchronous = NORMAL");
    // A large page cache and fewer checkpoints: a 100,000-photo scan writes some 150 MB of pages.
    db.pragma("cache_size = -65536");
    db.pragma("wal_autocheckpoint = 10000");
    if (version < LATEST_VERSION) migrate(db, MIGRATIONS);
  }

  /** Starts a scan: its row is committed at once, so even a scan killed in its first second is in the log. */
  beginScan(info: ScanInfo): ScanSession {
    return guarded(this, () => new ScanSession(this, info));
  }

  close(): void {
    this.db.close();
  }
}
