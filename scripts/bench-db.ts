/**
 * npm run bench:db: what the hunt log (--db) costs and saves. On N hard links to the photos of
 * ../shared/corpus (default 100,000) under the system temp folder, measured with GNU time -v:
 *
 *   1. a full scan without --db (the baseline)
 *   2. the first scan with --db (a new database: every record written)
 *   3. a rescan with --db of the unchanged folder (stat only, stored records output)
 *   4. the same with --new-only (nothing new: no output)
 *
 * Prints wall time, CPU time (user + system: the steadier figure on a shared machine), files/s,
 * bytes exifhunt read (its --stats), peak RSS and the database's size,
 * then removes the links and the database. A benchmark, not a test: CI times nothing.
 *
 *   npm run bench:db                    # N = 100,000
 *   npm run bench:db -- --size 5000     # a quick look
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { link, mkdir, readdir, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { argument } from "./argv.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const FOLDERS = ["phones", "cameras"];
const PER_FOLDER = 1000;

interface Run {
  name: string;
  seconds: number;
  /** User plus system CPU seconds: on a shared machine the steadier figure (wall time includes waiting for a core). */
  cpuSeconds: number;
  peakRssMb: number;
  bytesRead: number;
  records: number;
  outputLines: number;
}

async function buildCorpus(dir: string, size: number): Promise<void> {
  const sources: string[] = [];
  for (const folder of FOLDERS) {
    for (const entry of await readdir(join(CORPUS, folder), { withFileTypes: true })) {
      if (entry.isFile()) sources.push(join(CORPUS, folder, entry.name));
    }
  }
  sources.sort();
  await rm(dir, { recursive: true, force: true });
  for (let i = 0; i < size; i++) {
    const source = sources[i % sources.length] ?? "";
    const sub = join(dir, String(Math.floor(i / PER_FOLDER)).padStart(4, "0"));
    if (i % PER_FOLDER === 0) await mkdir(sub, { recursive: true });
    await link(source, join(sub, `${String(i).padStart(7, "0")}${source.slice(source.lastIndexOf("."))}`));
  }
}

/** `/usr/bin/time -v node dist/bin/cli.js scan …`: wall time and peak RSS from GNU time, bytes read from --stats. */
function measure(name: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-v", process.execPath, "dist/bin/cli.js", "scan", ...args, "-f", "ndjson", "-q", "--stats"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) lines++;
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const stats = stderr.split("\n").find((line) => line.startsWith("{"));
      if (code !== 0 || wall === null || rss === null || user === null || system === null || stats === undefined) {
        reject(new Error(`${name} failed (${String(code)}): ${stderr.slice(-800)}`));
        return;
      }
      const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
      const figures = JSON.parse(stats) as { bytesRead: number; records: number; db?: { records: number } };
      resolve({ name, seconds, cpuSeconds: Number(user[1]) + Number(system[1]), peakRssMb: Math.round(Number(rss[1]) / 1024), bytesRead: figures.bytesRead, records: figures.db?.records ?? figures.records, outputLines: lines });
    });
  });
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

if (!existsSync(CORPUS)) throw new Error(`the benchmark needs ${CORPUS}`);
if (!existsSync(join(ROOT, "dist/bin/cli.js"))) throw new Error("run npm run build first");
const size = Number(argument("--size") ?? 100_000);
const work = join(tmpdir(), `exifhunt-bench-db-${String(size)}`);
const photos = join(work, "photos");
const db = join(work, "hunt.db");
try {
  console.error(`building ${String(size)} hard links under ${photos} …`);
  await buildCorpus(photos, size);
  const runs: Run[] = [];
  // Each run once, in this order; the load average before and after says how busy the machine was.
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  for (const [name, args] of [
    ["full scan, no --db", [photos]],
    ["first scan --db (new database)", [photos, "--db", db]],
    ["rescan --db, nothing changed", [photos, "--db", db]],
    ["rescan --db --new-only", [photos, "--db", db, "--new-only"]],
  ] as const) {
    console.error(`  ${name} …`);
    const run = await measure(name, args);
    runs.push(run);
    console.error(`    ${run.seconds.toFixed(2)} s (${run.cpuSeconds.toFixed(2)} CPU s), ${String(Math.round(size / run.seconds))} files/s, ${mb(run.bytesRead)} MB read, ${String(run.peakRssMb)} MB peak RSS, ${String(run.outputLines)} lines out`);
  }
  const withWal = sizeOf(db) + sizeOf(`${db}-wal`);
  const handle = new Database(db);
  handle.pragma("wal_checkpoint(TRUNCATE)");
  const counts = handle.prepare("SELECT (SELECT count(*) FROM scans) AS scans, (SELECT count(*) FROM photos) AS photos, (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM scan_records) AS seen").get() as Record<string, number>;
  handle.close();
  const checkpointed = sizeOf(db);
  const baseline = runs[0]?.seconds ?? 1;
  const cpuBaseline = runs[0]?.cpuSeconds ?? 1;
  const rows = [
    ["run", "seconds", "files/s", "x full scan", "CPU s", "CPU x full scan", "MB read", "peak RSS MB", "lines out"],
    ...runs.map((r) => [
      r.name,
      r.seconds.toFixed(2),
      String(Math.round(size / r.seconds)),
      (r.seconds / baseline).toFixed(2),
      r.cpuSeconds.toFixed(2),
      (r.cpuSeconds / cpuBaseline).toFixed(2),
      mb(r.bytesRead),
      String(r.peakRssMb),
      String(r.outputLines),
    ]),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length))) ?? [];
  const line = (row: readonly string[]): string => `| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(" | ")} |`;
  console.log(`N = ${size.toLocaleString("en")} hard links to ${FOLDERS.join(", ")} of shared/corpus; ${String(cpus().length)} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  console.log([line(rows[0] ?? []), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n"));
  console.log(`load average before and after: ${loadBefore} / ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  console.log(`database after ${String(counts.scans)} scans (${String(counts.photos)} photos, ${String(counts.records)} records, ${String(counts.seen)} scan_records rows): ${mb(withWal)} MB with its WAL, ${mb(checkpointed)} MB checkpointed (${String(Math.round(checkpointed / size))} bytes per photo)`);
} finally {
  await rm(work, { recursive: true, force: true });
}
