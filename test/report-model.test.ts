import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { analyze } from "../src/analyze/index.js";
import { SCHEMA_VERSION, type CameraSample, type ScanRecord } from "../src/record.js";
import { loadRegistry, type DeviceRegistry } from "../src/registry/index.js";
import type { Evidence, EvidenceProvider } from "../src/report/evidence-provider.js";
import { renderHtml } from "../src/report/html.js";
import { renderMarkdown } from "../src/report/md.js";
import { buildReportModel, MAX_OTHER_PHOTOS } from "../src/report/model.js";
import type { ReportModel } from "../src/report/model-types.js";

function sample(fields: Partial<CameraSample>): CameraSample {
  return {
    make: "Sony",
    model: null,
    software: null,
    firmware: null,
    captured: null,
    width: 3264,
    height: 2448,
    megapixels: 8,
    focalLength: null,
    focalLength35mm: null,
    lens: null,
    ...fields,
  };
}

function firmware(build: string): CameraSample["firmware"] {
  return { vendor: "sony", build, suffix: null };
}

/** A record as scan.ts makes it: the sample analysed against the real registry. */
function record(registry: DeviceRegistry, source: string, camera: CameraSample | null, extra: Partial<ScanRecord> = {}): ScanRecord {
  const analysis = camera === null ? null : analyze(camera, registry);
  const verdict = analysis?.verdict ?? "error";
  return {
    schema: SCHEMA_VERSION,
    source,
    kind: "file",
    bytes: 1000,
    format: camera === null ? null : "jpeg",
    sha256: verdict === "leak" || verdict === "suspicious" ? "ab".repeat(32) : null,
    camera,
    image: null,
    device: analysis?.device ?? null,
    verdict,
    findings: analysis?.findings ?? [],
    error: camera === null ? { code: "not-found", message: `${source}: no such file or folder` } : null,
    ...extra,
  };
}

/** Evidence made up on the spot; records which photos it was asked about. */
function fakeEvidence(problems: Record<string, string> = {}): EvidenceProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async evidence(scanned: ScanRecord): Promise<Evidence> {
      asked.push(scanned.source);
      const problem = problems[scanned.source];
      if (problem !== undefined) return { thumbnail: null, tags: null, problem };
      return { thumbnail: "data:image/jpeg;base64,AAAA", tags: { "ifd0:Model": scanned.camera?.model ?? "" }, problem: null };
    },
  };
}

let registry: DeviceRegistry;
let records: ScanRecord[];

before(async () => {
  registry = await loadRegistry();
  records = [
    record(registry, "z/released.jpg", sample({ model: "D6503", software: "17.1.A.2.55", firmware: firmware("17.1.A.2.55"), captured: "2014-09-23T16:38:23" })),
    record(registry, "a/prelaunch.jpg", sample({ model: "D5503", software: "14.2.A.0.204", firmware: firmware("14.2.A.0.204"), captured: "2013-10-22T14:05:11" })),
    record(registry, "b/unknown-firmware.jpg", sample({ model: "D6503", software: "23.9.A.0.100", firmware: firmware("23.9.A.0.100"), captured: "2016-11-02T09:12:40" })),
    record(registry, "c/unknown-model.jpg", sample({ model: "D6999", software: "17.1.A.0.311", firmware: firmware("17.1.A.0.311"), captured: "2014-02-11T10:00:00" })),
    record(registry, "d/canon.jpg", sample({ make: "Canon", model: "Canon EOS 5D", captured: "2015-01-01T00:00:00" })),
    record(registry, "e/stripped.jpg", sample({ make: null })),
    record(registry, "f/gone.jpg", null),
  ];
});

async function build(evidence: EvidenceProvider | null = fakeEvidence(), input = records): Promise<ReportModel> {
  return buildReportModel({ records: input, registryVersion: registry.version, registry, evidence });
}

describe("report model", () => {
  it("counts every verdict and the flagged photos", async () => {
    const model = await build();
    assert.equal(model.photos, 7);
    assert.deepEqual(model.verdicts, { leak: 3, suspicious: 0, unregistered: 1, known: 1, "no-metadata": 1, error: 1 });
    assert.equal(model.flagged, 3);
    assert.equal(model.registryVersion, registry.version);
  });

  it("groups photos by device, leaks first, the first sighting first among equals", async () => {
    const model = await build();
    assert.deepEqual(
      model.devices.map((device) => [device.kind, device.vendor, device.name, device.worst, device.photos]),
      [
        ["registered", "Sony", "Xperia Z1 Compact", "leak", 1],
        ["unknown-model", "Sony", "D6999", "leak", 1],
        ["registered", "Sony", "Xperia Z2", "leak", 2],
        ["unregistered", "Canon", "Canon EOS 5D", "unregistered", 1],
      ],
    );
    assert.deepEqual(model.devices.map((device) => device.anchor), ["device-1", "device-2", "device-3", "device-4"]);
  });

  it("sets the registry entry beside what the photos say", async () => {
    const z2 = (await build()).devices.find((device) => device.name === "Xperia Z2");
    assert.ok(z2);
    assert.ok(z2.registry.models.includes("D6503"));
    assert.equal(z2.registry.announced, "2014-02-24");
    assert.ok(z2.registry.firmware.includes("23.5.A.1.291"));
    assert.ok(z2.registry.modes.includes("3264×2448"));
    assert.deepEqual(z2.observed.builds, [
      { value: "17.1.A.2.55", photos: 1, flagged: 0 },
      { value: "23.9.A.0.100", photos: 1, flagged: 1 },
    ]);
    assert.deepEqual(z2.observed.earliest, { captured: "2014-09-23T16:38:23", source: "z/released.jpg" });
    assert.deepEqual(z2.observed.latest, { captured: "2016-11-02T09:12:40", source: "b/unknown-firmware.jpg" });
    assert.deepEqual(z2.observed.modes, [{ value: "3264×2448", photos: 2, flagged: 1, inRegistry: true }]);
    // The leak gets a card; the released photo is listed among the others.
    assert.deepEqual(z2.flagged.map((photo) => photo.source), ["b/unknown-firmware.jpg"]);
    assert.deepEqual(z2.others, [{ source: "z/released.jpg", verdict: "known", build: "17.1.A.2.55", captured: "2014-09-23T16:38:23" }]);
  });

  it("explains unknown and unregistered cameras", async () => {
    const model = await build();
    const unknown = model.devices.find((device) => device.kind === "unknown-model");
    assert.match(unknown?.registry.status ?? "", /not in the registry although it lists every Sony model matching/);
    const canon = model.devices.find((device) => device.kind === "unregistered");
    assert.match(canon?.registry.status ?? "", /not evidence of a leak by itself/);
  });

  it("puts the capture time against announcement and release in words", async () => {
    const z1 = (await build()).devices[0]?.flagged[0];
    assert.deepEqual(z1?.timing, [
      "76 days before the announcement (2014-01-06)",
      "102 days before the release (2014-02, counted from its first day)",
    ]);
    const z2 = (await build()).devices[2]?.flagged[0];
    assert.deepEqual(z2?.timing, [
      "982 days after the announcement (2014-02-24)",
      "917 days after the release (2014-04, counted from its last day)",
    ]);
  });

  it("reads again only the flagged photos, and carries their evidence", async () => {
    const evidence = fakeEvidence({ "c/unknown-model.jpg": "no longer reachable: the file is gone" });
    const model = await build(evidence);
    assert.deepEqual([...evidence.asked].sort(), ["a/prelaunch.jpg", "b/unknown-firmware.jpg", "c/unknown-model.jpg"]);
    const cards = model.devices.flatMap((device) => device.flagged);
    assert.deepEqual(cards.map((card) => [card.anchor, card.thumbnail !== null, card.problem]), [
      ["photo-1", true, null],
      ["photo-2", false, "no longer reachable: the file is gone"],
      ["photo-3", true, null],
    ]);
    assert.equal(model.unavailable, 1);
    assert.equal(cards[0]?.sha256, "ab".repeat(32));
    // The appendix follows the cards; errors come apart, last.
    assert.deepEqual(model.appendix.map((entry) => [entry.anchor, entry.source, entry.tags]), [
      ["photo-1", "a/prelaunch.jpg", [["ifd0:Model", "D5503"]]],
      ["photo-2", "c/unknown-model.jpg", null],
      ["photo-3", "b/unknown-firmware.jpg", [["ifd0:Model", "D6503"]]],
    ]);
    assert.deepEqual(model.errors, [{ source: "f/gone.jpg", code: "not-found", message: "f/gone.jpg: no such file or folder" }]);
  });

  it("builds without evidence, and says so", async () => {
    const model = await build(null);
    assert.equal(model.evidenceGathered, false);
    assert.deepEqual(model.appendix, []);
    assert.equal(model.devices[0]?.flagged[0]?.thumbnail, null);
    assert.match(renderHtml(model), /built without reading the photos again/);
  });

  it("orders the timeline by date, partial dates at their middle", async () => {
    const model = await build();
    assert.deepEqual(
      model.timeline.map((entry) => [entry.date, entry.event, entry.device]),
      [
        ["2013-10-22 14:05:11", "captured", "Sony Xperia Z1 Compact"],
        ["2014-01-06", "announced", "Sony Xperia Z1 Compact"],
        ["2014-02-11 10:00:00", "captured", "Sony D6999"],
        ["2014-02", "released", "Sony Xperia Z1 Compact"],
        ["2014-02-24", "announced", "Sony Xperia Z2"],
        ["2014-04", "released", "Sony Xperia Z2"],
        ["2016-11-02 09:12:40", "captured", "Sony Xperia Z2"],
      ],
    );
  });

  it("lists at most MAX_OTHER_PHOTOS unflagged photos per device and counts the rest", async () => {
    const many = Array.from({ length: MAX_OTHER_PHOTOS + 7 }, (_, index) =>
      record(registry, `known/${String(index).padStart(3, "0")}.jpg`, sample({ model: "D6503", software: "17.1.A.2.55", firmware: firmware("17.1.A.2.55"), captured: "2014-09-23T16:38:23" })),
    );
    const [device] = (await build(null, many)).devices;
    assert.ok(device);
    assert.equal(device.others.length, MAX_OTHER_PHOTOS);
    assert.equal(device.othersOmitted, 7);
  });

  it("is deterministic: the order records arrive in changes nothing", async () => {
    const forward = await build();
    const backward = await build(fakeEvidence(), [...records].reverse());
    assert.equal(renderHtml(backward), renderHtml(forward));
    assert.equal(renderMarkdown(backward), renderMarkdown(forward));
  });
});

describe("rendering untrusted strings", () => {
  const evil = {
    make: "Sony",
    model: "<script>document.title='pwned'</script>|*x*",
    software: `<img src=x onerror="document.title='pwned'">`,
  };

  it("HTML shows markup from photos as text", async () => {
    const leak = record(registry, "evil/<b>photo</b>.jpg", sample({ ...evil, captured: "2013-10-22T14:05:11" }));
    const model = await build(fakeEvidence(), [leak, ...records]);
    const html = renderHtml(model);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img[^>]*src="?x/i);
    assert.doesNotMatch(html, /<b>photo/);
    assert.match(html, /&lt;script&gt;document.title=&#39;pwned&#39;&lt;\/script&gt;/);
  });

  it("HTML embeds only base64 image data URIs", async () => {
    const evidence: EvidenceProvider = {
      async evidence() {
        return { thumbnail: "javascript:alert(1)", tags: {}, problem: null };
      },
    };
    const html = renderHtml(await build(evidence));
    assert.doesNotMatch(html, /javascript:/);
    assert.doesNotMatch(html, /<img/);
  });

  it("Markdown keeps markup, links and table pipes from forming", async () => {
    const unknown = record(registry, "evil.jpg", sample({ model: "[x](http://evil.example)|99", captured: "2014-02-11T10:00:00" }));
    assert.equal(unknown.verdict, "unregistered");
    const leak = record(registry, "leak.jpg", sample({ ...evil, model: "D5503", captured: "2013-10-22T14:05:11" }));
    const md = renderMarkdown(await build(null, [leak, unknown]));
    // Code spans show their content verbatim; outside them, nothing may form markup or links.
    const prose = md.replace(/(`+)[\s\S]*?\1/g, "");
    assert.doesNotMatch(prose, /<img|<script|(?<!\\)\]\(/);
    assert.match(md, /`<img src=x onerror="document.title='pwned'">`/);
    assert.match(md, /\| Sony `\[x\]\(http:\/\/evil\.example\)`\\\|99 \|/);
  });
});
