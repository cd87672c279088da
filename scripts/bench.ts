/**
 * npm run bench: triage throughput and memory of exifhunt against ExifTool and a plain exifr loop,
 * on corpora of hard links to the real photos of ../shared/corpus. Prints a table and writes it to
 * docs/benchmarks.md. A benchmark, not a test: CI times nothing.
 *
 *   npm run bench                       # N = 5,000 and 100,000
 *   npm run bench -- --sizes 2000       # a quick look
 *
 * Figures per tool: wall time of the whole process (start-up included), files/s, MB the process
 * read (rchar from /proc, polled), peak RSS (GNU time's maximum resident set size).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { link, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CORPUS = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
// The photos of the corpus (formats/ holds format test files, not a photo dump).
const FOLDERS = ["phones", "cameras"];
const PER_FOLDER = 1000;

interface Measure {
  tool: string;
  files: number;
  seconds: number;
  filesPerSecond: number;
  mbRead: number;
  peakRssMb: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

function ensureExiftool(): void {
  if (spawnSync("exiftool", ["-ver"]).status === 0) return;
  console.error("installing ExifTool (Debian's libimage-exiftool-perl) …");
  const result = spawnSync("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libimage-exiftool-perl"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("ExifTool is missing and could not be installed");
}

async function buildCorpus(size: number): Promise<string> {
  const sources: string[] = [];
  for (const folder of FOLDERS) {
    for (const entry of await readdir(join(CORPUS, folder), { withFileTypes: true })) {
      if (entry.isFile()) sources.push(join(CORPUS, folder, entry.name));
    }
  }
  sources.sort();
  const dir = join(tmpdir(), `exifhunt-bench-${String(size)}`);
  await rm(dir, { recursive: true, force: true });
  for (let i = 0; i < size; i++) {
    const source = sources[i % sources.length] ?? "";
    const sub = join(dir, String(Math.floor(i / PER_FOLDER)).padStart(4, "0"));
    if (i % PER_FOLDER === 0) await mkdir(sub, { recursive: true });
    const extension = source.slice(source.lastIndexOf("."));
    await link(source, join(sub, `${String(i).padStart(7, "0")}${extension}`));
  }
  return dir;
}

/** Runs a command under GNU time, polling its /proc/<pid>/io for the bytes it reads. */
function measure(tool: string, command: string[], files: number): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%e %M", ...command], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    let rchar = 0;
    const poll = setInterval(() => {
      try {
        const pid = child.pid ?? 0;
        const children = readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, "utf8").trim().split(" ").filter(Boolean);
        for (const grandchild of children) {
          const io = readFileSync(`/proc/${grandchild}/io`, "utf8");
          rchar = Math.max(rchar, Number(/rchar: (\d+)/.exec(io)?.[1] ?? 0));
        }
      } catch {
        // the process is starting or has just ended
      }
    }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      const last = stderr.trim().split("\n").at(-1) ?? "";
      const [seconds = NaN, maxKb = NaN] = last.split(" ").map(Number);
      if (code !== 0 || Number.isNaN(seconds)) {
        reject(new Error(`${tool} failed (${String(code)}): ${stderr.slice(-500)}`));
        return;
      }
      resolve({ tool, files, seconds, filesPerSecond: Math.round(files / seconds), mbRead: Math.round(rchar / 1e6), peakRssMb: Math.round(maxKb / 1024) });
    });
  });
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? "").length))) ?? [];
  const line = (row: (string | number)[]) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

if (!existsSync(CORPUS)) throw new Error(`the benchmark needs ${CORPUS}`);
if (!existsSync(join(ROOT, "dist/cli.js"))) throw new Error("run npm run build first");
ensureExiftool();
const sizes = (argument("--sizes") ?? "5000,100000").split(",").map(Number);
const rows: (string | number)[][] = [["N", "tool", "seconds", "files/s", "MB read", "peak RSS MB", "x ExifTool"]];
for (const size of sizes) {
  console.error(`building a corpus of ${String(size)} hard links …`);
  const dir = await buildCorpus(size);
  // Small corpora take seconds, and a shared machine's noise is as large as that: each tool runs
  // several times, in turn, and its median run is reported. A 100,000-file run is long enough alone.
  const repeats = Number(argument("--runs") ?? (size <= 10_000 ? 3 : 1));
  const tools: [string, string[]][] = [
    ["exifhunt", ["node", "dist/cli.js", "scan", dir, "-f", "ndjson", "-q"]],
    ["ExifTool -fast2", ["exiftool", "-fast2", "-j", "-Make", "-Model", "-Software", "-DateTimeOriginal", "-r", dir]],
    ["exifr loop", ["node", "scripts/exifr-loop.mjs", dir]],
  ];
  const measured: Measure[][] = tools.map(() => []);
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const [index, [tool, command]] of tools.entries()) measured[index]?.push(await measure(tool, command, size));
  }
  const runs = measured.map((list) => [...list].sort((a, b) => a.seconds - b.seconds)[Math.floor(list.length / 2)]).filter((run) => run !== undefined);
  const exiftool = runs[1]?.filesPerSecond ?? 1;
  for (const run of runs) {
    rows.push([size, run.tool, run.seconds, run.filesPerSecond, run.mbRead, run.peakRssMb, (run.filesPerSecond / exiftool).toFixed(1)]);
    console.error(`  ${run.tool}: ${String(run.filesPerSecond)} files/s, ${String(run.peakRssMb)} MB peak RSS`);
  }
  await rm(dir, { recursive: true, force: true });
}
const output = table(rows);
console.log(output);
const exiftoolVersion = spawnSync("exiftool", ["-ver"], { encoding: "utf8" }).stdout.trim();
await writeFile(
  join(ROOT, "docs/benchmarks.md"),
  `# Benchmarks

Made by \`npm run bench -- --sizes ${sizes.join(",")}\` on ${new Date().toISOString().slice(0, 10)}: ${String(cpus().length)} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ExifTool ${exiftoolVersion}, warm page cache.
The corpus is N hard links to the ${FOLDERS.join(", ")} photos of \`shared/corpus\` (JPEG and HEIC, as a phone dump holds), ${String(PER_FOLDER)} per folder.
Each figure is one whole process, start-up included (${argument("--runs") === undefined ? "the median of 3 runs, tools taken in turn, for N up to 10,000; one run above" : `the median of ${String(argument("--runs"))} runs, tools taken in turn`}): \`exifhunt scan DIR -f ndjson -q\` (every record written),
\`exiftool -fast2 -j -Make -Model -Software -DateTimeOriginal -r DIR\`, and \`scripts/exifr-loop.mjs\` (exifr's own file reading, same four tags, one file after another).
"MB read" is the process's rchar from /proc (polled every 20 ms); "peak RSS" is GNU time's maximum resident set size.

${output}

## Where the speed comes from

- **One read per file.** A local file's first 64 KiB are read with one \`read\` into a buffer that
  every file shares; a JPEG whose header ends inside them (96 of the 100 in the corpus) is parsed
  from that buffer at once, with no allocation and no await. exifhunt's "MB read" is higher than
  ExifTool's because it copies 64 KiB where ExifTool stops at the tags it wants; from disk, the
  kernel's readahead (128 KiB) fetches as much either way.
- **Only the tags triage needs.** exifhunt reads IFD0, the EXIF IFD, the GPS time, the XMP dates
  and history and the IPTC dates with its own small readers (\`src/extract/tiff-tags.ts\`,
  \`xmp.ts\`, \`iptc.ts\`), which find each tag by number or name and decode nothing else. exifr,
  which parses whole segments (the "exifr loop" row), is kept for the deep pass's full dump;
  \`test/tags.test.ts\` checks that both read the same values from every corpus file but a listed
  few (where exifr gives up on a damaged block, or takes XMP's ImageWidth for IFD0's).
- **Headers that run on** (a phone's 64 KiB vendor blobs, an ICC profile split over nine APP2
  segments) are read segment by segment, leaving out those no parser reads.
- **Output in 64 KiB writes**, not one per record; a slow scan still streams within 50 ms.
- **Worker threads for large dumps.** A worker starts cold (it loads the code, then runs it
  unoptimized for its first few thousand files), so on this machine two workers lose to one
  thread at 5,000 photos and win by about a third at 100,000. A scan starts them after 8,000
  local files and keeps reading in its own thread until one is ready (\`--workers 0\` turns them off).
- **Flat memory.** Folders are walked one directory at a time, NDJSON and CSV are written as
  records complete, and at most a few hundred files are in flight; the RSS above is the heaps of
  the main thread and the workers.
`,
);
