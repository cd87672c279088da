/**
 * The hunt log's schema, versioned with SQLite's own `PRAGMA user_version` and migrated forward
 * step by step when an older file is opened (docs/database.md describes every table for users of
 * the `sqlite3` shell and Datasette). A migration is only ever appended: a file made by version N
 * is brought to the latest by running migrations N+1 … in one transaction.
 */

/** `PRAGMA application_id` of an exifhunt database ("EXHL"): tells our files from other SQLite files. */
export const APPLICATION_ID = 0x4558484c;

export interface Migration {
  /** The user_version the file has once this migration ran. */
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL CHECK (command IN ('scan', 'watch')),
  inputs TEXT NOT NULL CHECK (json_valid(inputs)),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete', 'interrupted', 'stopped', 'failed')),
  exifhunt_version TEXT NOT NULL,
  registry_version TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0,
  new_records INTEGER NOT NULL DEFAULT 0,
  reused INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE photos (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  size INTEGER,
  mtime_ms INTEGER,
  made_with TEXT,
  deep INTEGER NOT NULL DEFAULT 0,
  record_id INTEGER REFERENCES records(id),
  skipped TEXT,
  first_scan_id INTEGER NOT NULL REFERENCES scans(id)
);

CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  photo_id INTEGER NOT NULL REFERENCES photos(id),
  scan_id INTEGER NOT NULL REFERENCES scans(id),
  delivered_scan_id INTEGER REFERENCES scans(id),
  source TEXT NOT NULL,
  verdict TEXT NOT NULL,
  sha256 TEXT,
  make TEXT,
  model TEXT,
  software TEXT,
  firmware TEXT,
  captured TEXT,
  device TEXT,
  device_key TEXT,
  record TEXT NOT NULL CHECK (json_valid(record))
);
CREATE INDEX records_sha256 ON records (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX records_device_key ON records (device_key);

CREATE TABLE scan_records (
  scan_id INTEGER NOT NULL REFERENCES scans(id),
  record_id INTEGER NOT NULL REFERENCES records(id),
  new INTEGER NOT NULL,
  reused INTEGER NOT NULL,
  PRIMARY KEY (scan_id, record_id)
) WITHOUT ROWID;

CREATE VIEW current_records AS
  SELECT photos.key, photos.first_scan_id, records.*
  FROM photos JOIN records ON records.id = photos.record_id;
`,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
