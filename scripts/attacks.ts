/**
 * npm run attacks: the attack classes of issue 12, end to end. Builds each hostile input (nothing
 * is stored in the repo), runs the built CLI on it under GNU time and prints, per class, the wall
 * time, the peak RSS, the exit code and what the records say. A benchmark, not a test: the tests
 * that hold each guarantee are named in SECURITY.md; this script gives the figures.
 *
 *   npm run attacks                        # every class
 *   npm run attacks -- --only thumbnail    # classes whose name contains a word
 *   EXIFHUNT_CLI=/path/to/dist/bin/cli.js npm run attacks   # measure another build (before/after)
 *   npm run attacks -- --limit 120         # give up on a class after 120 s (default 90)
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { argument } from "./argv.js";
import { graftMetadata } from "../test/support/exif-editor.js";
import {
  claimedJpeg,
  EMPTY_APP5,
  extendedXmpSegments,
  FILL_BYTES,
  headerWithoutSos,
  quadraticXmpForExifr,
  repeatedPropertyXmp,
  tiffWithXmp,
  withSegments,
  xmpSegment,
} from "../test/support/hostile.js";
import { startLoopbackServer, type LoopbackServer } from "../test/loopback-server.js";

const CLI = process.env["EXIFHUNT_CLI"] ?? fileURLToPath(new URL("../dist/bin/cli.js", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const LEAK = readFileSync(join(FIXTURES, "sony-d5503-prelaunch.jpg"));

const LIMIT_S = Number(argument("--limit") ?? "90");
const ONLY = argument("--only");

interface Run {
  seconds: number;
  peakRssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

/** Signals time and the CLI it runs (this script started both, in their own process group). */
function signalGroup(child: ReturnType<typeof spawn>, signal: NodeJS.Signals): void {
  if (child.pid !== undefined) process.kill(-child.pid, signal);
}

/** Runs the CLI under /usr/bin/time -v; `whenStarted` may interrupt it (Ctrl-C) once the scan is under way. */
function runCli(args: string[], dir: string, whenStarted?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // A process group of its own: a signal reaches node, not only time (which ignores SIGINT).
    const child = spawn("/usr/bin/time", ["-v", process.execPath, CLI, ...args], { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, XDG_CONFIG_HOME: dir, HOME: dir } });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const limit = setTimeout(() => {
      killed = true;
      signalGroup(child, "SIGKILL");
    }, LIMIT_S * 1000);
    whenStarted?.(child);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(limit);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const status = /Exit status: (\d+)/.exec(stderr);
      const signalled = /Command terminated by signal (\d+)/.exec(stderr);
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakRssMb: rss === null ? Number.NaN : Number(rss[1]) / 1024,
        code: status !== null ? Number(status[1]) : signalled !== null ? 128 + Number(signalled[1]) : code,
        stdout,
        stderr: stderr.replace(/\n\tCommand being timed[\s\S]*$/, "").trim(),
        killed,
      });
    });
  });
}

interface Outcome {
  records: number;
  summary: string;
}

/** What NDJSON output says: how many records, and their verdicts / error codes. */
function ndjsonOutcome(stdout: string): Outcome {
  const records = stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as { verdict: string; error: { code: string } | null });
  const counts = new Map<string, number>();
  for (const record of records) {
    const key = record.error === null ? record.verdict : `error:${record.error.code}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { records: records.length, summary: [...counts].map(([key, count]) => `${String(count)} ${key}`).join(", ") };
}

interface Attack {
  name: string;
  /** What the issue measured before the fix. */
  before: string;
  run(dir: string, server: LoopbackServer): Promise<{ run: Run; outcome: string }>;
}

async function ndjsonScan(dir: string, inputs: string[], extra: string[] = []): Promise<{ run: Run; outcome: string }> {
  const run = await runCli(["scan", ...inputs, "-f", "ndjson", "-c", "8", ...extra], dir);
  const outcome = ndjsonOutcome(run.stdout);
  return { run, outcome: `${String(outcome.records)} records (${outcome.summary})` };
}

async function htmlReport(dir: string, inputs: string[]): Promise<{ run: Run; outcome: string }> {
  const out = join(dir, "report.html");
  const run = await runCli(["scan", ...inputs, "-o", out, "-c", "8"], dir);
  let size = 0;
  try {
    size = (await readFile(out)).length;
  } catch {
    // no report written
  }
  const thumbnails = size === 0 ? 0 : ((await readFile(out, "utf8")).match(/<img src="data:image\/jpeg/g) ?? []).length;
  return { run, outcome: size === 0 ? "no report" : `report ${String(Math.round(size / 1024))} KiB, ${String(thumbnails)} thumbnails` };
}

/** One hostile file written as `name`, scanned to NDJSON. */
function fileAttack(attack: string, before: string, name: string, build: () => Buffer): Attack {
  return {
    name: attack,
    before,
    async run(dir) {
      await writeFile(join(dir, name), build());
      return ndjsonScan(dir, [name]);
    },
  };
}

/**
 * Writes n files of the same hostile photo, each with one distinct byte after its end: reports merge
 * copies of one photo into one card (sightings), and a memory bound is only shown by n decodes.
 */
async function distinctCopies(dir: string, bytes: Uint8Array, n: number, prefix: string, extension: string): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}${String(i)}.${extension}`);
  for (const [i, name] of names.entries()) await writeFile(join(dir, name), Buffer.concat([bytes, Buffer.from([i])]));
  return names;
}

const ATTACKS: Attack[] = [
  fileAttack("xmp-repeated-name-jpeg-64k", "3.3 s (issue), 0.7 s (main before the fix) for 64 KB", "a.jpg", () => withSegments(LEAK, [xmpSegment(repeatedPropertyXmp(64 * 1024))])),
  fileAttack("xmp-repeated-name-tiff-1m", "no record in 60 s", "a.tif", () => tiffWithXmp(repeatedPropertyXmp(1024 * 1024))),
  fileAttack("jpeg-prefix-ff-run-32m", "197 s", "a.jpg", () => headerWithoutSos(FILL_BYTES, 32 * 1024 * 1024)),
  fileAttack("jpeg-prefix-empty-app5-4m", "63 s", "a.jpg", () => headerWithoutSos(EMPTY_APP5, 4 * 1024 * 1024)),
  fileAttack("jpeg-prefix-empty-app5-32m", "no record in 300 s, > 500 MB RSS", "a.jpg", () => headerWithoutSos(EMPTY_APP5, 32 * 1024 * 1024)),
  {
    name: "jpeg-prefix-ff-run-8m-over-http",
    before: "509 Range requests",
    async run(dir, server) {
      await writeFile(join(dir, "fill.jpg"), headerWithoutSos(FILL_BYTES, 8 * 1024 * 1024));
      server.reset();
      const result = await ndjsonScan(dir, [`${server.origin}/files/attack/fill.jpg`]);
      return { ...result, outcome: `${result.outcome}; ${String(server.log.length)} requests, ${String(Math.round(server.bytesSent() / 1024))} KiB sent` };
    },
  },
  {
    name: "thumbnail-progressive-16383-x8-html",
    before: "1.67 GB for one, 9.6 GB for eight",
    async run(dir) {
      const names = await distinctCopies(dir, graftMetadata(LEAK, await claimedJpeg(true)), 8, "p", "jpg");
      return htmlReport(dir, names);
    },
  },
  {
    // The worst the decode path lets through: 24 progressive JPEGs just under the per-decode cap.
    name: "thumbnail-progressive-16mp-at-cap-x24-html",
    before: "(not measured by the issue)",
    async run(dir) {
      const names = await distinctCopies(dir, graftMetadata(LEAK, await claimedJpeg(true, 4000, 4000, "4:2:0")), 24, "c", "jpg");
      return htmlReport(dir, names);
    },
  },
  {
    // HEIF decodes cost ~20 bytes per pixel: eight 12 MP AVIFs carrying a leak's EXIF, one at a time.
    name: "thumbnail-avif-12mp-x8-html",
    before: "(not measured by the issue)",
    async run(dir) {
      const avif = await sharp(LEAK).resize(4000, 3000, { fit: "fill" }).keepExif().avif({ effort: 0, quality: 30 }).toBuffer();
      return htmlReport(dir, await distinctCopies(dir, avif, 8, "h", "avif"));
    },
  },
  {
    name: "exifr-extended-xmp-1m-html",
    before: "90 s as HTML (0.4 s as NDJSON)",
    async run(dir) {
      await writeFile(join(dir, "a.jpg"), withSegments(LEAK, extendedXmpSegments(quadraticXmpForExifr(1024 * 1024))));
      return htmlReport(dir, ["a.jpg"]);
    },
  },
  {
    name: "http-4-drips-20-healthy-same-host",
    before: "the 20 healthy URLs failed as timeout",
    async run(_dir, server) {
      const urls = [
        ...Array.from({ length: 4 }, (_, i) => `${server.origin}/drip?every=1000&n=${String(i)}`),
        ...Array.from({ length: 20 }, (_, i) => `${server.origin}/files/fixtures/sony-d6503-released.jpg?n=${String(i)}`),
      ];
      return ndjsonScan(_dir, urls);
    },
  },
  {
    name: "ctrl-c-with-drips-in-flight",
    before: "28–59 s to exit",
    async run(dir, server) {
      server.reset();
      const urls = Array.from({ length: 4 }, (_, i) => `${server.origin}/drip?every=1000&c=${String(i)}`);
      let interruptedAt = 0;
      const run = await runCli(["scan", ...urls, "-f", "ndjson"], dir, (child) => {
        void server.arrival("/drip").then(() => {
          interruptedAt = performance.now();
          signalGroup(child, "SIGINT");
        });
      });
      return { run, outcome: `exit ${String(run.code)} ${((performance.now() - interruptedAt) / 1000).toFixed(2)} s after SIGINT` };
    },
  },
];

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "exifhunt-attacks-"));
  const server = await startLoopbackServer({ roots: { attack: dir, fixtures: FIXTURES } });
  const rows: string[] = [];
  try {
    for (const attack of ATTACKS) {
      if (ONLY !== undefined && !attack.name.includes(ONLY)) continue;
      const { run, outcome } = await attack.run(dir, server);
      const time = run.killed ? `> ${String(LIMIT_S)} s` : `${run.seconds.toFixed(2)} s`;
      const row = `| ${attack.name} | ${time} | ${run.peakRssMb.toFixed(0)} MB | ${String(run.code)} | ${outcome} | ${attack.before} |`;
      console.log(row);
      rows.push(row);
      if (run.stderr !== "" && run.code !== 0) console.log(`    stderr: ${run.stderr.split("\n").slice(-3).join(" / ")}`);
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(["", `CLI: ${CLI}`, "| class | wall time | peak RSS | exit | outcome | before (issue 12) |", "|---|---|---|---|---|---|", ...rows].join("\n"));
}

await main();
