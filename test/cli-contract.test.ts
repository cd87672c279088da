/**
 * The CLI contract automation relies on (README "Exit codes", issue 16), through the real CLI:
 * in-process main() for most, the built binary (spawnCli) at least once per exit code.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { EventEmitter } from "node:events";
import { createWriteStream } from "node:fs";
import { link, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { main } from "../src/cli/main.js";
import type { ScanRecord } from "../src/record.js";
import { CLI, FIXTURES, parseNdjson, runCli, spawnCli, tempDir } from "./helpers.js";

const LEAK = `${FIXTURES}sony-d5503-prelaunch.jpg`;
const KNOWN = `${FIXTURES}sony-d6503-released.jpg`;

/** No stack trace, one sentence: the whole of stderr is one line starting with "exifhunt: ". */
function assertOneSentence(stderr: string): void {
  assert.match(stderr, /^exifhunt: [^\n]+\n$/, stderr);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

async function snapshot(path: string): Promise<{ bytes: Buffer; mtimeMs: number; size: number }> {
  const info = await stat(path);
  return { bytes: await readFile(path), mtimeMs: info.mtimeMs, size: info.size };
}

describe("exit codes (the built binary, one run per code)", () => {
  it("0: the scan completed, every named input was read, nothing matched --fail-on", async () => {
    const result = await spawnCli(["scan", KNOWN, "-f", "ndjson", "--fail-on", "leak", "--quiet"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
    assert.equal(parseNdjson<ScanRecord>(result.stdout)[0]?.verdict, "known");
  });

  it("1: --fail-on matched, and 1 wins over 3 (an input missing as well)", async () => {
    const result = await spawnCli(["scan", LEAK, join(FIXTURES, "no-such.jpg"), "-f", "ndjson", "--fail-on", "leak", "--quiet"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^exifhunt: .*no-such\.jpg: no such file or folder$/m);
  });

  it("2: a usage error, as one sentence", async () => {
    const result = await spawnCli(["scan", KNOWN, "--out", join(await tempDir(), "report.txt")]);
    assert.equal(result.code, 2);
    assertOneSentence(result.stderr);
  });

  it("3: scan /nonexistent --fail-on leak -q says so on stderr even with --quiet", async () => {
    const result = await spawnCli(["scan", "/nonexistent", "--fail-on", "leak", "-q"]);
    assert.equal(result.code, 3);
    assert.equal(result.stderr, "exifhunt: /nonexistent: no such file or folder\n");
    const [record] = parseNdjson<ScanRecord>(result.stdout);
    assert.equal(record?.source, "/nonexistent");
    assert.equal(record.error?.code, "not-found");
  });

  it("3 for a named non-image and a named unreadable URL-less path, 0 for the same files met in a folder", async () => {
    const named = await runCli(["scan", `${FIXTURES}notes.txt`, "-f", "ndjson", "-q"]);
    assert.equal(named.code, 3);
    assert.match(named.stderr, /notes\.txt: not an image/);
    // Non-images met while walking a folder are skipped and counted, not errors of a named input.
    const walked = await runCli(["scan", FIXTURES, "-f", "ndjson", "-q"]);
    assert.equal(walked.code, 0, walked.stderr);
  });
});

describe("output errors: exit 2, one sentence, the previous file as it was", () => {
  it("--out naming a folder, a missing folder, and -i naming a folder", async () => {
    const dir = await tempDir();
    const folder = await runCli(["scan", KNOWN, "--out", dir]);
    assert.equal(folder.code, 2);
    assertOneSentence(folder.stderr);
    assert.match(folder.stderr, /it is a folder; name a file in it/);

    const missing = await runCli(["scan", KNOWN, "--out", "/missing/dir/x.html"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, "exifhunt: cannot write /missing/dir/x.html: the folder /missing/dir does not exist\n");

    const list = await runCli(["scan", "-i", dir]);
    assert.equal(list.code, 2);
    assertOneSentence(list.stderr);
    assert.match(list.stderr, /cannot read the input list .*: it is a folder/);
  });

  it("takes the format from --format, else a known extension, else refuses naming the known ones", async () => {
    const dir = await tempDir();
    const htm = await runCli(["scan", KNOWN, "--out", join(dir, "report.htm")]);
    assert.equal(htm.code, 0, htm.stderr);
    assert.match(await readFile(join(dir, "report.htm"), "utf8"), /^<!doctype html>/i);
    for (const name of ["report.txt", "report"]) {
      const result = await runCli(["scan", KNOWN, "--out", join(dir, name)]);
      assert.equal(result.code, 2, name);
      assertOneSentence(result.stderr);
      assert.match(result.stderr, /\.json, \.ndjson, \.jsonl, \.csv, \.html, \.htm, \.md, \.markdown, or give --format/);
    }
    const forced = await runCli(["scan", KNOWN, "--out", join(dir, "report.txt"), "--format", "ndjson"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(parseNdjson<ScanRecord>(await readFile(join(dir, "report.txt"), "utf8")).length, 1);
    assert.deepEqual((await readdir(dir)).sort(), ["report.htm", "report.txt"], "nothing else was created");
  });

  it("refuses --out naming an input, by name, symbolic link, hard link or as a photo in a scanned folder; the input untouched", async () => {
    const dir = await tempDir();
    const photo = join(dir, "photo.jpg");
    await writeFile(photo, await readFile(LEAK));
    await symlink(photo, join(dir, "alias.json"));
    await link(photo, join(dir, "hard.ndjson"));
    const before = await snapshot(photo);
    for (const args of [
      ["scan", photo, "-o", photo, "--format", "json"],
      ["scan", photo, "-o", photo, "--format", "ndjson"],
      ["scan", photo, "-o", join(dir, "alias.json")],
      ["scan", photo, "-o", join(dir, "hard.ndjson")],
      ["scan", dir, "-o", photo, "--format", "csv"],
    ]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(" "));
      assertOneSentence(result.stderr);
      assert.match(result.stderr, /writing the report would destroy it; name another file/);
      assert.deepEqual(await snapshot(photo), before, args.join(" "));
    }
    // Input lists are checked as they are read, before anything is written.
    const list = join(dir, "list.txt");
    await writeFile(list, `${photo}\n`);
    const fromList = await runCli(["scan", "-i", list, "-o", photo, "--format", "json"]);
    assert.equal(fromList.code, 2);
    assert.deepEqual(await snapshot(photo), before);
    // Nor may the report replace the input list it reads.
    const listBefore = await snapshot(list);
    const overList = await runCli(["scan", "-i", list, "-o", list, "--format", "ndjson"]);
    assert.equal(overList.code, 2);
    assertOneSentence(overList.stderr);
    assert.deepEqual(await snapshot(list), listBefore);
    assert.deepEqual((await readdir(dir)).sort(), ["alias.json", "hard.ndjson", "list.txt", "photo.jpg"], "no temp file left");
  });

  it("replaces a symbolic link planted at --out instead of writing through it", async () => {
    const dir = await tempDir();
    const victim = join(dir, "victim.txt");
    await writeFile(victim, "precious\n");
    await symlink(victim, join(dir, "report.json"));
    const result = await runCli(["scan", KNOWN, "-o", join(dir, "report.json")]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await readFile(victim, "utf8"), "precious\n");
    assert.ok((await stat(join(dir, "report.json"))).isFile());
    assert.equal((JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as unknown[]).length, 1);
  });

  it("writes NDJSON to a file through a temp file renamed at the end, keeping the file's permissions", async () => {
    const dir = await tempDir();
    const out = join(dir, "leaks.ndjson");
    await writeFile(out, "yesterday\n", { mode: 0o640 });
    const result = await runCli(["scan", LEAK, KNOWN, "-o", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseNdjson<ScanRecord>(await readFile(out, "utf8")).length, 2);
    assert.equal((await stat(out)).mode & 0o777, 0o640);
    assert.deepEqual(await readdir(dir), ["leaks.ndjson"]);
  });

  it("a standard output that cannot be written (/dev/full) is exit 2 with a sentence", async () => {
    const stderr = new PassThrough();
    let text = "";
    stderr.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    const stdout = createWriteStream("/dev/full");
    const code = await main(["scan", FIXTURES, "-f", "ndjson"], { stdout, stderr, stdin: new PassThrough(), env: process.env, cwd: process.cwd(), signals: new EventEmitter() });
    assert.equal(code, 2);
    assert.equal(text, "exifhunt: cannot write to standard output: no space left on the device (ENOSPC)\n");
    // And the binary, its stdout on /dev/full.
    const spawned = spawnSync(`${process.execPath} ${CLI} scan ${FIXTURES} -f json >/dev/full`, { shell: true, encoding: "utf8" });
    assert.equal(spawned.status, 2, spawned.stderr);
    assertOneSentence(spawned.stderr);
  });
});

describe("exifhunt report reads what scan writes", () => {
  it("NDJSON and a JSON array alike, from a file or standard input, to the same report", async () => {
    const dir = await tempDir();
    const ndjson = join(dir, "scan.ndjson");
    const json = join(dir, "scan.json");
    assert.equal((await runCli(["scan", FIXTURES, "-o", ndjson])).code, 0);
    assert.equal((await runCli(["scan", FIXTURES, "-o", json])).code, 0);
    // The reports name their own command line (provenance); the time is pinned.
    const env = { SOURCE_DATE_EPOCH: "1796126400" };
    const withoutCommand = (text: string): string => text.replace(/^- Command: .*$/m, "");
    const fromNdjson = await runCli(["report", ndjson, "-f", "md"], { env });
    const fromJson = await runCli(["report", json, "-f", "md"], { env });
    const fromStdin = await runCli(["report", "-", "-f", "md"], { input: await readFile(json), env });
    assert.equal(fromNdjson.code, 0, fromNdjson.stderr);
    assert.equal(fromJson.code, 0, fromJson.stderr);
    assert.match(fromJson.stdout, /Photos scanned: 15/);
    assert.equal(withoutCommand(fromJson.stdout).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "T"), withoutCommand(fromNdjson.stdout).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "T"));
    assert.equal(withoutCommand(fromStdin.stdout), withoutCommand(fromJson.stdout));
    await writeFile(join(dir, "bad.json"), '[{"schema": 1}]');
    const bad = await runCli(["report", join(dir, "bad.json")]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json, record 1: /);
  });
});

describe("scan - (a photo on standard input)", () => {
  it("reads one photo from standard input, in-process and through a real pipe", async () => {
    const bytes = await readFile(LEAK);
    const inProcess = await runCli(["scan", "-", "-f", "ndjson"], { input: bytes });
    const spawned = await spawnCli(["scan", "-", "-f", "ndjson"], { input: bytes });
    for (const result of [inProcess, spawned]) {
      assert.equal(result.code, 0, result.stderr);
      const [record] = parseNdjson<ScanRecord>(result.stdout);
      assert.equal(record?.source, "-");
      assert.equal(record.verdict, "leak");
      assert.equal(record.camera?.model, "D5503");
    }
    const notPhoto = await runCli(["scan", "-", "-f", "ndjson"], { input: "hello\n" });
    assert.equal(notPhoto.code, 3);
    const twice = await runCli(["scan", "-", "-i", "-"]);
    assert.equal(twice.code, 2);
    assertOneSentence(twice.stderr);
  });
});

describe("--only", () => {
  it("filters every format; --fail-on and the summary still count every photo", async () => {
    const ndjson = await runCli(["scan", FIXTURES, "-f", "ndjson", "--only", "leak,suspicious", "--fail-on", "leak"]);
    assert.equal(ndjson.code, 1);
    const verdicts = new Set(parseNdjson<ScanRecord>(ndjson.stdout).map((r) => r.verdict));
    assert.deepEqual([...verdicts], ["leak"]);
    const json = await runCli(["scan", FIXTURES, "-f", "json", "--only", "known"]);
    assert.deepEqual((JSON.parse(json.stdout) as ScanRecord[]).map((r) => r.verdict), ["known"]);
    const csv = await runCli(["scan", FIXTURES, "-f", "csv", "--only", "no-metadata"]);
    assert.equal(csv.stdout.trimEnd().split("\r\n").length, 5, "header and the four no-metadata photos");
    const table = await runCli(["scan", FIXTURES, "-f", "table", "--only", "leak"]);
    // Five leaks: the three Sony scenarios, the E9999 and the SM-S957U1, a generation past the Galaxy S26.
    assert.equal(table.stdout.split("\n").filter((line) => /^(leak|known|unregistered|no-metadata)\s/.test(line)).length, 5);
    assert.match(table.stdout, /15 photos: 5 leak, 5 unregistered, 1 known, 4 no-metadata/);
    const md = await runCli(["scan", FIXTURES, "-f", "md", "--only", "leak"]);
    assert.match(md.stdout, /Photos scanned: 5/);
    const bad = await runCli(["scan", FIXTURES, "--only", "leaks"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"leaks" is not a verdict; name verdicts separated by commas, from: leak, suspicious, unregistered, known, no-metadata, error/);
  });
});

describe("help", () => {
  it("documents the exit codes", async () => {
    const help = await runCli(["scan", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes:\n\s+0 .*\n\s+1 .*--fail-on matched.*\n\s+2 .*\n\s+3 .*named input could not be read/);
  });
});

describe("URLs exifhunt does not read, and TLS failures, in one sentence", () => {
  it("names unsupported schemes and malformed URLs as such (bad-url), exit 3", async () => {
    const result = await runCli(["scan", "ftp://photos.example/a.jpg", "http:/photos.example/a.jpg", "sftp://photos.example/b.jpg", "-f", "ndjson"]);
    assert.equal(result.code, 3);
    const records = parseNdjson<ScanRecord>(result.stdout);
    assert.deepEqual(records.map((r) => r.error?.code), ["bad-url", "bad-url", "bad-url"]);
    assert.match(result.stderr, /^exifhunt: ftp:\/\/photos\.example\/a\.jpg: ftp:\/\/ URLs are not read; exifhunt reads files, folders and http:\/\/ or https:\/\/ URLs$/m);
    assert.match(result.stderr, /^exifhunt: http:\/photos\.example\/a\.jpg is not a valid URL: http: and https: are followed by \/\/$/m);
    assert.doesNotMatch(result.stderr, /no such file/);
  });

  it("https:// to a plain-HTTP port: one readable sentence, no OpenSSL text or control character", async (t) => {
    const server = createServer((_request, response) => response.end("plain"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    t.after(() => server.close());
    const { port } = server.address() as AddressInfo;
    const result = await runCli(["scan", `https://127.0.0.1:${String(port)}/a.jpg`, "-f", "ndjson"]);
    assert.equal(result.code, 3);
    const [record] = parseNdjson<ScanRecord>(result.stdout);
    assert.equal(record?.error?.code, "network-error");
    assert.match(record.error.message, /^127\.0\.0\.1:\d+ did not answer in TLS: it may serve plain http:\/\/, not https:\/\/ \((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\)$/);
    assertOneSentence(result.stderr);
  });
});
