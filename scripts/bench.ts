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
  const runs = [
    await measure("exifhunt", ["node", "dist/cli.js", "scan", dir, "-f", "ndjson", "-q"], size),
    await measure("ExifTool -fast2", ["exiftool", "-fast2", "-j", "-Make", "-Model", "-Software", "-DateTimeOriginal", "-r", dir], size),
    await measure("exifr loop", ["node", "scripts/exifr-loop.mjs", dir], size),
  ];
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
Each figure is one whole process, start-up included: \`exifhunt scan DIR -f ndjson -q\` (every record written),
\`exiftool -fast2 -j -Make -Model -Software -DateTimeOriginal -r DIR\`, and \`scripts/exifr-loop.mjs\` (exifr's own file reading, same four tags, one file after another).
"MB read" is the process's rchar from /proc (polled every 20 ms); "peak RSS" is GNU time's maximum resident set size.

${output}
`,
);
