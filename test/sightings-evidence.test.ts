/**
 * Issue 18's evidence: an unknown model linked to the known device whose firmware it runs
 * (analyze/firmware-link.ts), a photo site's upload date from a gallery-dl sidecar
 * (sources/sidecar.ts, analyze/published.ts), and `exifhunt sightings` over real scans.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { analyze } from "../src/analyze/index.js";
import { cameraSample } from "../src/extract/sample.js";
import type { ScanRecord, SidecarEvidence } from "../src/record.js";
import { loadRegistry } from "../src/registry/index.js";
import type { Sighting } from "../src/sightings/index.js";
import { expandInputs } from "../src/sources/index.js";
import { parseGalleryDlSidecar, readSidecar, uploadTime } from "../src/sources/sidecar.js";
import { FIXTURES, parseNdjson, runCli, SHARED, sharedSkip, tempDir } from "./helpers.js";
import { startLoopbackServer } from "./loopback-server.js";

const registry = await loadRegistry();

/** A sidecar as gallery-dl 1.x writes it for a Flickr photo with --write-metadata (fields trimmed). */
function flickrSidecar(date: string): string {
  return JSON.stringify({
    category: "flickr",
    subcategory: "user",
    id: 10484738726,
    title: "testing the new camera",
    date,
    owner: { nsid: "12345678@N00", username: "leakhunter", realname: "A Leaker" },
    url: "https://live.staticflickr.com/5521/10484738726_0123456789_o.jpg",
    extension: "jpg",
  }, null, 4);
}

describe("firmware link of unknown models", () => {
  it("names the Xperia Z5 Compact for an unknown E9999 on its public build 32.1.A.1.185", () => {
    const sample = cameraSample({ make: "Sony", model: "E9999", software: "32.1.A.1.185", captured: "2016-02-20T11:30:00" });
    const analysis = analyze(sample, registry);
    const link = analysis.findings.find((finding) => finding.code === "firmware-of-known-device");
    assert.equal(link?.severity, "low");
    assert.match(link.message, /^firmware 32\.1\.A\.1\.185 is a public build of Xperia Z5 Compact \(software line 32, which Xperia Z5 and Xperia Z5 Premium also run\)/);
    assert.equal(analysis.verdict, "leak");
  });

  it("names the family of a build no device lists, by its software line, and nothing for a line nobody runs", () => {
    const line = analyze(cameraSample({ make: "Sony", model: "E9998", software: "32.9.A.0.1" }), registry).findings.find((f) => f.code === "firmware-of-known-device");
    assert.match(line?.message ?? "", /^firmware 32\.9\.A\.0\.1 is on software line 32, the line of Xperia Z5, Xperia Z5 Compact and Xperia Z5 Premium/);
    const none = analyze(cameraSample({ make: "Sony", model: "E9998", software: "99.1.A.0.1" }), registry).findings.map((f) => f.code);
    assert.ok(!none.includes("firmware-of-known-device"), none.join());
    // A known device's own firmware is judged by the firmware rule, never linked.
    const known = analyze(cameraSample({ make: "Sony", model: "E5823", software: "32.1.A.1.185", captured: "2016-04-01T10:00:00" }), registry);
    assert.deepEqual(known.findings.map((f) => f.code), []);
    assert.equal(known.verdict, "known");
  });
});

describe("gallery-dl sidecars", () => {
  it("reads the site, id, uploader, URL, title and the upload time in UTC", () => {
    const evidence = parseGalleryDlSidecar(flickrSidecar("2013-10-25 08:14:02"), "a.jpg.json");
    assert.deepEqual(evidence, {
      file: "a.jpg.json",
      tool: "gallery-dl",
      site: "flickr",
      id: "10484738726",
      uploader: "leakhunter",
      url: "https://live.staticflickr.com/5521/10484738726_0123456789_o.jpg",
      title: "testing the new camera",
      uploaded: "2013-10-25T08:14:02Z",
    });
    assert.equal(uploadTime(1382688842), "2013-10-25T08:14:02Z");
    assert.equal(uploadTime("2013-10-25T08:14:02+00:00"), "2013-10-25T08:14:02Z");
    assert.equal(uploadTime("2013-10-25 08:14:02+02:00"), null);
  });

  it("keeps a broken sidecar as evidence with a problem, never a date", () => {
    assert.equal(parseGalleryDlSidecar("{not json", "x.json").problem, "the sidecar is not JSON");
    assert.equal(parseGalleryDlSidecar("[1]", "x.json").problem, "the sidecar is not a JSON object");
    const undated = parseGalleryDlSidecar(JSON.stringify({ category: "flickr", date: "yesterday" }), "x.json");
    assert.equal(undated.uploaded, null);
    assert.equal(undated.problem, "the sidecar's date cannot be read");
  });

  it("finds nothing beside a photo without a sidecar, and never blocks on a FIFO named like one", async () => {
    const dir = await tempDir();
    assert.equal(readSidecar(join(dir, "a.jpg")), null);
    execFileSync("mkfifo", [join(dir, "b.jpg.json")]);
    assert.equal(readSidecar(join(dir, "b.jpg")), null);
  });

  it("knows from a folder's names which photos have a sidecar, so the others are not looked for", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.jpg"), "x");
    await writeFile(join(dir, "a.jpg.json"), flickrSidecar("2013-10-25 08:14:02"));
    await writeFile(join(dir, "b.jpg"), "x");
    const sources = [];
    for await (const source of expandInputs([dir])) sources.push(source);
    // The sidecar is the photo's evidence, not a file of its own to walk.
    assert.deepEqual(sources.map((source) => [source.id.slice(dir.length + 1), source.hasSidecar]), [["a.jpg", true], ["b.jpg", false]]);
    // Written after the walk: the walk said none, so none is read (one open spared per photo).
    await writeFile(join(dir, "b.jpg.json"), flickrSidecar("2013-10-25 08:14:02"));
    assert.equal(sources[1]?.sidecar?.(), null);
    assert.equal(sources[0]?.sidecar?.()?.uploaded, "2013-10-25T08:14:02Z");
    // A file named on the command line is looked for.
    for await (const named of expandInputs([join(dir, "b.jpg")])) {
      assert.equal(named.hasSidecar, undefined);
      assert.equal(named.sidecar?.()?.site, "flickr");
    }
  });

  it("turns an upload before the announcement into a finding that says what the date is and where it came from", () => {
    const sidecar: SidecarEvidence = parseGalleryDlSidecar(flickrSidecar("2013-10-25 08:14:02"), "dl/a.jpg.json");
    const sample = cameraSample({ make: "Sony", model: "D5503", software: "14.2.A.1.114", captured: "2013-10-22T14:05:11" });
    const finding = analyze(sample, registry, { sidecar }).findings.find((f) => f.code === "uploaded-before-announcement");
    assert.equal(finding?.severity, "high");
    assert.equal(
      finding.message,
      "uploaded to Flickr on 2013-10-25 08:14:02 UTC (the upload time Flickr gives, saved by gallery-dl in dl/a.jpg.json), 73 days before Xperia Z1 Compact was announced (2014-01-06): the photo was public before the announcement; a day of tolerance was allowed for time zones",
    );
    const after = parseGalleryDlSidecar(flickrSidecar("2014-03-01 10:00:00"), "b.json");
    assert.deepEqual(analyze(cameraSample({ make: "Sony", model: "D5503", software: "14.2.A.1.114", captured: "2014-02-27T10:00:00" }), registry, { sidecar: after }).findings, []);
    const early = parseGalleryDlSidecar(flickrSidecar("2013-01-01 10:00:00"), "c.json");
    const doubt = analyze(sample, registry, { sidecar: early }).findings.find((f) => f.code === "date-inconsistent");
    assert.match(doubt?.message ?? "", /^uploaded to Flickr on 2013-01-01 10:00:00 UTC .* 294 days before the photo was shot/);
  });

  it("carries the sidecar and its finding into the scan's NDJSON record", async () => {
    const dir = await tempDir();
    const photo = join(dir, "10484738726_0123456789_o.jpg");
    await copyFile(`${FIXTURES}sony-d5503-prelaunch.jpg`, photo);
    await writeFile(`${photo}.json`, flickrSidecar("2013-10-25 08:14:02"));
    await copyFile(`${FIXTURES}sony-d6503-released.jpg`, join(dir, "plain.jpg"));
    const result = await runCli(["scan", dir, "--format", "ndjson", "--stats"]);
    assert.equal(result.code, 0, result.stderr);
    const records = parseNdjson<ScanRecord>(result.stdout);
    // The sidecar is the photo's evidence: neither a record nor a file skipped.
    assert.equal(records.length, 2);
    assert.equal((JSON.parse(result.stderr) as { skipped: number }).skipped, 0);
    const leak = records.find((record) => record.source === photo);
    assert.equal(leak?.sidecar?.uploaded, "2013-10-25T08:14:02Z");
    assert.equal(leak.sidecar.file, `${photo}.json`);
    assert.ok(leak.findings.some((f) => f.code === "uploaded-before-announcement"));
    // A photo with no sidecar keeps the record's shape: no key at all.
    assert.ok(!Object.hasOwn(records.find((record) => record.source.endsWith("plain.jpg")) ?? {}, "sidecar"));
    // The Markdown report carries the upload date as the photo's publication evidence.
    const md = await runCli(["scan", dir, "--format", "md"]);
    assert.match(md.stdout, /^First published: uploaded to Flickr by leakhunter on 2013-10-25 08:14:02 UTC \(the site's upload date, from .*\.jpg\.json\)\.$/m);
    assert.match(md.stdout, /; published: uploaded to Flickr by leakhunter on 2013-10-25 08:14:02 UTC/);
  });
});

describe("scan's table", () => {
  it("ends with the sightings, after the summary", async () => {
    const result = await runCli(["scan", "fixtures", "--format", "table"], { env: { COLUMNS: "250" } });
    assert.equal(result.code, 0, result.stderr);
    const [rows = "", sightings = ""] = result.stdout.split("\nSIGHTINGS\n");
    assert.match(rows, /\n\d+ photos: 5 leak, .*\n$/);
    assert.match(sightings, /^\nSony Xperia Z1 Compact: 1 photo, 1 leak\n/);
    assert.match(sightings, /Sony E9999 \(unknown model\): 1 photo, 1 leak\n[^]*family: +firmware 32\.1\.A\.1\.185 is a public build of Xperia Z5 Compact/);
    // Sightings with nothing flagged get one line each, at the end.
    const last = sightings.trimEnd().split("\n\n").at(-1)?.split("\n") ?? [];
    assert.ok(last.includes("SONY CYBERSHOT (unregistered): 1 photo, 1 unregistered"), last.join("\n"));
    assert.ok(last.length >= 4 && last.every((line) => /^\S.* \(unregistered\): \d+ photos?, \d+ unregistered$/.test(line)), last.join("\n"));
  });
});

describe("exifhunt sightings", { skip: sharedSkip }, () => {
  it("shows the Xperia Z1 Compact sighting of the staged scenarios, and E9999 on the Z5 Compact's software", async () => {
    const dir = await tempDir();
    const saved = join(dir, "scan.ndjson");
    const scan = await runCli(["scan", `${SHARED}scenarios`, "fixtures", "--format", "ndjson", "--out", saved]);
    assert.equal(scan.code, 0, scan.stderr);
    const table = await runCli(["sightings", saved, "--format", "table"]);
    assert.equal(table.code, 0, table.stderr);
    const block = table.stdout.split("\n\n").find((part) => part.startsWith("Sony Xperia Z1 Compact:")) ?? "";
    assert.match(block, /^Sony Xperia Z1 Compact: 2 photos, 2 leak$/m);
    assert.match(block, /builds: +14\.2\.A\.0\.204 \(2 photos\)/);
    assert.match(block, /first capture: +2013-10-22 14:05:11/);
    assert.match(block, /fixtures\/sony-d5503-prelaunch\.jpg/);
    assert.match(block, /scenarios\/sony-d5503-prelaunch\.jpg/);
    assert.match(table.stdout, /Sony E9999 \(unknown model\)[^]*family: +firmware 32\.1\.A\.1\.185 is a public build of Xperia Z5 Compact/);

    const ndjson = await runCli(["sightings", saved, "--format", "ndjson"]);
    const sightings = parseNdjson<Sighting>(ndjson.stdout);
    const z1c = sightings.find((sighting) => sighting.name === "Xperia Z1 Compact");
    assert.equal(z1c?.photos, 2);
    assert.equal(z1c.firstCapture?.captured, "2013-10-22T14:05:11");
    assert.deepEqual(sightings[0]?.worst, "leak");
    const e9999 = sightings.find((sighting) => sighting.name === "E9999");
    assert.deepEqual(e9999?.family[0]?.sameBuild, ["Xperia Z5 Compact"]);

    const json = await runCli(["sightings", saved, saved, "--format", "json"]);
    const document = JSON.parse(json.stdout) as { records: number; sightings: Sighting[] };
    // The same scan twice: every photo found twice over is still one photo, in two copies where
    // the deep pass hashed it (flagged photos), so the flagged counts do not double.
    assert.equal(document.sightings.find((sighting) => sighting.name === "Xperia Z1 Compact")?.photos, 2);
    assert.equal(document.sightings.find((sighting) => sighting.name === "Xperia Z1 Compact")?.copies, 4);
  });

  it("exits 2 with one sentence for a missing or broken saved scan", async () => {
    const missing = await runCli(["sightings", "no-such-scan.ndjson"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^exifhunt: no-such-scan\.ndjson: cannot be read \(no such file\)\n$/);
  });
});

describe("reports of URL photos", () => {
  it("show the thumbnail, fetched again, and the Last-Modified, from a saved scan too", async () => {
    const server = await startLoopbackServer({ roots: { fixtures: FIXTURES } });
    try {
      const dir = await tempDir();
      const url = `${server.origin}/files/fixtures/sony-d5503-prelaunch.jpg?lm=2013-10-25`;
      const saved = join(dir, "scan.ndjson");
      assert.equal((await runCli(["scan", url, "--format", "ndjson", "--out", saved])).code, 0);
      const [record] = parseNdjson<ScanRecord>(await readFile(saved, "utf8"));
      assert.ok(record?.findings.some((f) => f.code === "published-before-announcement"));
      const html = join(dir, "report.html");
      const md = join(dir, "report.md");
      server.reset();
      assert.equal((await runCli(["report", saved, "--out", html])).code, 0);
      assert.equal((await runCli(["report", saved, "--out", md])).code, 0);
      // The HTML report fetched the photo again (the Markdown one reads nothing).
      assert.ok(server.log.some((entry) => entry.path.startsWith("/files/")));
      const page = await readFile(html, "utf8");
      assert.match(page, /<img src="data:image\/jpeg;base64,/);
      assert.match(page, /answered HTTP 206, Content-Type image\/jpeg, Last-Modified Fri, 25 Oct 2013 12:00:00 GMT/);
      assert.match(page, /fetched again for this report at /);
      assert.match(page, /<dt>First published<\/dt><dd>served with Last-Modified 2013-10-25 12:00:00 UTC by http:\/\/127\.0\.0\.1:\d+\/files\//);
      const text = await readFile(md, "utf8");
      assert.match(text, /answered HTTP 206, Content-Type image\/jpeg, Last-Modified Fri, 25 Oct 2013 12:00:00 GMT/);
    } finally {
      await server.close();
    }
  });
});
