/**
 * npm run bench:archives: the same photos scanned from a folder, a zip (deflated, as zip tools
 * write photos), a stored zip and a tar.gz; and a 2 GiB deflate bomb beside one real photo.
 * Prints wall time and peak RSS (GNU time) of the built CLI. A benchmark, not a test.
 *
 *   npm run bench:archives                    # 2,000 photos, 3 runs each (median)
 *   npm run bench:archives -- --photos 500 --runs 1
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import tarStream from "tar-stream";
import { writeBombZip, writeZipFile } from "../test/support/zip-writer.js";
import { argument } from "./argv.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const CLI = join(ROOT, "dist", "bin", "cli.js");

function numberArgument(name: string, fallback: number): number {
  return process.argv.includes(name) ? Number(argument(name)) : fallback;
}

interface Run {
  seconds: number;
  /** User and system CPU time: steadier than wall time on a machine shared with other jobs. */
  cpuSeconds: number;
  peakRssMb: number;
  records: number;
  stdout: string;
}

/** One scan by the built CLI under GNU time: wall time and maximum resident set size. */
function measure(input: string, command: readonly string[] = [process.execPath, CLI, "scan", input, "-f", "ndjson", "--quiet"]): Run {
  const result = spawnSync("/usr/bin/time", ["-v", ...command], { encoding: "utf8", maxBuffer: 1 << 30 });
  // A run that failed or was stopped would pass for a fast one: its figures are not used.
  if (result.status !== 0) throw new Error(`${command.join(" ")} exited with ${String(result.status)}: ${result.stderr.slice(-2000)}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(result.stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(result.stderr);
  if (wall === null || rss === null || user === null || system === null) throw new Error(`no figures from GNU time: ${result.stderr}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const records = result.stdout.split("\n").filter((line) => line !== "").length;
  return { seconds, cpuSeconds: Number(user[1]) + Number(system[1]), peakRssMb: Math.round(Number(rss[1]) / 1024), records, stdout: result.stdout };
}

function median(runs: Run[]): Run {
  const counts = new Set(runs.map((run) => run.records));
  if (counts.size > 1) throw new Error(`runs of the same input gave different record counts: ${[...counts].join(", ")}`);
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error("no runs");
  return middle;
}

function photoFiles(): { name: string; path: string }[] {
  const folders = existsSync(CORPUS) ? ["phones", "cameras"].map((folder) => join(CORPUS, folder)) : [join(ROOT, "fixtures")];
  return folders.flatMap((folder) => readdirSync(folder).sort().map((name) => ({ name, path: join(folder, name) })));
}

async function main(): Promise<void> {
  if (spawnSync("/usr/bin/time", ["-V"]).error !== undefined) throw new Error("GNU time (/usr/bin/time) is needed: apt-get install time");
  const count = numberArgument("--photos", 2000);
  const runs = numberArgument("--runs", 3);
  const dir = join(tmpdir(), "exifhunt-bench-archives");
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "folder"), { recursive: true });
  const sources = photoFiles();
  const photos = Array.from({ length: count }, (_, i) => {
    const source = sources[i % sources.length];
    if (source === undefined) throw new Error("no photos");
    return { name: `${String(i).padStart(5, "0")}-${source.name}`, data: readFileSync(source.path) };
  });
  const bytes = photos.reduce((sum, photo) => sum + photo.data.length, 0);
  console.error(`building ${String(count)} photos (${(bytes / 1e6).toFixed(0)} MB) as a folder, zips and a tar.gz …`);
  for (const photo of photos) await writeFile(join(dir, "folder", photo.name), photo.data);
  writeZipFile(join(dir, "deflated.zip"), photos.map((photo) => ({ name: `DCIM/${photo.name}`, data: photo.data, method: 8 })), 1);
  writeZipFile(join(dir, "stored.zip"), photos.map((photo) => ({ name: `DCIM/${photo.name}`, data: photo.data, method: 0 })));
  const pack = tarStream.pack();
  const written = pipeline(pack, createGzip({ level: 1 }), createWriteStream(join(dir, "photos.tar.gz")));
  for (const photo of photos) {
    await new Promise<void>((resolve, reject) => {
      pack.entry({ name: `DCIM/${photo.name}` }, photo.data, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }
  pack.finalize();
  await written;
  const bomb = join(dir, "bomb.zip");
  const leak = readFileSync(join(ROOT, "fixtures", "sony-d5503-prelaunch.jpg"));
  await writeBombZip(bomb, { name: "bomb.jpg", head: leak, zeros: 2 * 1024 ** 3 }, [{ name: "photo.jpg", data: readFileSync(join(ROOT, "fixtures", "sony-d6503-released.jpg")) }]);

  const rows: string[] = [`| input | records | wall time (median of ${String(runs)}) | CPU time | peak RSS |`, "|---|---:|---:|---:|---:|"];
  const row = (label: string, records: string, run: Run): string => `| ${label} | ${records} | ${run.seconds.toFixed(2)} s | ${run.cpuSeconds.toFixed(2)} s | ${String(run.peakRssMb)} MB |`;
  for (const [label, input] of [["folder", join(dir, "folder")], ["zip, deflated", join(dir, "deflated.zip")], ["zip, stored", join(dir, "stored.zip")], ["tar.gz", join(dir, "photos.tar.gz")]] as const) {
    measure(input); // warm the page cache
    const result = median(Array.from({ length: runs }, () => measure(input)));
    rows.push(row(label, String(result.records), result));
  }
  // The floor for a tar.gz: gzip itself inflating the archive to nowhere.
  const gunzip = median(Array.from({ length: runs }, () => measure("", ["sh", "-c", `gzip -dc '${join(dir, "photos.tar.gz")}' > /dev/null`])));
  rows.push(row("(gzip -dc of the tar.gz, for comparison)", "-", gunzip));
  const bombRun = measure(bomb);
  const verdicts = bombRun.stdout.split("\n").filter((line) => line !== "").map((line) => (JSON.parse(line) as { verdict: string }).verdict).join(", ");
  rows.push(row(`2 GiB deflate bomb (${(readFileSync(bomb).length / 1e6).toFixed(1)} MB zip) beside one photo`, `${String(bombRun.records)} (${verdicts})`, bombRun));
  console.log(rows.join("\n"));
  await rm(dir, { recursive: true, force: true });
}

await main();
