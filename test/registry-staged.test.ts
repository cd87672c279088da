/**
 * Staged photos of current phones: a real photo of the same maker (its maker note must fit the Make,
 * or the authenticity rules rightly object) re-tagged with each phone's Make, Model, Software and
 * capture time, then scanned by the CLI as a user would: an iPhone 6 photo for the iPhones, a Nexus 4
 * photo (Google's phone of 2012, no maker note) for the Pixels, the Xperia Z1 Compact photo of fixtures/ for the Xperias,
 * the Galaxy J3 photo of fixtures/ for the Samsung. Before the announcement (or past every known generation) they are leaks with the
 * right code; the same phones after release are known.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { FIXTURES, parseNdjson, runCli, SHARED, sharedSkip, tempDir } from "./helpers.js";
import { editExif } from "./support/exif-editor.js";

/** The real photo each vendor's cases are made from. */
const BASES = {
  Apple: { path: `${SHARED}corpus/phones/apple-iphone-6.jpg`, shot: "2014:09:16 14:05:12" },
  Google: { path: `${SHARED}corpus/phones/lge-nexus-4.jpg`, shot: "2013:01:20 18:54:08" },
  Sony: { path: join(FIXTURES, "sony-d5503-prelaunch.jpg"), shot: "2013:10:22 14:05:11" },
  samsung: { path: join(FIXTURES, "samsung-sm-s957u1-rumoured.jpg"), shot: "2026:05:01 10:00:00" },
} as const;

/**
 * The photo with every copy of its capture time (EXIF's, and the maker note's own, which Sony writes
 * as text) replaced by another of the same length, so nothing moves and every date agrees.
 */
function redated(photo: Buffer, from: string, to: string): Buffer {
  return Buffer.from(photo.toString("latin1").replaceAll(from, to), "latin1");
}

interface Staged {
  file: string;
  make: keyof typeof BASES;
  model: string;
  software: string;
  /** EXIF time, "YYYY:MM:DD HH:MM:SS". */
  shot: string;
  verdict: string;
  codes: string[];
  device: string | null;
}

const CASES: Staged[] = [
  // A month before the Pixel 10 family was announced (2025-08-20).
  { file: "pixel-10-pro-before.jpg", make: "Google", model: "Pixel 10 Pro", software: "BP2A.250605.031", shot: "2025:07:20 12:00:00", verdict: "leak", codes: ["captured-before-announcement"], device: "Pixel 10 Pro" },
  { file: "pixel-10-pro-after.jpg", make: "Google", model: "Pixel 10 Pro", software: "BP2A.250605.031", shot: "2025:10:01 12:00:00", verdict: "known", codes: [], device: "Pixel 10 Pro" },
  // Before Apple's event of 2025-09-09.
  { file: "iphone-17-pro-before.jpg", make: "Apple", model: "iPhone 17 Pro", software: "26.0", shot: "2025:08:15 12:00:00", verdict: "leak", codes: ["captured-before-announcement"], device: "iPhone 17 Pro" },
  { file: "iphone-17-pro-after.jpg", make: "Apple", model: "iPhone 17 Pro", software: "26.0", shot: "2025:10:15 12:00:00", verdict: "known", codes: [], device: "iPhone 17 Pro" },
  // April 2025: before Sony announced the Xperia 1 VII (2025-05-13).
  { file: "xperia-1-vii-before.jpg", make: "Sony", model: "XQ-FS54", software: "69.0.A.1.100", shot: "2025:04:15 12:00:00", verdict: "leak", codes: ["captured-before-announcement"], device: "Xperia 1 VII" },
  { file: "xperia-1-vii-after.jpg", make: "Sony", model: "XQ-FS54", software: "69.0.A.1.100", shot: "2025:07:01 12:00:00", verdict: "known", codes: [], device: "Xperia 1 VII" },
  // One generation past every known one, shot in late 2026.
  { file: "sony-xq-ha54.jpg", make: "Sony", model: "XQ-HA54", software: "71.0.A.0.50", shot: "2026:11:15 12:00:00", verdict: "leak", codes: ["unknown-model"], device: null },
  { file: "samsung-sm-s958b.jpg", make: "samsung", model: "SM-S958B", software: "S958BXXU0AZK1", shot: "2026:11:15 12:00:00", verdict: "leak", codes: ["unknown-model"], device: null },
  { file: "pixel-12.jpg", make: "Google", model: "Pixel 12", software: "CP1A.261105.001", shot: "2026:11:15 12:00:00", verdict: "leak", codes: ["unknown-model"], device: null },
  // The Xperia Z's C6616 (T-Mobile US), missing from the registry before: a genuine photo is known.
  { file: "xperia-z-c6616.jpg", make: "Sony", model: "C6616", software: "10.1.1.D.0.179", shot: "2013:06:01 12:00:00", verdict: "known", codes: [], device: "Xperia Z" },
];

describe("staged photos of current phones", { skip: sharedSkip }, () => {
  it("are leaks before the announcement or past every known generation, and known after release", async () => {
    const dir = await tempDir();
    for (const staged of CASES) {
      const base = BASES[staged.make];
      const photo = editExif(redated(await readFile(base.path), base.shot, staged.shot), (tiff) => {
        tiff.setText("make", staged.make);
        tiff.setText("model", staged.model);
        tiff.setText("dateTimeOriginal", staged.shot);
        // Tags some of the base photos lack: set where present, so every date in the file agrees.
        const where = (name: "software" | "createDate" | "modifyDate", value: string): void => {
          try {
            tiff.setText(name, value);
          } catch (error: unknown) {
            if (!String(error).includes(`no ${name} tag`)) throw error;
          }
        };
        where("software", staged.software);
        where("createDate", staged.shot);
        where("modifyDate", staged.shot);
      });
      await writeFile(join(dir, staged.file), photo);
    }
    const result = await runCli(["scan", dir, "-f", "ndjson"]);
    assert.equal(result.code, 0, result.stderr);
    const records = new Map(parseNdjson<ScanRecord>(result.stdout).map((record) => [record.source.split("/").at(-1) ?? "", record]));
    const seen = CASES.map((staged) => {
      const record = records.get(staged.file);
      return { file: staged.file, verdict: record?.verdict, codes: record?.findings.filter((f) => f.severity === "high" || f.severity === "medium").map((f) => f.code), device: record?.device?.name ?? null };
    });
    assert.deepEqual(seen, CASES.map(({ file, verdict, codes, device }) => ({ file, verdict, codes, device })));
    const beyond = [...records.values()].filter((record) => /next-generation device/.test(record.findings[0]?.message ?? ""));
    assert.deepEqual(beyond.map((record) => record.camera?.model).sort(), ["Pixel 12", "SM-S958B", "XQ-HA54"]);
    for (const staged of CASES) console.log(`# ${staged.model} shot ${staged.shot.slice(0, 10)}: ${records.get(staged.file)?.verdict ?? "?"} ${records.get(staged.file)?.findings.map((f) => f.code).join(",") ?? ""}`);
  });
});
