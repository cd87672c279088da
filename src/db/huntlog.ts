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
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { describeError, ExifhuntError } from "../errors.js";
import type { ScanRecord } from "../record.js";
import type { ScanEvent } from "../scan.js";
import type { PhotoSource } from "../sources/index.js";
import { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, type Migration } from "./schema.js";

/** A database that cannot be opened, is not ours, is too new, or stayed locked too long. */
export class DatabaseError extends ExifhuntError {
  override name = "DatabaseError";
}

/** Records per transaction: big enough that commits cost little per record, small enough to lose little. */
export const BATCH_RECORDS = 1000;
/** Longest time between two commits while records arrive (a slow scan still commits every second). */
export const BATCH_MS = 1000;
/** How long a write waits for another run's transaction before giving up (EXIFHUNT_DB_BUSY_TIMEOUT overrides, in ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** How a scan ended; `stopped`: a watch session ended by Ctrl-C, its normal end (it delivered as it went). */
export type ScanStatus = "complete" | "interrupted" | "stopped" | "failed";

export interface ScanInfo {
  command: "scan" | "watch";
  inputs: readonly string[];
  exifhuntVersion: string;
  /** What the records depend on besides the file (exifhunt version, registry contents, limits): a stored record is reused only when this is the same. */
  madeWith: string;
  registryVersion: string;
  /** Whether this scan hashes every file: a stored record without SHA-256 is then not enough. */
  deep: boolean;
}

export interface ScanTotals {
  id: number;
  records: number;
  newRecords: number;
  reused: number;
  skipped: number;
}

interface PhotoRow {
  id: number;
  size: number | null;
  mtime_ms: number | null;
  made_with: string | null;
  deep: number;
  skipped: string | null;
  record_id: number | null;
  record: string | null;
  delivered_scan_id: number | null;
}

/** What a file was when its record was made, taken before it was read. */
interface FileState {
  key: string;
  size: number;
  mtimeMs: number;
  /** Whether the log had this photo before: a photo it never had needs no look-up of its records. */
  known: boolean;
}

type Pending =
  | { kind: "seen"; recordId: number; isNew: boolean }
  | { kind: "record"; key: string; sourceKind: string; state: FileState | null; record: ScanRecord; digest: string; reusable: boolean; isNew: boolean; recordId: number | null }
  | { kind: "skipped"; key: string; state: FileState; reason: string };

/** Reused events, by event object, with their stored row. */
interface Reused {
  recordId: number | null;
  delivered: boolean;
}

/** The lock wait an environment asks for (EXIFHUNT_DB_BUSY_TIMEOUT, in ms), else the default. */
export function busyTimeoutFrom(env: Readonly<Record<string, string | undefined>>): number {
  const value = env.EXIFHUNT_DB_BUSY_TIMEOUT;
  const number = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isInteger(number) && number >= 0 ? number : DEFAULT_BUSY_TIMEOUT_MS;
}

/** Which database, and how long it waits for a lock: what an error message names. */
interface Target {
  file: string;
  busyTimeoutMs: number;
}

/** SQLite's error code from better-sqlite3's SqliteError, if it is one. */
function sqliteCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : null;
}

/** One sentence for a SQLite failure on `file`. */
function databaseError({ file, busyTimeoutMs }: Target, error: unknown): DatabaseError {
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
function guarded<T>(target: Target, work: () => T): T {
  try {
    return work();
  } catch (error: unknown) {
    if (sqliteCode(error) !== null || error instanceof DatabaseError) throw databaseError(target, error);
    throw error;
  }
}

/**
 * A record's content without where it was found: two scans of one unchanged photo give the same
 * digest, so the second one's record is the row already stored (and not new).
 */
export function recordDigest(record: ScanRecord): string {
  const content: Partial<ScanRecord> = { ...record };
  delete content.source;
  delete content.http;
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** The sighting a record belongs to: the registry device when one matched, else the camera's Make and Model. */
export function deviceKey(record: ScanRecord): string | null {
  if (record.device !== null) return `device:${record.device.vendor}/${record.device.name}`;
  const camera = record.camera;
  if (camera === null || (camera.make === null && camera.model === null)) return null;
  return `camera:${(camera.make ?? "").trim().toLowerCase()}/${(camera.model ?? "").trim()}`;
}

/** Records whose reading says something about the file itself, and so can stand for it next time. */
function reusable(record: ScanRecord): boolean {
  if (record.error === null) return true;
  return record.error.code === "not-an-image" || record.error.code === "empty-file";
}

/** Where a photo is in the log: a local file by its absolute path, anything else by its source. */
function photoKey(source: string, kind: string): string {
  return kind === "file" ? resolve(source) : source;
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
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { readonly, timeout: busyTimeoutMs });
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

/** One scan's (or watch session's) writes: reuse of unchanged files, newness, batched commits. */
export class ScanSession {
  readonly id: number;
  readonly #log: HuntLog;
  readonly #info: ScanInfo;
  readonly #db: Database.Database;
  readonly #states = new Map<string, FileState>();
  readonly #reused = new WeakMap<object, Reused>();
  readonly #pendingOf = new WeakMap<object, Pending>();
  #pending: Pending[] = [];
  #lastCommit = performance.now();
  readonly #totals: Omit<ScanTotals, "id"> = { records: 0, newRecords: 0, reused: 0, skipped: 0 };
  readonly #statements;

  constructor(log: HuntLog, info: ScanInfo) {
    this.#log = log;
    this.#info = info;
    this.#db = log.db;
    const db = log.db;
    this.#statements = {
      photo: db.prepare<[string], PhotoRow>(`
        SELECT p.id, p.size, p.mtime_ms, p.made_with, p.deep, p.skipped, p.record_id, r.record, r.delivered_scan_id
        FROM photos AS p LEFT JOIN records AS r ON r.id = p.record_id WHERE p.key = ?`),
      recordOf: db.prepare<[string, string], { id: number; delivered_scan_id: number | null }>(`
        SELECT r.id, r.delivered_scan_id FROM records AS r JOIN photos AS p ON p.id = r.photo_id WHERE p.key = ? AND r.digest = ?`),
      deliveredHash: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM records WHERE sha256 = ? AND delivered_scan_id IS NOT NULL LIMIT 1`),
      upsertPhoto: db.prepare<[string, string, number | null, number | null, string | null, number, string | null, number], { id: number }>(`
        INSERT INTO photos (key, kind, size, mtime_ms, made_with, deep, skipped, first_scan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, size = excluded.size, mtime_ms = excluded.mtime_ms,
          made_with = excluded.made_with, deep = excluded.deep, skipped = excluded.skipped
        RETURNING id`),
      insertRecord: db.prepare<unknown[], { id: number }>(`
        INSERT INTO records (photo_id, digest, scan_id, source, verdict, sha256, make, model, software, firmware, captured, device, device_key, record)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (photo_id, digest) DO UPDATE SET digest = excluded.digest
        RETURNING id`),
      setRecord: db.prepare<[number | null, number]>(`UPDATE photos SET record_id = ? WHERE id = ?`),
      seen: db.prepare<[number, number, number, number]>(`INSERT OR IGNORE INTO scan_records (scan_id, record_id, new, reused) VALUES (?, ?, ?, ?)`),
      deliver: db.prepare<[number, number]>(`UPDATE records SET delivered_scan_id = ? WHERE id = ? AND delivered_scan_id IS NULL`),
    };
    const started = db.prepare<[string, string, string, string, string], { id: number }>(`
      INSERT INTO scans (command, inputs, started_at, exifhunt_version, registry_version) VALUES (?, ?, ?, ?, ?) RETURNING id`);
    const row = started.get(info.command, JSON.stringify(info.inputs), new Date().toISOString(), info.exifhuntVersion, info.registryVersion);
    if (row === undefined) throw new DatabaseError(`database ${log.file}: the scan could not be recorded`);
    this.id = row.id;
  }

  /**
   * The scan's reuse hook (ScanOptions.reuse): for a local file whose path, size and modification
   * time are those stored, with a record made the same way, the stored record (or skip) without
   * reading the file. Costs one stat and one indexed lookup.
   */
  readonly reuse = (source: PhotoSource): ScanEvent | null => {
    if (source.path === undefined || source.kind !== "file") return null;
    let size: number;
    let mtimeMs: number;
    try {
      const stat = statSync(source.path);
      if (!stat.isFile()) return null;
      size = stat.size;
      mtimeMs = stat.mtimeMs;
    } catch {
      return null; // open() reports it in the record
    }
    const key = photoKey(source.path, source.kind);
    const row = guarded(this.#log, () => this.#statements.photo.get(key));
    this.#states.set(source.id, { key, size, mtimeMs, known: row !== undefined });
    if (row?.size !== size || row.mtime_ms !== mtimeMs || row.made_with !== this.#info.madeWith || (this.#info.deep && row.deep === 0)) return null;
    let event: ScanEvent;
    if (row.skipped !== null) {
      // A file named on the command line gets a record whatever it is: read it again.
      if (source.explicit) return null;
      event = { type: "skipped", source: source.id, reason: row.skipped };
    } else {
      if (row.record === null) return null;
      const record = JSON.parse(row.record) as ScanRecord;
      record.source = source.id;
      event = { type: "record", record };
    }
    this.#reused.set(event, { recordId: row.record_id, delivered: row.delivered_scan_id !== null });
    return event;
  };

  /**
   * Takes one event of the scan into the log (written with the next batch) and says whether its
   * record is new: neither this record of this photo nor a photo with the same SHA-256 was
   * delivered before. Skipped files are never new.
   */
  note(event: ScanEvent): boolean {
    return guarded(this.#log, () => this.#note(event));
  }

  #note(event: ScanEvent): boolean {
    const reused = this.#reused.get(event);
    if (event.type === "skipped") {
      this.#totals.skipped++;
      const state = this.#states.get(event.source);
      this.#states.delete(event.source);
      if (reused === undefined && state !== undefined) this.#queue(event, { kind: "skipped", key: state.key, state, reason: event.reason });
      return false;
    }
    const record = event.record;
    this.#totals.records++;
    const state = this.#states.get(record.source) ?? null;
    this.#states.delete(record.source);
    let isNew: boolean;
    if (reused !== undefined && reused.recordId !== null) {
      this.#totals.reused++;
      isNew = !reused.delivered && !this.#hashDelivered(record);
      this.#queue(event, { kind: "seen", recordId: reused.recordId, isNew });
    } else {
      const key = state?.key ?? photoKey(record.source, record.kind);
      const digest = recordDigest(record);
      const stored = state?.known === false ? undefined : this.#statements.recordOf.get(key, digest);
      isNew = (stored === undefined || stored.delivered_scan_id === null) && !this.#hashDelivered(record);
      this.#queue(event, { kind: "record", key, sourceKind: record.kind, state, record, digest, reusable: reusable(record) && state !== null, isNew, recordId: null });
    }
    if (isNew) this.#totals.newRecords++;
    return isNew;
  }

  #hashDelivered(record: ScanRecord): boolean {
    return record.sha256 !== null && this.#statements.deliveredHash.get(record.sha256) !== undefined;
  }

  #queue(event: ScanEvent, pending: Pending): void {
    this.#pending.push(pending);
    this.#pendingOf.set(event, pending);
    if (this.#pending.length >= BATCH_RECORDS || performance.now() - this.#lastCommit >= BATCH_MS) this.commit();
  }

  /** Commits the open batch in one transaction. */
  commit(): void {
    guarded(this.#log, () => {
      const batch = this.#pending;
      this.#pending = [];
      this.#lastCommit = performance.now();
      if (batch.length > 0) this.#db.transaction(() => {
        for (const item of batch) this.#write(item);
      }).immediate();
    });
  }

  #write(item: Pending): void {
    const s = this.#statements;
    if (item.kind === "seen") {
      s.seen.run(this.id, item.recordId, item.isNew ? 1 : 0, 1);
      return;
    }
    if (item.kind === "skipped") {
      const photo = s.upsertPhoto.get(item.key, "file", item.state.size, item.state.mtimeMs, this.#info.madeWith, this.#info.deep ? 1 : 0, item.reason, this.id);
      if (photo !== undefined) s.setRecord.run(null, photo.id);
      return;
    }
    const { record, state } = item;
    const photo = s.upsertPhoto.get(
      item.key,
      item.sourceKind,
      state?.size ?? record.bytes,
      state?.mtimeMs ?? null,
      item.reusable ? this.#info.madeWith : null,
      this.#info.deep ? 1 : 0,
      null,
      this.id,
    );
    if (photo === undefined) throw new DatabaseError(`database ${this.#log.file}: a photo could not be recorded`);
    const camera = record.camera;
    const row = s.insertRecord.get(
      photo.id,
      item.digest,
      this.id,
      record.source,
      record.verdict,
      record.sha256,
      camera?.make ?? null,
      camera?.model ?? null,
      camera?.software ?? null,
      camera?.firmware?.build ?? null,
      camera?.captured ?? null,
      record.device?.name ?? null,
      deviceKey(record),
      JSON.stringify(record),
    );
    if (row === undefined) throw new DatabaseError(`database ${this.#log.file}: a record could not be recorded`);
    item.recordId = row.id;
    s.setRecord.run(row.id, photo.id);
    s.seen.run(this.id, row.id, item.isNew ? 1 : 0, 0);
  }

  /**
   * Marks an event's record as delivered now (watch mode: written out, or its --exec succeeded),
   * committing first so that it has a row.
   */
  delivered(event: ScanEvent): void {
    const pending = this.#pendingOf.get(event);
    if (pending === undefined || pending.kind === "skipped") return;
    this.commit();
    const recordId = pending.recordId;
    if (recordId !== null) guarded(this.#log, () => this.#statements.deliver.run(this.id, recordId));
  }

  /**
   * Ends the scan: commits what is open and its totals. A complete scan delivers its records
   * (--new-only will not show them again); an interrupted or failed one leaves them undelivered.
   */
  finish(status: ScanStatus): ScanTotals {
    this.commit();
    guarded(this.#log, () => {
      this.#db.transaction(() => {
        this.#db
          .prepare(`UPDATE scans SET finished_at = ?, status = ?, records = ?, new_records = ?, reused = ?, skipped = ? WHERE id = ?`)
          .run(new Date().toISOString(), status, this.#totals.records, this.#totals.newRecords, this.#totals.reused, this.#totals.skipped, this.id);
        if (status === "complete") {
          this.#db
            .prepare(`UPDATE records SET delivered_scan_id = ? WHERE delivered_scan_id IS NULL AND id IN (SELECT record_id FROM scan_records WHERE scan_id = ?)`)
            .run(this.id, this.id);
        }
      }).immediate();
    });
    return { id: this.id, ...this.#totals };
  }
}
