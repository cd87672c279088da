/**
 * The hunt log (--db, --new-only) on real SQLite files in temp folders, through the real CLI,
 * read back with better-sqlite3 and with the sqlite3 shell.
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, link, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { CLI, FIXTURES, parseNdjson, runCli, tempDir } from "./helpers.js";
import { LATEST_VERSION, MIGRATIONS, migrate } from "../src/db/index.js";

import type { ScanRecord } from "../src/record.js";

const SQLITE3 = "/usr/bin/sqlite3";
const sqliteSkip: string | false = existsSync(SQLITE3) ? false : "the sqlite3 shell is not installed";

const LEAK = "sony-d5503-prelaunch.jpg";
const KNOWN = "sony-d6503-released.jpg";
const UNKNOWN_MODEL = "sony-d6999-unknown-model.jpg";
const UNKNOWN_FIRMWARE = "sony-d6503-unknown-firmware.jpg";

interface Stats {
  records: number;
  bytesRead: number;
  db: { scan: number; records: number; new: number; notReadAgain: number };
}

/** The --stats line the scan printed on stderr. */
function statsOf(stderr: string): Stats {
  const line = stderr.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line !== undefined, `no --stats line in: ${stderr}`);
  return JSON.parse(line) as Stats;
}

function names(stdout: string): string[] {
  return parseNdjson<ScanRecord>(stdout).map((r) => r.source.split("/").at(-1) ?? "").sort();
}

async function folderWith(...files: string[]): Promise<{ dir: string; photos: string; db: string }> {
  const dir = await tempDir("exifhunt-db-");
  const photos = join(dir, "photos");
  await mkdir(photos);
  for (const file of files) await copyFile(join(FIXTURES, file), join(photos, file));
  return { dir, photos, db: join(dir, "hunt.db") };
}

function scanDb(photos: string, db: string, ...extra: string[]): ReturnType<typeof runCli> {
  return runCli(["scan", photos, "--db", db, "-f", "ndjson", "--stats", ...extra]);
}

const sqlite3 = (db: string, sql: string): Promise<string> =>
  promisify(execFile)(SQLITE3, [db, sql]).then((r) => r.stdout.trim());

describe("scan --db --new-only", () => {
  it("a second scan of a growing folder outputs only the added photos, and a third nothing; unchanged files are not read again", async () => {
    const { photos, db } = await folderWith(LEAK, KNOWN, "notes.txt");
    const first = await scanDb(photos, db, "--new-only");
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(names(first.stdout), [LEAK, KNOWN]);

    await copyFile(join(FIXTURES, UNKNOWN_MODEL), join(photos, UNKNOWN_MODEL));
    await mkdir(join(photos, "later"));
    await copyFile(join(FIXTURES, UNKNOWN_FIRMWARE), join(photos, "later", UNKNOWN_FIRMWARE));
    const second = await scanDb(photos, db, "--new-only");
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(names(second.stdout), [UNKNOWN_FIRMWARE, UNKNOWN_MODEL].sort());
    const secondStats = statsOf(second.stderr);
    assert.deepEqual(secondStats.db, { scan: 2, records: 4, new: 2, notReadAgain: 2 });

    const third = await scanDb(photos, db, "--new-only");
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stdout, "");
    const thirdStats = statsOf(third.stderr);
    // Stat only: not one byte of any photo (nor of notes.txt, skipped before) was read.
    assert.equal(thirdStats.bytesRead, 0);
    assert.deepEqual(thirdStats.db, { scan: 3, records: 4, new: 0, notReadAgain: 4 });

    // Without --new-only the same database gives every record, the stored ones as they were read.
    const all = await scanDb(photos, db);
    assert.deepEqual(names(all.stdout), [LEAK, KNOWN, UNKNOWN_FIRMWARE, UNKNOWN_MODEL].sort());
    const plain = await runCli(["scan", photos, "-f", "ndjson"]);
    const byName = (text: string) => new Map(parseNdjson<ScanRecord>(text).map((r) => [r.source, r]));
    assert.deepEqual(byName(all.stdout), byName(plain.stdout));

    // Sorted formats (which add the scan-wide checks) filter the same way.
    await copyFile(join(FIXTURES, "stripped.jpg"), join(photos, "stripped.jpg"));
    const json = await runCli(["scan", photos, "--db", db, "--new-only", "-f", "json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual((JSON.parse(json.stdout) as ScanRecord[]).map((r) => r.source.split("/").at(-1)), ["stripped.jpg"]);
  });

  it("--fail-on fires on new leaks only: once per new find", async () => {
    const { photos, db } = await folderWith(LEAK, KNOWN);
    assert.equal((await scanDb(photos, db, "--new-only", "--fail-on", "leak")).code, 1);
    assert.equal((await scanDb(photos, db, "--new-only", "--fail-on", "leak")).code, 0);
    await copyFile(join(FIXTURES, KNOWN), join(photos, "another-known.jpg"));
    assert.equal((await scanDb(photos, db, "--new-only", "--fail-on", "leak")).code, 0);
    await copyFile(join(FIXTURES, UNKNOWN_MODEL), join(photos, UNKNOWN_MODEL));
    const found = await scanDb(photos, db, "--new-only", "--fail-on", "leak");
    assert.equal(found.code, 1);
    assert.deepEqual(names(found.stdout), [UNKNOWN_MODEL]);
  });

  it("a copy of a reported leak under another name is not new (same SHA-256); a photo replaced in place is", async () => {
    const { photos, db } = await folderWith(LEAK, KNOWN);
    await scanDb(photos, db, "--new-only");
    await copyFile(join(FIXTURES, LEAK), join(photos, "renamed-copy.jpg"));
    const copy = await scanDb(photos, db, "--new-only", "--fail-on", "leak");
    assert.equal(copy.code, 0, copy.stderr);
    assert.equal(copy.stdout, "");
    // Same path, other content (and a later mtime): read again, and new.
    await copyFile(join(FIXTURES, UNKNOWN_MODEL), join(photos, KNOWN));
    const future = new Date(Date.now() + 60_000);
    await utimes(join(photos, KNOWN), future, future);
    const replaced = await scanDb(photos, db, "--new-only");
    assert.deepEqual(names(replaced.stdout), [KNOWN]);
    assert.equal(parseNdjson<ScanRecord>(replaced.stdout)[0]?.camera?.model, "D6999");
  });

  it("a touched but unchanged photo is read again and not reported again", async () => {
    const { photos, db } = await folderWith(LEAK);
    await scanDb(photos, db, "--new-only");
    const later = new Date(Date.now() + 120_000);
    await utimes(join(photos, LEAK), later, later);
    const touched = await scanDb(photos, db, "--new-only");
    assert.equal(touched.stdout, "");
    assert.equal(statsOf(touched.stderr).db.notReadAgain, 0);
  });

  it("a different registry makes stored records stale: the files are read again", async () => {
    const { dir, photos, db } = await folderWith(UNKNOWN_MODEL);
    const first = await scanDb(photos, db);
    assert.equal(parseNdjson<ScanRecord>(first.stdout)[0]?.verdict, "leak");
    // The model is announced since: a user registry file lists it.
    const registry = join(dir, "announced.json");
    await writeFile(registry, JSON.stringify({ vendor: "Sony", devices: [{ name: "Xperia Test", models: ["D6999"], announced: "2014-01-01", released: "2014-01-02" }] }));
    const again = await scanDb(photos, db, "--registry", registry);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(statsOf(again.stderr).db.notReadAgain, 0);
    assert.equal(parseNdjson<ScanRecord>(again.stdout)[0]?.device?.name, "Xperia Test");
  });

  it("a named input that cannot be read makes exit 3 every night, though its error record is not new", async () => {
    const { dir, photos, db } = await folderWith(KNOWN);
    const missing = join(dir, "typo-folder");
    for (let night = 0; night < 2; night++) {
      const result = await scanDb(photos, db, missing, "--new-only", "--fail-on", "leak");
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /typo-folder/);
    }
  });

  it("--new-only without --db is a usage error", async () => {
    const result = await runCli(["scan", FIXTURES, "--new-only", "-f", "ndjson"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^exifhunt: --new-only .* --db FILE\n$/);
  });
});

describe("sightings --db", () => {
  it("lists sightings across scans: copies merged, first capture, the scan that first saw each", async () => {
    const { photos, db } = await folderWith(LEAK, KNOWN);
    await scanDb(photos, db);
    await copyFile(join(FIXTURES, LEAK), join(photos, "copy-of-leak.jpg"));
    await copyFile(join(FIXTURES, UNKNOWN_MODEL), join(photos, UNKNOWN_MODEL));
    await scanDb(photos, db);
    const json = await runCli(["sightings", "--db", db, "-f", "json"]);
    assert.equal(json.code, 0, json.stderr);
    type Out = { name: string; worst: string; photos: number; copies: number; firstCapture: { captured: string } | null; builds: { value: string }[]; photoList: { sources: string[] }[]; huntLog: { firstScan: number; scans: number; firstSeen: string } | null };
    const sightings = (JSON.parse(json.stdout) as { sightings: Out[] }).sightings;
    const byName = new Map(sightings.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ["D6999", "Xperia Z1 Compact", "Xperia Z2"]);
    const row = (name: string) => {
      const s = byName.get(name);
      return [s?.worst, s?.photos, s?.copies, s?.huntLog?.firstScan, s?.huntLog?.scans];
    };
    // Copies merged (one photo, two places), the scan that first saw each, how many scans met it.
    assert.deepEqual(row("Xperia Z1 Compact"), ["leak", 1, 2, 1, 2]);
    assert.deepEqual(row("D6999"), ["leak", 1, 1, 2, 1]);
    assert.deepEqual(row("Xperia Z2"), ["known", 1, 1, 1, 2]);
    const z1 = byName.get("Xperia Z1 Compact");
    assert.equal(z1?.firstCapture?.captured, "2013-10-22T14:05:11");
    assert.deepEqual(z1.builds.map((b) => b.value), ["14.2.A.0.204"]);
    assert.deepEqual(z1.photoList[0]?.sources.map((s) => s.split("/").at(-1)), ["copy-of-leak.jpg", LEAK]);
    assert.match(z1.huntLog?.firstSeen ?? "", /^\d{4}-\d\d-\d\dT/);
    const table = await runCli(["sightings", "--db", db, "-f", "table"]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /\nsighting +first seen by exifhunt +first scan +scans\n/);
    assert.match(table.stdout, /\nXperia Z1 Compact +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +1 +2\n/);
    // A saved scan and the log read together: the log's facts stay on the sightings it knows.
    const saved = join(photos, "..", "saved.ndjson");
    const scan = await runCli(["scan", photos, "-f", "ndjson", "-o", saved]);
    assert.ok(scan.code === 0 || scan.code === 1, scan.stderr);
    const both = JSON.parse((await runCli(["sightings", saved, "--db", db, "-f", "json"])).stdout) as { sightings: Out[] };
    assert.equal(both.sightings.find((s) => s.name === "Xperia Z2")?.huntLog?.scans, 2);
  });

  it("names what is missing when given neither saved scans nor --db", async () => {
    const result = await runCli(["sightings"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^exifhunt: name at least one saved scan .* or a hunt log \(--db FILE\)\n$/);
  });

  it("says which command makes a database when there is none", async () => {
    const dir = await tempDir("exifhunt-db-");
    const result = await runCli(["sightings", "--db", join(dir, "none.db")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^exifhunt: no database at .*none\.db: make one with exifhunt scan … --db /);
    assert.equal(existsSync(join(dir, "none.db")), false);
  });
});

describe("the database file", () => {
  it("is plain SQLite: the sqlite3 shell reads scans, records and sightings", { skip: sqliteSkip }, async () => {
    const { photos, db } = await folderWith(LEAK, KNOWN);
    await scanDb(photos, db);
    await copyFile(join(FIXTURES, UNKNOWN_MODEL), join(photos, UNKNOWN_MODEL));
    await scanDb(photos, db);
    assert.equal(await sqlite3(db, "PRAGMA integrity_check"), "ok");
    assert.equal(await sqlite3(db, "SELECT group_concat(id || ':' || status || ':' || records || ':' || new_records, ' ') FROM scans"), "1:complete:2:2 2:complete:3:1");
    assert.equal(await sqlite3(db, "SELECT json_extract(record, '$.verdict') FROM current_records WHERE key LIKE '%" + LEAK + "'"), "leak");
    const sightings = await sqlite3(db, "SELECT device_key || '|' || count(*) FROM current_records WHERE device_key IS NOT NULL GROUP BY device_key ORDER BY device_key");
    assert.equal(sightings, "camera:sony/D6999|1\ndevice:Sony/Xperia Z1 Compact|1\ndevice:Sony/Xperia Z2|1");
  });

  it("refuses a SQLite file of another program and a file that is not SQLite, changing neither", async () => {
    const dir = await tempDir("exifhunt-db-");
    const other = join(dir, "other.sqlite");
    const foreign = new Database(other);
    foreign.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
    foreign.close();
    const before = await readFile(other);
    const refused = await runCli(["scan", join(FIXTURES, KNOWN), "--db", other, "-f", "ndjson"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^exifhunt: .*other\.sqlite is a SQLite database of another program, not an exifhunt database; name a new file\n$/);
    assert.deepEqual(await readFile(other), before);

    const photo = join(dir, "photo.jpg");
    await copyFile(join(FIXTURES, KNOWN), photo);
    const notSqlite = await runCli(["scan", join(FIXTURES, KNOWN), "--db", photo, "-f", "ndjson"]);
    assert.equal(notSqlite.code, 2);
    assert.match(notSqlite.stderr, /^exifhunt: .*photo\.jpg is not an exifhunt database/);
    assert.deepEqual(await readFile(photo), await readFile(join(FIXTURES, KNOWN)));
  });

  it("migrates forward: a file at an older version gets the later steps and keeps its data; a failing step changes nothing", async () => {
    const { photos, db } = await folderWith(KNOWN);
    await scanDb(photos, db);
    const handle = new Database(db);
    try {
      assert.equal(handle.pragma("user_version", { simple: true }), LATEST_VERSION);
      const next = LATEST_VERSION + 1;
      const steps = [...MIGRATIONS, { version: next, sql: "ALTER TABLE scans ADD COLUMN host TEXT; UPDATE scans SET host = 'here';" }];
      migrate(handle, steps);
      assert.equal(handle.pragma("user_version", { simple: true }), next);
      assert.deepEqual(handle.prepare("SELECT id, status, records, host FROM scans").all(), [{ id: 1, status: "complete", records: 1, host: "here" }]);
      migrate(handle, steps); // already there: nothing runs twice
      const broken = [...steps, { version: next + 1, sql: "ALTER TABLE scans ADD COLUMN note TEXT; SELECT * FROM no_such_table;" }];
      assert.throws(() => {
        migrate(handle, broken);
      }, /no such table/);
      assert.equal(handle.pragma("user_version", { simple: true }), next);
      assert.equal((handle.prepare("SELECT count(*) AS n FROM pragma_table_info('scans') WHERE name = 'note'").get() as { n: number }).n, 0);
    } finally {
      handle.close();
    }
  });

  it("refuses a database from a newer exifhunt", async () => {
    const { photos, db } = await folderWith(KNOWN);
    await scanDb(photos, db);
    const handle = new Database(db);
    handle.pragma("user_version = 99");
    handle.close();
    const result = await scanDb(photos, db);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /made by a newer exifhunt \(database version 99/);
  });

  it("two runs at once take turns; one that cannot get the lock in time stops with exit 2 and one sentence", async () => {
    const { photos, db } = await folderWith(LEAK, KNOWN, UNKNOWN_MODEL);
    const [a, b] = await Promise.all([scanDb(photos, db), scanDb(photos, db)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const handle = new Database(db);
    assert.deepEqual(handle.prepare("SELECT status, records FROM scans ORDER BY id").all(), [
      { status: "complete", records: 3 },
      { status: "complete", records: 3 },
    ]);
    // Another process holds the write lock for the whole run.
    handle.exec("BEGIN IMMEDIATE");
    try {
      const blocked = await runCli(["scan", photos, "--db", db, "-f", "ndjson"], { env: { EXIFHUNT_DB_BUSY_TIMEOUT: "300" } });
      assert.equal(blocked.code, 2);
      assert.match(blocked.stderr, /^exifhunt: the database .*hunt\.db is busy: another exifhunt run kept it locked for more than 0\.3 s; try again when that run is done\n$/);
    } finally {
      handle.exec("ROLLBACK");
      handle.close();
    }
  });
});

/** A folder of `count` hard links to the fixtures (cheap: no bytes copied). */
async function manyPhotos(dir: string, count: number): Promise<string> {
  const many = join(dir, "many");
  await mkdir(many);
  const sources = [LEAK, KNOWN, UNKNOWN_MODEL, UNKNOWN_FIRMWARE];
  for (let i = 0; i < count; i++) await link(join(FIXTURES, sources[i % sources.length] ?? KNOWN), join(many, `p${String(i).padStart(5, "0")}.jpg`));
  return many;
}

/** Starts a scan into `db` and resolves once its first batch is committed (visible to another connection). */
async function scanUntilFirstCommit(folder: string, db: string, scanId: number): Promise<{ child: ReturnType<typeof spawn>; committed: number; ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const child = spawn(process.execPath, [CLI, "scan", folder, "--db", db, "-f", "ndjson", "--workers", "0", "--concurrency", "1"], { stdio: ["ignore", "ignore", "pipe"] });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => {
      resolve({ code, signal });
    });
  });
  const reader = new Database(db, { readonly: true });
  try {
    for (;;) {
      const committed = (reader.prepare("SELECT count(*) AS n FROM scan_records WHERE scan_id = ?").get(scanId) as { n: number }).n;
      if (committed > 0) return { child, committed, ended };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    reader.close();
  }
}

describe("a scan interrupted with Ctrl-C", () => {
  it("ends its row as interrupted, keeps what it committed, and its records are reported again", async () => {
    const { dir, photos, db } = await folderWith(KNOWN);
    assert.equal((await scanDb(photos, db)).code, 0);
    const many = await manyPhotos(dir, 4000);
    const { child, committed, ended } = await scanUntilFirstCommit(many, db, 2);
    child.kill("SIGINT");
    assert.equal((await ended).code, 130);
    const handle = new Database(db, { readonly: true });
    try {
      const row = handle.prepare("SELECT status, finished_at IS NOT NULL AS finished, records FROM scans WHERE id = 2").get() as { status: string; finished: number; records: number };
      assert.equal(row.status, "interrupted");
      assert.equal(row.finished, 1);
      assert.ok(row.records >= committed && row.records < 4000, `records ${String(row.records)}`);
      // Everything it noted was committed on the way out, none of it delivered.
      assert.equal((handle.prepare("SELECT count(*) AS n FROM scan_records WHERE scan_id = 2").get() as { n: number }).n, row.records);
      assert.equal((handle.prepare("SELECT count(*) AS n FROM records WHERE scan_id = 2 AND delivered_scan_id IS NOT NULL").get() as { n: number }).n, 0);
    } finally {
      handle.close();
    }
    const next = await scanDb(many, db, "--new-only");
    assert.equal(parseNdjson(next.stdout).length, 4000);
  });
});

describe("a scan killed mid-write", () => {
  it("leaves a database that opens, passes integrity_check and holds every committed scan", { skip: sqliteSkip }, async () => {
    const { dir, photos, db } = await folderWith(KNOWN);
    assert.equal((await scanDb(photos, db)).code, 0);
    // Enough photos that the scan is still writing when its first batch is committed.
    const many = await manyPhotos(dir, 6000);
    const { child, committed, ended } = await scanUntilFirstCommit(many, db, 2);
    child.kill("SIGKILL");
    assert.equal((await ended).signal, "SIGKILL", "the scan ended before it was killed: make the folder bigger");

    const handle = new Database(db);
    try {
      assert.equal(handle.pragma("integrity_check", { simple: true }), "ok");
      const scans = handle.prepare("SELECT id, status, finished_at FROM scans ORDER BY id").all();
      assert.deepEqual(scans, [
        { id: 1, status: "complete", finished_at: (scans[0] as { finished_at: string }).finished_at },
        { id: 2, status: "running", finished_at: null },
      ]);
      const kept = (handle.prepare("SELECT count(*) AS n FROM scan_records WHERE scan_id = 2").get() as { n: number }).n;
      assert.ok(kept >= committed && kept < 6000, `committed ${String(committed)}, kept ${String(kept)}`);
      assert.equal((handle.prepare("SELECT count(*) AS n FROM scan_records WHERE scan_id = 1").get() as { n: number }).n, 1);
    } finally {
      handle.close();
    }
    assert.equal(await sqlite3(db, "PRAGMA integrity_check"), "ok");
    assert.equal(await sqlite3(db, "SELECT count(*) FROM scans"), "2");

    // The next scan reuses what the killed one committed, and reports it: it never reached anyone.
    const next = await scanDb(many, db, "--new-only");
    assert.equal(next.code, 0, next.stderr);
    const stats = statsOf(next.stderr);
    assert.ok(stats.db.notReadAgain >= committed, `reused ${String(stats.db.notReadAgain)}`);
    assert.equal(parseNdjson(next.stdout).length, 6000);
  });
});
