import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseSavedRecord, recordProblem, SavedScanError } from "../src/sources/saved.js";
import { FIXTURES, MADE_AT, runCli, sharedSkip, SHARED, withoutCommand } from "./helpers.js";

let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "exifhunt-report-"));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

const RECORD = {
  schema: 1,
  source: "a.jpg",
  kind: "file",
  bytes: 10,
  format: "jpeg",
  sha256: null,
  camera: null,
  device: null,
  verdict: "error",
  findings: [],
  error: { code: "not-found", message: "gone" },
};

describe("saved scans", () => {
  it("accepts schema-1 records, with fields a later version added", () => {
    assert.equal(recordProblem(RECORD), null);
    const parsed = parseSavedRecord(JSON.stringify({ ...RECORD, fetched: { status: 200 } }), 1, "s.ndjson");
    assert.equal(parsed.source, "a.jpg");
  });

  it("names the line and the problem of anything else", () => {
    const cases: [string, RegExp][] = [
      ["{not json", /s\.ndjson, line 7: not JSON/],
      ["[1,2]", /line 7: not a JSON object/],
      [JSON.stringify({ ...RECORD, schema: 2 }), /line 7: not a schema-1 record \(schema is 2\)/],
      [JSON.stringify({ ...RECORD, verdict: "maybe" }), /field "verdict"/],
      [JSON.stringify({ ...RECORD, camera: { make: 3 } }), /field "camera\.make"/],
      [JSON.stringify({ ...RECORD, findings: [{ code: "x", severity: "huge", message: "m" }] }), /field "findings\.0\.severity"/],
      [JSON.stringify({ ...RECORD, sidecar: "flickr" }), /field "sidecar" must be an object when present/],
      [JSON.stringify({ ...RECORD, sidecar: { file: "a.jpg.json", tool: "gallery-dl", site: "flickr", id: null, uploader: null, url: null, title: null, uploaded: 1382688842 } }), /field "sidecar\.uploaded"/],
    ];
    for (const [line, message] of cases) {
      assert.throws(() => parseSavedRecord(line, 7, "s.ndjson"), (error: unknown) => error instanceof SavedScanError && error.line === 7 && message.test(error.message), line);
    }
  });
});


/** scan --format html vs scan --format ndjson, then report: the same bytes, but for the command line. */
async function assertRebuilds(inputs: string[], format: "html" | "md", name: string): Promise<string> {
  const direct = join(work, `${name}-direct.${format}`);
  const saved = join(work, `${name}.ndjson`);
  const rebuilt = join(work, `${name}-rebuilt.${format}`);
  const scanned = await runCli(["scan", ...inputs, "--format", format, "--out", direct], { env: MADE_AT });
  assert.equal(scanned.code, 0, scanned.stderr);
  const ndjson = await runCli(["scan", ...inputs, "--format", "ndjson", "--out", saved]);
  assert.equal(ndjson.code, 0, ndjson.stderr);
  const report = await runCli(["report", saved, "--format", format, "--out", rebuilt], { env: MADE_AT });
  assert.equal(report.code, 0, report.stderr);
  const [a, b] = (await Promise.all([readFile(direct, "utf8"), readFile(rebuilt, "utf8")]));
  assert.ok(a.includes("2026-12-01 12:00:00 UTC"), "the pinned time is shown");
  assert.ok(a.includes(`exifhunt scan ${inputs.join(" ")} --format ${format} --out ${direct}`), "the scan's command is shown");
  assert.ok(b.includes(`exifhunt report ${saved} --format ${format} --out ${rebuilt}`), "the report's command is shown");
  assert.equal(withoutCommand(a), withoutCommand(b), `${format} from scan and from report differ`);
  return a;
}

describe("exifhunt report", () => {
  it("rebuilds byte for byte the HTML and Markdown that scan writes (fixtures)", async () => {
    const html = await assertRebuilds([FIXTURES], "html", "fixtures");
    // Five flagged photos: the three Sony leaks, the E9999 and the SM-S957U1, a generation past the S26.
    assert.equal((html.match(/<img src="data:image\/jpeg;base64,/g) ?? []).length, 5);
    await assertRebuilds([FIXTURES], "md", "fixtures");
  });

  it("rebuilds byte for byte the report for ../shared/scenarios", { skip: sharedSkip }, async () => {
    const html = await assertRebuilds([join(SHARED, "scenarios")], "html", "scenarios");
    const expected = JSON.parse(await readFile(join(SHARED, "scenarios/expected.json"), "utf8")) as Record<string, { leak: boolean; codes: string[] }>;
    for (const [name, { leak, codes }] of Object.entries(expected)) {
      if (!leak) continue;
      assert.ok(html.includes(`${name}</code></h3>`), `${name} has a card`);
      for (const code of codes) assert.ok(html.includes(`· ${code}</span>`), `${name}: ${code}`);
    }
  });

  it("says when a photo is no longer there or has changed since the scan", async () => {
    const folder = join(work, "moving");
    await rm(folder, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(folder));
    for (const name of ["sony-d5503-prelaunch.jpg", "sony-d6999-unknown-model.jpg", "sony-d6503-unknown-firmware.jpg"]) {
      await copyFile(join(FIXTURES, name), join(folder, name));
    }
    const saved = join(work, "moving.ndjson");
    assert.equal((await runCli(["scan", folder, "--format", "ndjson", "--out", saved])).code, 0);
    await rm(join(folder, "sony-d5503-prelaunch.jpg"));
    await writeFile(join(folder, "sony-d6999-unknown-model.jpg"), await readFile(join(FIXTURES, "sony-d6503-released.jpg")));
    const out = join(work, "moving.html");
    const report = await runCli(["report", saved, "--format", "html", "--out", out]);
    assert.equal(report.code, 0, report.stderr);
    const html = await readFile(out, "utf8");
    assert.match(html, /no longer reachable: the file is gone/);
    assert.match(html, /changed since the scan: its SHA-256 is now [0-9a-f]{64}/);
    assert.match(html, /2 flagged photos could not be shown with their evidence/);
    assert.equal((html.match(/<img src="data:/g) ?? []).length, 1);
  });

  it("stops on a line that is not a record, naming it, and writes nothing", async () => {
    const saved = join(work, "bad.ndjson");
    await writeFile(saved, `${JSON.stringify(RECORD)}\n\n{"schema":1,"source":"b.jpg"}\n`);
    const out = join(work, "bad.html");
    const report = await runCli(["report", saved, "--format", "html", "--out", out]);
    assert.equal(report.code, 2);
    assert.match(report.stderr, /bad\.ndjson, line 3: field "kind" is missing or has the wrong type/);
    assert.equal(existsSync(out), false);
  });

  it("says when the saved scan does not exist", async () => {
    const report = await runCli(["report", join(work, "nope.ndjson"), "--format", "md"]);
    assert.equal(report.code, 2);
    assert.match(report.stderr, /nope\.ndjson: cannot be read \(no such file\)/);
  });

  it("reads a saved scan from standard input", async () => {
    const ndjson = await runCli(["scan", join(FIXTURES, "sony-d5503-prelaunch.jpg"), "--format", "ndjson"]);
    const report = await runCli(["report", "-", "--format", "md"], { input: ndjson.stdout });
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /^## Sony Xperia Z1 Compact: leak$/m);
    assert.match(report.stdout, /\*\*Pre-launch firmware\*\*/);
  });
});
