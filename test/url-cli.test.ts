/**
 * `exifhunt scan` with URLs and input lists, run as a user runs it (the built CLI), against a
 * loopback server.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { parseByteCount, parseInputLine } from "../src/sources/index.js";
import { FIXTURES, parseNdjson, runCli } from "./helpers.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

let server: LoopbackServer;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "exifhunt-url-cli-"));
  server = await startLoopbackServer({ roots: { fixtures: FIXTURES } });
});

after(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("input lists", () => {
  it("ignore blank lines and # comments, and trim", () => {
    assert.equal(parseInputLine(""), null);
    assert.equal(parseInputLine("   "), null);
    assert.equal(parseInputLine("# photos from the forum thread"), null);
    assert.equal(parseInputLine("  # indented comment"), null);
    assert.equal(parseInputLine("  https://example.com/a.jpg \r"), "https://example.com/a.jpg");
    assert.equal(parseInputLine("photos/a#1.jpg"), "photos/a#1.jpg");
  });

  it("give one record per line, mixing URLs, files and failures", async () => {
    const lines = [
      "# leak hunt, thread 42",
      `${server.origin}/files/fixtures/sony-d6503-released.jpg`,
      "",
      join(FIXTURES, "sony-d5503-prelaunch.jpg"),
      `${server.origin}/status/404`,
      join(scratch, "missing.jpg"),
      `${server.origin}/files/fixtures/sony-d6503-released.jpg`,
    ];
    const list = join(scratch, "list.txt");
    await writeFile(list, lines.join("\n"));
    const result = await runCli(["scan", "-i", list, "--format", "ndjson", "--quiet"]);
    assert.equal(result.code, 3, "a 404 and a missing file are named inputs not read");
    // Said on stderr even with --quiet, one line each.
    assert.match(result.stderr, /^exifhunt: .*\/status\/404: .*404/m);
    assert.match(result.stderr, /^exifhunt: .*missing\.jpg: no such file or folder$/m);
    const records = parseNdjson<ScanRecord>(result.stdout);
    const named = lines.filter((line) => line !== "" && !line.startsWith("#"));
    assert.deepEqual(records.map((r) => r.source).sort(), [...named].sort(), "the same URL twice is two records");
    const bySource = (source: string) => records.find((r) => r.source === source);
    assert.equal(bySource(named[0] ?? "")?.kind, "url");
    assert.equal(bySource(named[1] ?? "")?.kind, "file");
    assert.equal(bySource(named[1] ?? "")?.http, null);
    assert.equal(bySource(named[2] ?? "")?.error?.code, "http-status");
    assert.equal(bySource(named[3] ?? "")?.error?.code, "not-found");
  });

  it("read standard input with -i -, after the inputs named on the command line", async () => {
    const stdin = `${server.origin}/files/fixtures/stripped.jpg\n# done\n`;
    const result = await runCli(["scan", join(FIXTURES, "sony-d6503-released.jpg"), "-i", "-", "--format", "ndjson", "--quiet"], { input: stdin });
    assert.equal(result.code, 0, result.stderr);
    const records = parseNdjson<ScanRecord>(result.stdout);
    assert.deepEqual(records.map((r) => r.kind).sort(), ["file", "url"]);
  });

  it("fail before scanning when a list cannot be read", async () => {
    const result = await runCli(["scan", "-i", join(scratch, "no-such-list.txt")]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the input list .*no-such-list\.txt: no such file/);
  });
});

describe("URL options", () => {
  it("--max-bytes bounds what is asked of the server", async () => {
    server.reset();
    const result = await runCli(["scan", `${server.origin}/files/fixtures/sony-d6503-released.jpg?pad=4000000`, "--max-bytes", "16K", "--format", "ndjson", "--quiet"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(server.log[0]?.range, "bytes=0-16383");
    assert.ok(server.bytesSent() <= 16 * 1024);
  });

  it("--timeout bounds a stalled body", async () => {
    const result = await runCli(["scan", `${server.origin}/stall?after=10`, "--timeout", "0.5", "--format", "ndjson", "--quiet"]);
    assert.equal(result.code, 3, result.stderr);
    const [record] = parseNdjson<ScanRecord>(result.stdout);
    assert.equal(record?.error?.code, "timeout");
    assert.match(record.error.message, /^no data for 0\.5 s/);
  });

  it("reject bad values with exit code 2", async () => {
    for (const args of [["--timeout", "0"], ["--timeout", "soon"], ["--max-bytes", "12X"], ["--max-bytes", "0"], ["--per-host", "0"]]) {
      const result = await runCli(["scan", "photo.jpg", ...args]);
      assert.equal(result.code, 2, args.join(" "));
    }
  });

  it("parse byte counts in binary multiples", () => {
    assert.equal(parseByteCount("65536"), 65536);
    assert.equal(parseByteCount("512K"), 512 * 1024);
    assert.equal(parseByteCount("4M"), 4 * 1024 * 1024);
    assert.equal(parseByteCount("4MiB"), 4 * 1024 * 1024);
    assert.equal(parseByteCount("1g"), 1024 ** 3);
    assert.equal(parseByteCount("4.5M"), null);
    assert.equal(parseByteCount("lots"), null);
  });

  it("ask for something to scan when given nothing", async () => {
    const result = await runCli(["scan"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--input-file/);
  });
});
