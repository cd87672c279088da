/**
 * One scan's (or watch session's) writes to the hunt log: reuse of unchanged files, newness,
 * batched commits (db/huntlog.ts says why each is as it is).
 */
import { statSync } from "node:fs";
import type Database from "better-sqlite3";
import { recordJson, type ScanEvent } from "../events.js";
import type { ScanRecord } from "../record.js";
import type { PhotoSource } from "../sources/index.js";
import { DatabaseError, guarded, type Target } from "./errors.js";
import { deviceKey, photoKey, reusable } from "./records.js";

/** Records per transaction: big enough that commits cost little per record, small enough to lose little. */
export const BATCH_RECORDS = 1000;
/** Longest time between two commits while records arrive (a slow scan still commits every second). */
export const BATCH_MS = 1000;

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
  record_source: string | null;
  delivered_scan_id: number | null;
}

/** What a file was when its record was made, taken before it was read. */
interface FileState {
  key: string;
  size: number;
  mtimeMs: number;
  /** The photo's current record in the log, if it has one: a record read again is compared with it. */
  current: Current | null;
}

/** A photo's current record as stored. */
interface Current {
  id: number;
  json: string;
  source: string;
  delivered: boolean;
}

/**
 * Whether a record just made says what the stored one says, wherever each was found: a file
 * touched but unchanged, a URL fetched again (its chain of custody differs: not compared).
 */
function sameContent(record: ScanRecord, json: string, current: Current): boolean {
  if (current.source === record.source && record.http === null) return json === current.json;
  const stored = JSON.parse(current.json) as ScanRecord;
  stored.source = record.source;
  stored.http = record.http ?? null;
  return JSON.stringify(stored) === json;
}

type Pending =
  | { kind: "seen"; recordId: number; isNew: boolean }
  | { kind: "record"; key: string; sourceKind: string; state: FileState | null; record: ScanRecord; json: string; reusable: boolean; isNew: boolean; recordId: number | null }
  | { kind: "refresh"; key: string; state: FileState | null; bytes: number | null; reusable: boolean; isNew: boolean; recordId: number }
  | { kind: "skipped"; key: string; state: FileState; reason: string };

function currentOf(row: PhotoRow | undefined): Current | null {
  if (row?.record_id == null || row.record === null || row.record_source === null) return null;
  return { id: row.record_id, json: row.record, source: row.record_source, delivered: row.delivered_scan_id !== null };
}

/** Reused events, by event object, with their stored row. */
interface Reused {
  recordId: number | null;
  delivered: boolean;
}

/** The open database a session writes to. */
export interface Connection extends Target {
  readonly db: Database.Database;
}

/** One scan's (or watch session's) writes: reuse of unchanged files, newness, batched commits. */
export class ScanSession {
  readonly id: number;
  readonly #log: Connection;
  readonly #info: ScanInfo;
  readonly #db: Database.Database;
  readonly #states = new Map<string, FileState>();
  readonly #reused = new WeakMap<object, Reused>();
  readonly #pendingOf = new WeakMap<object, Pending>();
  #pending: Pending[] = [];
  #lastCommit = performance.now();
  readonly #totals: Omit<ScanTotals, "id"> = { records: 0, newRecords: 0, reused: 0, skipped: 0 };
  readonly #statements;

  constructor(log: Connection, info: ScanInfo) {
    this.#log = log;
    this.#info = info;
    this.#db = log.db;
    const db = log.db;
    this.#statements = {
      photo: db.prepare<[string], PhotoRow>(`
        SELECT p.id, p.size, p.mtime_ms, p.made_with, p.deep, p.skipped, p.record_id, r.record, r.source AS record_source, r.delivered_scan_id
        FROM photos AS p LEFT JOIN records AS r ON r.id = p.record_id WHERE p.key = ?`),
      deliveredHash: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM records WHERE sha256 = ? AND delivered_scan_id IS NOT NULL LIMIT 1`),
      upsertPhoto: db.prepare<[string, string, number | null, number | null, string | null, number, string | null, number], { id: number }>(`
        INSERT INTO photos (key, kind, size, mtime_ms, made_with, deep, skipped, first_scan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, size = excluded.size, mtime_ms = excluded.mtime_ms,
          made_with = excluded.made_with, deep = excluded.deep, skipped = excluded.skipped
        RETURNING id`),
      insertRecord: db.prepare<unknown[], { id: number }>(`
        INSERT INTO records (photo_id, scan_id, source, verdict, sha256, make, model, software, firmware, captured, device, device_key, record)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING id`),
      refreshPhoto: db.prepare<[number | null, number | null, string | null, number, string]>(`
        UPDATE photos SET size = ?, mtime_ms = ?, made_with = ?, deep = ? WHERE key = ?`),
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
    this.#states.set(source.id, { key, size, mtimeMs, current: currentOf(row) });
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
      // Local files were looked up by reuse(); URLs and other sources are looked up now.
      const current = state === null ? currentOf(this.#statements.photo.get(key)) : state.current;
      const json = recordJson(event);
      const same = current !== null && sameContent(record, json, current);
      isNew = !(same && current.delivered) && !this.#hashDelivered(record);
      const canReuse = reusable(record) && state !== null;
      if (same) this.#queue(event, { kind: "refresh", key, state, bytes: record.bytes, reusable: canReuse, isNew, recordId: current.id });
      else this.#queue(event, { kind: "record", key, sourceKind: record.kind, state, record, json, reusable: canReuse, isNew, recordId: null });
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
    if (item.kind === "refresh") {
      // Read again, same result: the photo's row learns its new size and time, the record stays.
      s.refreshPhoto.run(item.state?.size ?? item.bytes, item.state?.mtimeMs ?? null, item.reusable ? this.#info.madeWith : null, this.#info.deep ? 1 : 0, item.key);
      s.seen.run(this.id, item.recordId, item.isNew ? 1 : 0, 0);
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
      item.json,
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
