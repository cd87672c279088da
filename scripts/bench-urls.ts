/**
 * The URL benchmark (docs/urls.md): serves ../shared/corpus from a loopback HTTP server, scans the
 * phones and cameras through it and from disk, checks that both give the same camera fields, and
 * prints how many bytes the server sent against the photos' total size. Then runs a list of
 * failing URLs (404, 500, a stalled body, no response at all, a redirect loop) through the CLI
 * with --timeout 5 and prints the wall time and each record's error.
 *
 *   npm run bench:urls        (builds first: the failing list runs the built CLI)
 */
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScanRecord } from "../src/record.js";
import { scan } from "../src/scan.js";
import { startLoopbackServer } from "../test/loopback-server.js";
import { spawnCli as runCli } from "../test/support/cli.js";

const CORPUS = fileURLToPath(new URL("../../shared/corpus/", import.meta.url));
const FOLDERS = ["phones", "cameras"];

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

async function corpusFiles(): Promise<{ relative: string; size: number }[]> {
  const files: { relative: string; size: number }[] = [];
  for (const folder of FOLDERS) {
    for (const name of (await readdir(join(CORPUS, folder))).sort()) {
      const info = await stat(join(CORPUS, folder, name));
      if (info.isFile()) files.push({ relative: `${folder}/${name}`, size: info.size });
    }
  }
  return files;
}

const server = await startLoopbackServer({ roots: { corpus: CORPUS } });
try {
  const files = await corpusFiles();
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const urlOf = (relative: string): string => `${server.origin}/files/corpus/${relative.split("/").map(encodeURIComponent).join("/")}`;

  let started = performance.now();
  const fromDisk = await scan(files.map((file) => join(CORPUS, file.relative)));
  const diskMs = performance.now() - started;

  server.reset();
  started = performance.now();
  const overHttp = await scan(files.map((file) => urlOf(file.relative)));
  const httpMs = performance.now() - started;
  const sent = server.bytesSent();
  const requests = server.log.length;

  const bySource = new Map<string, ScanRecord>(overHttp.records.map((record) => [record.source, record]));
  const mismatches: string[] = [];
  let deep = 0;
  let readByClient = 0;
  for (const file of files) {
    const disk = fromDisk.records.find((record) => record.source === join(CORPUS, file.relative));
    const http = bySource.get(urlOf(file.relative));
    if (disk === undefined || http === undefined) {
      mismatches.push(`${file.relative}: missing record (disk ${String(disk !== undefined)}, http ${String(http !== undefined)})`);
      continue;
    }
    if (http.http?.deepDownload === true) deep++;
    readByClient += http.http?.bytesRead ?? 0;
    const same = JSON.stringify(disk.camera) === JSON.stringify(http.camera) && disk.verdict === http.verdict && disk.format === http.format;
    if (!same) mismatches.push(`${file.relative}: disk ${JSON.stringify(disk.camera)} (${disk.verdict}) vs http ${JSON.stringify(http.camera)} (${http.verdict}) ${http.error?.message ?? ""}`);
  }

  console.log(`Corpus: ${String(files.length)} files in ${FOLDERS.join(" and ")}, ${mib(total)} (${String(total)} bytes)`);
  console.log(`From disk:   ${String(fromDisk.records.length)} records in ${diskMs.toFixed(0)} ms`);
  console.log(`Over HTTP:   ${String(overHttp.records.length)} records in ${httpMs.toFixed(0)} ms, ${String(requests)} requests, ${String(deep)} whole downloads for the deep pass`);
  console.log(`Camera fields identical: ${mismatches.length === 0 ? `yes, all ${String(files.length)}` : `NO, ${String(mismatches.length)} differ`}`);
  for (const line of mismatches) console.log(`  ${line}`);
  console.log(`Server sent: ${mib(sent)} (${String(sent)} bytes) = ${((100 * sent) / total).toFixed(2)}% of the photos' total size`);
  console.log(`Client read: ${mib(readByClient)} (${String(readByClient)} bytes) = ${((100 * readByClient) / total).toFixed(2)}%`);

  // The failing list, through the CLI, as a user would run it.
  const folder = await mkdtemp(join(tmpdir(), "exifhunt-bench-"));
  try {
    const list = join(folder, "failing.txt");
    const lines = [
      "# a list with failing URLs: one record each, whatever happens",
      `${server.origin}/status/404`,
      `${server.origin}/status/500`,
      "",
      `${server.origin}/stall?after=1000`,
      `${server.origin}/stall-headers`,
      `${server.origin}/loop/a`,
      urlOf("phones/sony-d6503-xperia-z2.jpg"),
    ];
    await writeFile(list, `${lines.join("\n")}\n`);
    const started = performance.now();
    const result = await runCli(["scan", "-i", list, "--timeout", "5", "--format", "ndjson", "--quiet"]);
    const seconds = (performance.now() - started) / 1000;
    const records = result.stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as ScanRecord);
    const inputs = lines.filter((line) => line !== "" && !line.startsWith("#")).length;
    console.log(`\nFailing list: ${String(inputs)} inputs -> ${String(records.length)} records, exit ${String(result.code)}, wall time ${seconds.toFixed(2)} s (--timeout 5)`);
    for (const record of records) {
      const what = record.error === null ? `${record.verdict} (${record.camera?.model ?? "no model"})` : `${record.error.code}: ${record.error.message}`;
      console.log(`  ${record.source.replace(server.origin, "")}  ->  ${what}`);
    }
    if (result.stderr !== "") console.log(result.stderr);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
} finally {
  await server.close();
}
