/**
 * inconsistent-camera: what the pixels and optics say does not fit the claimed camera. A maker
 * note in another manufacturer's format than the Make; a pixel size the sensor cannot produce; an
 * image whose size disagrees with the size the metadata was written for; a focal length none of
 * the device's lenses has. The registry's mode lists are incomplete (16:9 and lower sizes are
 * missing), so a size below the sensor's is never flagged: only one above it.
 */
import type { Evidence, MakerNoteFormat } from "../extract/authenticity.js";
import type { PixelSize } from "../extract/sample.js";
import type { CameraSample, Finding, Severity } from "../record.js";
import type { LookupResult, RegisteredDevice } from "../registry/index.js";
import type { Rule } from "./context.js";
import { editingFindings, isEdited } from "./edited.js";
import { memoized } from "../util/memo.js";
import { relateSizes, showSize } from "./pixels.js";

function inconsistent(severity: Severity, message: string): Finding {
  return { code: "inconsistent-camera", severity, message };
}

/** Manufacturer families by EXIF Make. Families with no maker-note signature still mismatch any other's. */
const MAKE_FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^apple\b/i, "apple"],
  [/^sony/i, "sony"],
  [/samsung/i, "samsung"],
  [/nikon/i, "nikon"],
  [/olympus|om digital/i, "olympus"],
  [/fuji/i, "fujifilm"],
  [/panasonic/i, "panasonic"],
  [/leica/i, "leica"],
  // Ricoh Imaging has made Pentax cameras since 2011, with Pentax maker notes.
  [/pentax|asahi|ricoh imaging/i, "pentax"],
  [/ricoh/i, "ricoh"],
  [/casio/i, "casio"],
  [/kodak/i, "kodak"],
  [/sanyo/i, "sanyo"],
  [/motorola/i, "motorola"],
  [/blackberry|research in motion/i, "blackberry"],
  [/kyocera/i, "kyocera"],
  [/canon/i, "canon"],
  [/^htc\b/i, "htc"],
  [/^lge?\b/i, "lg"],
  [/^google\b/i, "google"],
  [/huawei|^honor\b/i, "huawei"],
  [/xiaomi/i, "xiaomi"],
  [/nokia/i, "nokia"],
  [/oneplus/i, "oneplus"],
];

/**
 * Notes one maker's cameras genuinely carry in another's format: Samsung's GX DSLRs were Pentax
 * bodies, Leica's compacts were made by Panasonic and Fujifilm.
 */
const OEM_FORMATS: Readonly<Partial<Record<string, readonly MakerNoteFormat[]>>> = {
  samsung: ["pentax"],
  leica: ["panasonic", "fujifilm"],
  panasonic: ["leica"],
};

const FORMAT_NAMES: Readonly<Record<MakerNoteFormat, string>> = {
  apple: "Apple",
  blackberry: "BlackBerry",
  casio: "Casio",
  fujifilm: "Fujifilm",
  kodak: "Kodak",
  kyocera: "Kyocera",
  leica: "Leica",
  motorola: "Motorola",
  nikon: "Nikon",
  olympus: "Olympus",
  panasonic: "Panasonic",
  pentax: "Pentax",
  ricoh: "Ricoh",
  samsung: "Samsung",
  sanyo: "Sanyo",
  sony: "Sony",
};

export function makeFamily(make: string | null): string | null {
  return make === null ? null : knownMakeFamily(make);
}

/** Some twenty patterns a Make: one phone's is the same on every photo it took (as editorOf). */
const knownMakeFamily = memoized((make: string): string | null => {
  const trimmed = make.trim();
  return MAKE_FAMILIES.find(([pattern]) => pattern.test(trimmed))?.[1] ?? null;
});

function makerNoteFinding(sample: CameraSample, lookup: LookupResult, evidence: Evidence): Finding | null {
  const format = evidence.makerNote?.format ?? null;
  const family = makeFamily(sample.make);
  if (format === null || family === null || sample.make === null || format === family) return null;
  if (OEM_FORMATS[family]?.includes(format) === true) return null;
  const signature = evidence.makerNote?.signature ?? "";
  const shown = /^[A-Za-z]{3}/.test(signature) ? `, header ${JSON.stringify(signature)}` : ", a header-less note in that maker's layout";
  // Where a registry vendor's Make is claimed, a leak rests on it: the contradiction weighs most.
  const severity: Severity = lookup.kind === "unregistered" ? "medium" : "high";
  return inconsistent(severity, `the maker's private data block (maker note) is in ${FORMAT_NAMES[format]}'s format${shown}, yet the make field says ${JSON.stringify(sample.make)}: the metadata was put on, or taken from, another manufacturer's photo`);
}

/** Panoramas are stitched wider than the sensor: not a capture mode to compare. */
const PANORAMA_ASPECT = 2.2;
/** Rounding in registries' headline megapixels (20.7 for 5248x3936 = 20.66). */
const MEGAPIXEL_SLACK = 1.02;

function sensorCeiling(device: RegisteredDevice): number | null {
  const camera = device.entry.camera;
  if (camera === undefined) return null;
  const fromModes = Math.max(0, ...(camera.modes ?? []).map(([w, h]) => w * h));
  const fromMegapixels = (camera.megapixels ?? 0) * 1_000_000;
  const ceiling = Math.max(fromModes, fromMegapixels);
  return ceiling > 0 ? ceiling : null;
}

function pixelSizeFinding(sample: CameraSample, lookup: LookupResult): Finding | null {
  if (lookup.kind !== "device" || sample.width === null || sample.height === null) return null;
  const { device } = lookup;
  const { width, height } = sample;
  const modes = device.entry.camera?.modes ?? [];
  const landscape = [Math.max(width, height), Math.min(width, height)];
  if (modes.some(([w, h]) => w === landscape[0] && h === landscape[1])) return null;
  if ((landscape[0] ?? 0) / (landscape[1] ?? 1) > PANORAMA_ASPECT) return null;
  const ceiling = sensorCeiling(device);
  if (ceiling === null || width * height <= ceiling * MEGAPIXEL_SLACK) return null;
  const megapixels = (width * height / 1_000_000).toFixed(1);
  const sensor = (ceiling / 1_000_000).toFixed(1);
  const listed = modes.length > 0 ? ` (known modes ${modes.map(([w, h]) => showSize({ width: w, height: h })).join(", ")})` : "";
  return inconsistent("high", `the image is ${String(width)}x${String(height)} (${megapixels} MP), more than ${device.entry.name}'s ${sensor} MP camera can take${listed}: the pixels come from another camera`);
}

/**
 * Sizes the metadata records (EXIF, Sony's maker note) against the real frame. `edited` is asked
 * only for a size that disagrees: it runs the editing checks again, messages and all, which for
 * every photo cost as much as the rest of this rule.
 */
function recordedSizeFindings(evidence: Evidence, edited: () => boolean): Finding[] {
  const { frame } = evidence;
  if (frame === null) return [];
  const recorded: [string, PixelSize | null][] = [
    ["EXIF says the camera saved", evidence.exifSize],
    ["the maker note says the camera shot", evidence.makerNote?.size ?? null],
  ];
  const findings: Finding[] = [];
  for (const [said, size] of recorded) {
    // A scaled-down copy is an edit (edited.ts), not another camera's pixels.
    if (size === null || relateSizes(size, frame) !== "different") continue;
    const wasEdited = edited();
    const explained = wasEdited ? ", which the editing found in the file may explain (a crop)" : "";
    findings.push(inconsistent(wasEdited ? "low" : "medium", `the image is ${showSize(frame)} but ${said} ${showSize(size)}: the pixels are not the ones the metadata was written for${explained}`));
    break;
  }
  return findings;
}

/** EXIF focal lengths are rationals rounded by the writer: 4.9 may be 4.88. */
const FOCAL_TOLERANCE_MM = 0.1;

function focalLengthFinding(sample: CameraSample, lookup: LookupResult): Finding | null {
  if (lookup.kind !== "device" || sample.focalLength === null) return null;
  const lenses = lookup.device.entry.camera?.focalLength ?? [];
  const focal = sample.focalLength;
  if (lenses.length === 0 || lenses.some((mm) => Math.abs(mm - focal) <= Math.max(FOCAL_TOLERANCE_MM, mm * 0.02))) return null;
  return inconsistent("medium", `the focal length is ${String(focal)} mm, but ${lookup.device.entry.name}'s lenses are ${lenses.map((mm) => `${String(mm)} mm`).join(", ")}: the optics are another camera's`);
}

export const cameraConsistencyRule: Rule = ({ sample, lookup, evidence }) => {
  const findings: Finding[] = [];
  const maker = evidence === undefined ? null : makerNoteFinding(sample, lookup, evidence);
  if (maker !== null) findings.push(maker);
  const size = pixelSizeFinding(sample, lookup);
  if (size !== null) findings.push(size);
  if (evidence !== undefined) {
    findings.push(...recordedSizeFindings(evidence, () => isEdited(editingFindings(sample, lookup, evidence))));
  }
  const focal = focalLengthFinding(sample, lookup);
  if (focal !== null) findings.push(focal);
  return findings;
};
