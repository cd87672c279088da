/**
 * The sightings module (src/sightings/) with inline records: grouping by device, copies merged by
 * SHA-256, first capture and first publication, any record kind, order independence, and the
 * firmware link of an unknown model to the bundled registry's devices.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { describe, it } from "node:test";
import { recordHasher } from "../src/photo-evidence.js";
import { cameraSample } from "../src/extract/sample.js";
import { emptyRecord, type DeviceSummary, type ScanRecord, type SourceKind, type Verdict } from "../src/record.js";
import { loadRegistry } from "../src/registry/index.js";
import { renderSightingsText } from "../src/report/sightings.js";
import { timelineMarks, timelineSvg } from "../src/report/timeline-svg.js";
import { copyCandidates, withCopyHashes } from "../src/sightings/copies.js";
import { buildSightings, SightingsBuilder } from "../src/sightings/index.js";
import { FIXTURES, tempDir } from "./helpers.js";

const Z1C: DeviceSummary = { vendor: "Sony", name: "Xperia Z1 Compact", codename: "amami", announced: "2014-01-06", released: "2014-01", registry: "bundled:sony.json" };

interface Spec {
  source: string;
  kind?: SourceKind;
  model?: string;
  software?: string;
  captured?: string;
  sha256?: string | null;
  device?: DeviceSummary | null;
  verdict?: Verdict;
  unknown?: boolean;
  quantization?: string;
}

function record(spec: Spec): ScanRecord {
  const base = emptyRecord(spec.source, spec.kind ?? "file");
  return {
    ...base,
    bytes: 1000,
    format: "jpeg",
    sha256: spec.sha256 ?? null,
    camera: cameraSample({ make: "Sony", model: spec.model ?? "D5503", software: spec.software ?? "14.2.A.0.204", captured: spec.captured ?? "2013-10-22T14:05:11", width: 3264, height: 2448 }),
    image: { quantization: spec.quantization ?? "aaaa", quantizationTables: null },
    device: spec.device === undefined ? Z1C : spec.device,
    verdict: spec.verdict ?? "leak",
    findings: spec.unknown === true ? [{ code: "unknown-model", severity: "high", message: "unknown" }] : [],
  };
}

describe("buildSightings", () => {
  it("groups photos by device with their builds, modes, fingerprints and first capture", () => {
    const [z1c, ...rest] = buildSightings([
      record({ source: "b.jpg", captured: "2013-11-02T09:00:00", software: "14.2.A.0.205", quantization: "bbbb" }),
      record({ source: "a.jpg" }),
      record({ source: "c.jpg", model: "D6503", device: { ...Z1C, name: "Xperia Z2", announced: "2014-02-24" }, verdict: "known", captured: "2014-09-23T16:38:23" }),
    ]);
    assert.ok(z1c);
    assert.equal(z1c.name, "Xperia Z1 Compact");
    assert.equal(z1c.photos, 2);
    assert.equal(z1c.copies, 2);
    assert.deepEqual(z1c.builds, [{ value: "14.2.A.0.204", photos: 1 }, { value: "14.2.A.0.205", photos: 1 }]);
    assert.deepEqual(z1c.modes, [{ value: "3264×2448", photos: 2 }]);
    assert.deepEqual(z1c.quantization.map((q) => q.value), ["aaaa", "bbbb"]);
    assert.deepEqual(z1c.firstCapture, { captured: "2013-10-22T14:05:11", source: "a.jpg" });
    assert.deepEqual(z1c.lastCapture, { captured: "2013-11-02T09:00:00", source: "b.jpg" });
    assert.deepEqual(z1c.photoList.map((photo) => photo.sources), [["a.jpg"], ["b.jpg"]]);
    assert.deepEqual(rest.map((sighting) => [sighting.name, sighting.worst]), [["Xperia Z2", "known"]]);
  });

  it("merges copies with the same SHA-256 into one photo listing every place, whatever their kind", () => {
    const places: [string, SourceKind][] = [
      ["dump/a.jpg", "file"],
      ["dump/copy/a.jpg", "file"],
      ["https://example.test/a.jpg", "url"],
      ["leak.zip!/DCIM/a.jpg", "archive-entry"],
      ["z.jpg", "file"],
    ];
    const copies = places.map(([source, kind]) => record({ source, kind, sha256: "f".repeat(64) }));
    const [sighting] = buildSightings([...copies, record({ source: "other.jpg", sha256: "e".repeat(64) })]);
    assert.equal(sighting?.photos, 2);
    assert.equal(sighting.copies, 6);
    const merged = sighting.photoList.find((photo) => photo.sources.length > 1);
    assert.deepEqual(merged?.sources, places.map(([source]) => source).sort());
    assert.deepEqual(merged.kinds, ["archive-entry", "file", "url"]);
    assert.match(renderSightingsText(buildSightings(copies)), /1 photo \(5 copies\)/);
  });

  it("never merges photos without a SHA-256, even with equal metadata", () => {
    const [sighting] = buildSightings([record({ source: "a.jpg" }), record({ source: "b.jpg" })]);
    assert.equal(sighting?.photos, 2);
  });

  it("takes the first publication as the earliest of sidecar uploads and Last-Modified", () => {
    const uploaded = { ...record({ source: "up.jpg" }), sidecar: { file: "up.jpg.json", tool: "gallery-dl" as const, site: "flickr", id: "1", uploader: "someone", url: "https://flickr.test/p/1", title: null, uploaded: "2013-10-25T08:14:02Z" } };
    const served: ScanRecord = { ...record({ source: "https://example.test/s.jpg", kind: "url" }) };
    served.http = { requested: served.source, final: served.source, redirects: [], status: 200, contentType: "image/jpeg", contentLength: 1000, etag: null, lastModified: "Wed, 23 Oct 2013 10:00:00 GMT", fetchedAt: "2026-12-01T00:00:00Z", ranges: true, requests: 1, bytesRead: 1000, deepDownload: false };
    const [sighting] = buildSightings([uploaded, served]);
    assert.deepEqual(sighting?.firstPublication && { time: sighting.firstPublication.time, kind: sighting.firstPublication.kind, site: sighting.firstPublication.site }, { time: "2013-10-23T10:00:00Z", kind: "last-modified", site: "example.test" });
    const [only] = buildSightings([uploaded]);
    assert.equal(only?.firstPublication?.kind, "upload");
    assert.equal(only.firstPublication.evidence, "up.jpg.json");
    // A saved scan is untrusted: a sidecar with the wrong shape is no evidence, not a crash.
    const [bad] = buildSightings([{ ...record({ source: "x.jpg" }), sidecar: { uploaded: 5 } as never }]);
    assert.equal(bad?.firstPublication, null);
  });

  it("gives the same sightings for the same records in any order, added at once or one by one", () => {
    const records = [
      record({ source: "a.jpg", sha256: "1".repeat(64) }),
      record({ source: "b.jpg", sha256: "1".repeat(64) }),
      record({ source: "c.jpg", captured: "2013-09-01T00:00:00" }),
      record({ source: "e.jpg", model: "E9999", device: null, unknown: true, software: "32.1.A.1.185" }),
    ];
    const builder = new SightingsBuilder();
    for (const one of [...records].reverse()) builder.add(one);
    assert.deepEqual(builder.sightings(), buildSightings(records));
    assert.deepEqual(builder.counts, { records: 4, withoutCamera: 0 });
  });

  it("leaves records with no camera out, counting them", () => {
    const builder = new SightingsBuilder();
    builder.add({ ...emptyRecord("broken.jpg", "file"), error: { code: "not-found", message: "gone" } });
    builder.add({ ...emptyRecord("stripped.jpg", "file"), verdict: "no-metadata", camera: cameraSample({}) });
    assert.deepEqual(builder.sightings(), []);
    assert.deepEqual(builder.counts, { records: 2, withoutCamera: 2 });
  });

  it("links an unknown model to the known device whose public build it runs, given the registry", async () => {
    const registry = await loadRegistry();
    const [e9999] = buildSightings([record({ source: "e.jpg", model: "E9999", device: null, unknown: true, software: "32.1.A.1.185" })], registry);
    assert.equal(e9999?.kind, "unknown-model");
    assert.deepEqual(e9999.family.map((link) => [link.build, link.line, link.sameBuild]), [["32.1.A.1.185", "32", ["Xperia Z5 Compact"]]]);
    assert.ok(e9999.family[0]?.sameLine.includes("Xperia Z5"));
    assert.match(renderSightingsText(buildSightings([record({ source: "e.jpg", model: "E9999", device: null, unknown: true, software: "32.1.A.1.185" })], registry)), /public build of Xperia Z5 Compact \(software line 32/);
    // Without the registry there is nothing to link to, and a registered device is never linked.
    assert.deepEqual(buildSightings([record({ source: "e.jpg", model: "E9999", device: null, unknown: true, software: "32.1.A.1.185" })])[0]?.family, []);
    assert.deepEqual(buildSightings([record({ source: "a.jpg" })], registry)[0]?.family, []);
  });
});

describe("copies of flagged photos", () => {
  it("hashes only unhashed photos the size of a flagged one, and merges those that are copies", async () => {
    const dir = await tempDir();
    const leak = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    const sha = createHash("sha256").update(leak).digest("hex");
    const other = Buffer.from(leak);
    other[other.length - 3] = 0x55; // same size, different bytes: not a copy
    await writeFile(join(dir, "copy.jpg"), leak);
    await writeFile(join(dir, "same-size.jpg"), other);
    await writeFile(join(dir, "small.jpg"), leak.subarray(0, 1000));
    const records: ScanRecord[] = [
      { ...record({ source: join(dir, "leak.jpg"), sha256: sha }), bytes: leak.length },
      { ...record({ source: join(dir, "copy.jpg"), verdict: "known" }), bytes: leak.length },
      { ...record({ source: join(dir, "same-size.jpg"), verdict: "known" }), bytes: leak.length },
      { ...record({ source: join(dir, "small.jpg"), verdict: "known" }), bytes: 1000 },
    ];
    assert.deepEqual(copyCandidates(records).map((r) => basename(r.source)), ["copy.jpg", "same-size.jpg"]);
    const hashed: string[] = [];
    const hasher = recordHasher();
    const withHashes = await withCopyHashes(records, async (r) => {
      hashed.push(basename(r.source));
      return hasher(r);
    });
    assert.deepEqual(hashed.sort(), ["copy.jpg", "same-size.jpg"]);
    const [sighting] = buildSightings(withHashes);
    assert.equal(sighting?.photos, 3);
    assert.deepEqual(sighting.photoList[0]?.sources.map((source) => basename(source)), ["copy.jpg", "leak.jpg"]);
    assert.equal(sighting.photoList[0].verdict, "leak");
    // Nothing flagged: nothing is read again.
    assert.deepEqual(copyCandidates(records.map((r) => ({ ...r, verdict: "known" }))), []);
  });
});

describe("the sighting's SVG timeline", () => {
  it("marks captures, publications and the registry's dates, with every string escaped", () => {
    const hostile = `<script>alert(1)</script>"&'.jpg`;
    const photo = { ...record({ source: hostile, sha256: "1".repeat(64) }), sidecar: { file: `${hostile}.json`, tool: "gallery-dl" as const, site: "<b>flickr</b>", id: null, uploader: null, url: null, title: null, uploaded: "2013-10-25T08:14:02Z" } };
    const [sighting] = buildSightings([photo, record({ source: "b.jpg", verdict: "known", captured: "2014-03-01T10:00:00" })]);
    assert.ok(sighting);
    const marks = timelineMarks(sighting);
    // In time order: the release month (2014-01) begins before the announcement day (2014-01-06).
    assert.deepEqual(marks.map((mark) => mark.kind), ["captured", "published", "released", "announced", "captured"]);
    const svg = timelineSvg(sighting) ?? "";
    assert.match(svg, /^<svg class="timeline-svg" [^>]*role="img" aria-label="Timeline from 2013-10-22 to 2014-03-01: 2 captures, 1 publication, the announcement, the release">/);
    assert.doesNotMatch(svg, /<script|<b>/);
    assert.ok(svg.includes("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;.jpg"), svg);
    assert.equal((svg.match(/<g class="captured flagged">/g) ?? []).length, 1);
    assert.equal((svg.match(/<g class="captured">/g) ?? []).length, 1);
    // Nothing dated: no picture.
    assert.equal(timelineSvg({ ...sighting, device: null, photoList: [] }), null);
  });
});
