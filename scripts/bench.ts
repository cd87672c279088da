/**
 * npm run bench: triage throughput and memory of exifhunt against ExifTool, a bare exifr loop,
 * exiv2 and the read floor (open + read 64 KiB + close, one thread), all in the same run, on
 * corpora of hard links to real photos: the phones and cameras of ../shared/corpus, and a second
 * set of camera photos (larger maker notes) whose folder is given with --photos. Prints the table
 * and writes it at the top of docs/benchmarks.md (the notes below its marker line are kept).
 * A benchmark, not a test: CI times nothing.
 *
 *   npm run bench                                   # N = 5,000 and 100,000
 *   npm run bench -- --photos ~/camera-samples      # the second corpus (docs/benchmarks.md says which)
 *   npm run bench -- --sizes 2000 --runs 1 --no-write   # a quick look
 *   npm run bench -- --tools exifhunt,floor         # only some of the tools
 *
 * Figures per tool: wall time of the whole process (start-up included), CPU seconds (user +
 * system), files/s, MB the process tree read (rchar from /proc, polled), peak RSS (GNU time's
 * maximum resident set size: the largest process of the tree).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { link, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { argument } from "./argv.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SHARED = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const DOC = join(ROOT, "docs/benchmarks.md");
/** docs/benchmarks.md: the script writes everything above this line and keeps what follows it. */
const MARKER = "<!-- npm run bench writes everything above this line; the notes below it are kept -->";
const PER_FOLDER = 1000;
/** ExifTool reads some 200 files/s: past this N it would take minutes per run, and is left out. */
const EXIFTOOL_MAX = 10_000;
/** exiv2 takes its files on the command line: this many per process, as `xargs -n` hands them. */
const EXIV2_FILES_PER_PROCESS = 2000;
const FOUR_TAGS_EXIV2 = ["Exif.Image.Make", "Exif.Image.Model", "Exif.Image.Software", "Exif.Photo.DateTimeOriginal"].flatMap((key) => ["-K", key]);

interface Corpus {
  name: string;
  /** What it is, for the document. */
  about: string;
  files: string[];
}

interface Tool {
  name: string;
  command: (dir: string) => string[];
  /** exiv2 exits 1 when some file is not an image it reads (the corpus has one MP3): not a failure. */
  tolerateExit?: boolean;
  /** Only up to this many files (ExifTool). */
  maxFiles?: number;
}

interface Measure {
  tool: string;
  seconds: number;
  cpuSeconds: number;
  mbRead: number;
  peakRssMb: number;
}

/** Whether `command` runs; if not, installs Debian's `pkg` when root, else says why it is left out. */
function ensureTool(command: string, versionArgs: string[], pkg: string): boolean {
  if (spawnSync(command, versionArgs).status === 0) return true;
  if (process.getuid?.() !== 0) {
    console.error(`${command} is missing and this is not root: its rows are left out (install it with: apt-get install ${pkg})`);
    return false;
  }
  console.error(`installing ${command} (Debian's ${pkg}) …`);
  const result = spawnSync("bash", ["-c", `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg} || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg})`], { stdio: "inherit" });
  if (result.status === 0 && spawnSync(command, versionArgs).status === 0) return true;
  console.error(`${command} could not be installed: its rows are left out`);
  return false;
}

async function filesIn(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesIn(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

async function corpora(): Promise<Corpus[]> {
  if (!existsSync(SHARED)) throw new Error(`the benchmark needs ${SHARED}`);
  const shared = [...(await filesIn(join(SHARED, "phones"))), ...(await filesIn(join(SHARED, "cameras")))];
  const list: Corpus[] = [{ name: "shared", about: `the ${String(shared.length)} files of shared/corpus's phones/ and cameras/ (JPEG and HEIC, as a phone dump holds)`, files: shared }];
  const photos = argument("--photos") ?? process.env.EXIFHUNT_BENCH_PHOTOS;
  if (photos === undefined) {
    const cameras = await filesIn(join(SHARED, "cameras"));
    console.error("no --photos folder given: the second corpus is shared/corpus/cameras alone (docs/benchmarks.md says how to fetch a larger one)");
    list.push({ name: "cameras", about: `the ${String(cameras.length)} files of shared/corpus's cameras/ alone`, files: cameras });
  } else {
    const files = await filesIn(resolve(photos));
    if (files.length === 0) throw new Error(`--photos ${photos} holds no files`);
    list.push({ name: "cameras", about: `the ${String(files.length)} files of ${basename(resolve(photos))}/ (given with --photos)`, files });
  }
  return list;
}

async function buildCorpus(corpus: Corpus, size: number): Promise<string> {
  const dir = join(tmpdir(), `exifhunt-bench-${corpus.name}-${String(size)}`);
  await rm(dir, { recursive: true, force: true });
  for (let i = 0; i < size; i++) {
    const source = corpus.files[i % corpus.files.length] ?? "";
    const sub = join(dir, String(Math.floor(i / PER_FOLDER)).padStart(4, "0"));
    if (i % PER_FOLDER === 0) await mkdir(sub, { recursive: true });
    const dot = source.lastIndexOf(".");
    await link(source, join(sub, `${String(i).padStart(7, "0")}${dot > source.lastIndexOf("/") ? source.slice(dot) : ""}`));
  }
  return dir;
}

/** The pids below `pid` (children, their children …) from /proc. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop() ?? 0;
    try {
      for (const task of readFileSync(`/proc/${String(current)}/task/${String(current)}/children`, "utf8").trim().split(" ").filter(Boolean)) {
        found.push(Number(task));
        stack.push(Number(task));
      }
    } catch {
      // the process has just ended
    }
  }
  return found;
}

/**
 * Runs a command under GNU time, polling /proc/<pid>/io of every process below it for the bytes
 * it read: each process's last reading counts, so short-lived ones (exiv2's) may be undercounted
 * by up to one poll's worth.
 */
function measure(tool: Tool, dir: string): Promise<Measure> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%e %U %S %M", ...tool.command(dir)], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const rchar = new Map<number, number>();
    const poll = setInterval(() => {
      for (const pid of descendants(child.pid ?? 0)) {
        try {
          const io = readFileSync(`/proc/${String(pid)}/io`, "utf8");
          rchar.set(pid, Math.max(rchar.get(pid) ?? 0, Number(/rchar: (\d+)/.exec(io)?.[1] ?? 0)));
        } catch {
          // the process is starting or has just ended
        }
      }
    }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      const last = stderr.trim().split("\n").at(-1) ?? "";
      const [seconds = NaN, user = NaN, system = NaN, maxKb = NaN] = last.split(" ").map(Number);
      if ((code !== 0 && tool.tolerateExit !== true) || Number.isNaN(seconds)) {
        reject(new Error(`${tool.name} failed (${String(code)}): ${stderr.slice(-500)}`));
        return;
      }
      const read = [...rchar.values()].reduce((sum, bytes) => sum + bytes, 0);
      resolvePromise({ tool: tool.name, seconds, cpuSeconds: Math.round((user + system) * 100) / 100, mbRead: Math.round(read / 1e6), peakRssMb: Math.round(maxKb / 1024) });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => String(row[column] ?? "").length))) ?? [];
  const line = (row: (string | number)[]) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column] ?? 0)).join(" | ")} |`;
  const [header, ...body] = rows;
  return [line(header ?? []), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

if (!existsSync(join(ROOT, "dist/bin/cli.js"))) throw new Error("run npm run build first");
const sizes = (argument("--sizes") ?? "5000,100000").split(",").map(Number);
const runsOption = argument("--runs");
const wanted = argument("--tools")?.split(",");
const hasExiftool = ensureTool("exiftool", ["-ver"], "libimage-exiftool-perl");
const hasExiv2 = ensureTool("exiv2", ["--version"], "exiv2");
const allTools: Tool[] = [
  { name: "exifhunt", command: (dir) => ["node", "dist/bin/cli.js", "scan", dir, "-f", "ndjson", "-q"] },
  { name: "exifr loop", command: (dir) => ["node", "scripts/exifr-loop.mjs", dir] },
  ...(hasExiv2 ? [{ name: "exiv2", tolerateExit: true, command: (dir: string) => ["sh", "-c", `find "$0" -type f -print0 | xargs -0 -n ${String(EXIV2_FILES_PER_PROCESS)} exiv2 -q -Pkv ${FOUR_TAGS_EXIV2.join(" ")}`, dir] }] : []),
  ...(hasExiftool ? [{ name: "ExifTool -fast2", maxFiles: EXIFTOOL_MAX, command: (dir: string) => ["exiftool", "-fast2", "-j", "-Make", "-Model", "-Software", "-DateTimeOriginal", "-r", dir] }] : []),
  { name: "read floor", command: (dir) => ["node", "scripts/read-floor.mjs", dir] },
];
const tools = allTools.filter((tool) => wanted === undefined || wanted.some((name) => tool.name.toLowerCase().includes(name.toLowerCase())));
const header = ["corpus", "N", "tool", "seconds", "CPU s", "files/s", "MB read", "peak RSS MB", "x ExifTool", "x floor"];
const rows: (string | number)[][] = [header];
const sets = await corpora();
for (const corpus of sets) {
  for (const size of sizes) {
    console.error(`${corpus.name}: building a corpus of ${String(size)} hard links …`);
    const dir = await buildCorpus(corpus, size);
    // Small corpora take about a second, and a shared machine's noise is as large as that: each
    // tool runs several times, the tools in turn, and the median is reported. 100,000 files run once.
    const repeats = Number(runsOption ?? (size <= 10_000 ? 3 : 1));
    const here = tools.filter((tool) => size <= (tool.maxFiles ?? Infinity));
    const measured = new Map<string, Measure[]>(here.map((tool) => [tool.name, []]));
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const tool of here) {
        const result = await measure(tool, dir);
        measured.get(tool.name)?.push(result);
        console.error(`  ${corpus.name} ${String(size)} ${tool.name}: ${result.seconds.toFixed(2)} s, ${String(result.peakRssMb)} MB`);
      }
    }
    const medians = here.map((tool) => {
      const list = measured.get(tool.name) ?? [];
      return {
        tool: tool.name,
        seconds: median(list.map((m) => m.seconds)),
        cpuSeconds: median(list.map((m) => m.cpuSeconds)),
        mbRead: median(list.map((m) => m.mbRead)),
        peakRssMb: median(list.map((m) => m.peakRssMb)),
      };
    });
    const exiftool = medians.find((m) => m.tool.startsWith("ExifTool"))?.seconds;
    const floor = medians.find((m) => m.tool === "read floor")?.seconds;
    for (const m of medians) {
      rows.push([
        corpus.name,
        size,
        m.tool,
        m.seconds.toFixed(2),
        m.cpuSeconds.toFixed(2),
        Math.round(size / m.seconds),
        m.mbRead,
        m.peakRssMb,
        exiftool === undefined ? "" : (exiftool / m.seconds).toFixed(1),
        floor === undefined ? "" : (m.seconds / floor).toFixed(2),
      ]);
    }
    await rm(dir, { recursive: true, force: true });
  }
}
const output = table(rows);
console.log(output);
if (process.argv.includes("--no-write")) process.exit(0);

const version = (command: string, args: string[]): string => spawnSync(command, args, { encoding: "utf8" }).stdout.trim().split("\n")[0] ?? "";
const flags = process.argv.slice(2).map((arg) => (arg.includes("/") ? basename(arg) : arg));
const runs = runsOption === undefined ? "the median of 3 runs, tools taken in turn, for N up to 10,000; one run for 100,000" : `the median of ${runsOption} runs, tools taken in turn`;
const generated = `# Benchmarks

Made by \`npm run bench${flags.length > 0 ? ` -- ${flags.join(" ")}` : ""}\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: ${String(cpus().length)} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}${hasExiftool ? `, ExifTool ${version("exiftool", ["-ver"])}` : ""}${hasExiv2 ? `, ${version("exiv2", ["--version"])}` : ""}, warm page cache.
Corpora: N hard links, ${String(PER_FOLDER)} per folder, cycling through ${sets.map((set) => `**${set.name}**: ${set.about}`).join("; ")}.
Each figure is one whole process (or process tree), start-up included (${runs}):

- exifhunt: \`exifhunt scan DIR -f ndjson -q\` (every record written, default workers);
- exifr loop: \`scripts/exifr-loop.mjs DIR\` (exifr's own file reading, IFD0 and EXIF, four tags, one file after another);
- exiv2: \`find DIR -type f | xargs -n ${String(EXIV2_FILES_PER_PROCESS)} exiv2 -q -Pkv -K …\` (the same four tags);
- ExifTool: \`exiftool -fast2 -j -Make -Model -Software -DateTimeOriginal -r DIR\` (up to N = ${String(EXIFTOOL_MAX)});
- read floor: \`scripts/read-floor.mjs DIR\` (walk, then open + read 64 KiB + close each file, one thread, nothing parsed).

"CPU s" is user + system time; "MB read" is rchar from /proc (polled every 20 ms, summed over the process tree);
"peak RSS" is GNU time's maximum resident set size; "x ExifTool" is how many times faster than ExifTool, "x floor" how many times the read floor's time.

${output}

${MARKER}
`;
const previous = existsSync(DOC) ? await readFile(DOC, "utf8") : "";
const kept = previous.includes(MARKER) ? previous.slice(previous.indexOf(MARKER) + MARKER.length + 1) : "";
await writeFile(DOC, generated + kept);
console.error(`wrote ${DOC}`);
