/**
 * The reference for exifhunt's own tag readers (src/extract/tags.ts): the same tags read by exifr,
 * as exifhunt read them before it had its own readers. test/tags.test.ts compares the two on every
 * corpus photo. Test support only: exifhunt's triage never calls exifr.
 */
import exifr from "exifr";
import type { RawTags, XmpHistoryEntry } from "../../src/extract/tags.js";

/** exifr reads `silentErrors` but its typings leave it out. */
type ExifrOptions = Exclude<Parameters<typeof exifr.parse>[1], boolean | unknown[] | undefined> & {
  silentErrors: boolean;
};

const IFD0_TAGS: string[] = ["Make", "Model", "Software", "ModifyDate", "ImageWidth", "ImageHeight"];
const EXIF_TAGS: string[] = [
  "DateTimeOriginal",
  "CreateDate",
  "OffsetTime",
  "OffsetTimeOriginal",
  "OffsetTimeDigitized",
  "ExifImageWidth",
  "ExifImageHeight",
  "FocalLength",
  "FocalLengthIn35mmFormat",
  "LensModel",
];

// exifr reads only the segments and tags named here; values stay as written (no Date objects:
// they would be read in this machine's time zone, and EXIF times carry none).
const COMMON_OPTIONS: ExifrOptions = {
  ifd1: false,
  gps: false,
  interop: false,
  makerNote: false,
  userComment: false,
  icc: false,
  jfif: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  sanitize: true,
  mergeOutput: false,
  silentErrors: true,
};

/** The camera's own tags: IFD0, the EXIF IFD and the GPS fix time (plus PNG's IHDR and text chunks). */
const CORE_OPTIONS: ExifrOptions = {
  ...COMMON_OPTIONS,
  tiff: true,
  ifd0: { pick: IFD0_TAGS },
  exif: { pick: EXIF_TAGS },
  gps: { pick: ["GPSDateStamp", "GPSTimeStamp"] },
  ihdr: true,
  xmp: false,
  iptc: false,
};

/**
 * XMP and IPTC, read in a pass of their own: exifr gives up on a whole file when one of these is
 * malformed (an IPTC block stored as LONGs in a TIFF), and that must not cost the EXIF.
 */
const SIDECAR_OPTIONS: ExifrOptions = {
  ...COMMON_OPTIONS,
  tiff: true,
  ifd0: { pick: ["Make"] },
  exif: false,
  ihdr: false,
  xmp: true,
  iptc: true,
};

/** Core and sidecar in one pass: for JPEGs known to carry XMP or IPTC, when nothing is malformed. */
const COMBINED_OPTIONS: ExifrOptions = { ...CORE_OPTIONS, xmp: true, iptc: true };

type Group = Record<string, unknown>;

function group(output: unknown, name: string): Group {
  if (typeof output !== "object" || output === null) return {};
  const value: unknown = (output as Group)[name];
  return typeof value === "object" && value !== null ? (value as Group) : {};
}

/** Cuts at the first NUL (as ExifTool does: the rest is padding or garbage) and trims. */
function cleanString(value: unknown): string | null {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value instanceof Uint8Array) text = new TextDecoder("latin1").decode(value);
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else return null;
  const nul = text.indexOf("\0");
  const cut = (nul === -1 ? text : text.slice(0, nul)).trim();
  return cut === "" ? null : cut;
}

function cleanNumber(value: unknown): number | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === "number" && Number.isFinite(first)) return first;
  if (typeof first === "string" && first.trim() !== "" && Number.isFinite(Number(first))) {
    return Number(first);
  }
  return null;
}

interface ExifrOutcome {
  /** The tags exifr reads (the warnings are exifhunt's own, not compared). */
  tags: Omit<RawTags, "warnings">;
  /** Errors exifr collected while parsing (a damaged segment); empty when none. */
  errors: string[];
}

function collectErrors(output: unknown): string[] {
  const list: unknown = typeof output === "object" && output !== null ? (output as Group)["errors"] : undefined;
  return Array.isArray(list) ? list.map((e: unknown) => String(e)) : [];
}

/** GPSTimeStamp is three rationals (hours, minutes, seconds): `HH:MM:SS`. */
function gpsTime(value: unknown): string | null {
  if (!Array.isArray(value) || value.length !== 3) return null;
  const parts = value.map((part: unknown) => cleanNumber(part));
  if (parts.some((part) => part === null)) return null;
  return parts.map((n) => String(Math.floor(n ?? 0)).padStart(2, "0")).join(":");
}

function historyEntry(value: unknown): XmpHistoryEntry {
  const entry = typeof value === "object" && value !== null ? (value as Group) : {};
  return {
    action: cleanString(entry["action"]),
    softwareAgent: cleanString(entry["softwareAgent"]),
    changed: cleanString(entry["changed"]),
    when: cleanString(entry["when"]),
  };
}

/** exifr gives one History event as an object and several as an array. */
function xmpHistory(value: unknown): XmpHistoryEntry[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? (value as unknown[]) : [value]).map(historyEntry);
}

/** exifr groups XMP by the prefix the file uses: `xmp` or the older `xap` for the same namespace. */
function xmpGroup(output: unknown, prefix: "xmp" | "xmpMM"): Group {
  return { ...group(output, prefix.replace("xmp", "xap")), ...group(output, prefix) };
}

/**
 * Reads the tags exifhunt uses. Throws when exifr cannot open the container at all; damage inside
 * XMP or IPTC only loses those (reported in `errors`).
 * @param hasSidecar whether the file holds XMP or IPTC (a JPEG's segments say so); null when
 *   unknown. Editing evidence lives in XMP, so it is read whenever it may be there.
 */
export async function exifrRawTags(bytes: Uint8Array, hasSidecar: boolean | null = null): Promise<ExifrOutcome> {
  // A JPEG with an XMP or IPTC segment: one pass reads everything, unless a malformed block made
  // exifr give up on the EXIF too (no errors, no IFD0) — then the two failure-tolerant passes.
  let combined: unknown = undefined;
  if (hasSidecar === true) {
    try {
      combined = await exifr.parse(bytes, COMBINED_OPTIONS);
    } catch {
      combined = undefined;
    }
    if (collectErrors(combined).length > 0 || group(combined, "ifd0")["Make"] === undefined) combined = undefined;
  }
  const core: unknown = combined ?? (await exifr.parse(bytes, CORE_OPTIONS));
  const errors = collectErrors(core);
  const ifd0 = group(core, "ifd0");
  const exif = group(core, "exif");
  const gps = group(core, "gps");
  let sidecar: unknown = combined;
  if (hasSidecar !== false && combined === undefined) {
    try {
      sidecar = await exifr.parse(bytes, SIDECAR_OPTIONS);
      errors.push(...collectErrors(sidecar));
    } catch (error: unknown) {
      errors.push(`XMP/IPTC: ${String(error)}`);
    }
  }
  const ihdr = group(core, "ihdr");
  const xmp = xmpGroup(sidecar, "xmp");
  const iptc = group(sidecar, "iptc");
  const photoshop = group(sidecar, "photoshop");
  const tags: Omit<RawTags, "warnings"> = {
    make: cleanString(ifd0["Make"]),
    model: cleanString(ifd0["Model"]),
    // PNG keeps Software in a tEXt chunk, which exifr reports with the IHDR.
    software: cleanString(ifd0["Software"]) ?? cleanString(ihdr["Software"]),
    dateTimeOriginal: cleanString(exif["DateTimeOriginal"]),
    createDate: cleanString(exif["CreateDate"]),
    modifyDate: cleanString(ifd0["ModifyDate"]),
    offsetTimeOriginal: cleanString(exif["OffsetTimeOriginal"]),
    offsetTimeDigitized: cleanString(exif["OffsetTimeDigitized"]),
    offsetTime: cleanString(exif["OffsetTime"]),
    exifWidth: cleanNumber(exif["ExifImageWidth"]),
    exifHeight: cleanNumber(exif["ExifImageHeight"]),
    imageWidth: cleanNumber(ifd0["ImageWidth"]) ?? cleanNumber(ihdr["ImageWidth"]),
    imageHeight: cleanNumber(ifd0["ImageHeight"]) ?? cleanNumber(ihdr["ImageHeight"]),
    focalLength: cleanNumber(exif["FocalLength"]),
    focalLength35mm: cleanNumber(exif["FocalLengthIn35mmFormat"]),
    lensModel: cleanString(exif["LensModel"]),
    iptcDateCreated: cleanString(iptc["DateCreated"]),
    iptcTimeCreated: cleanString(iptc["TimeCreated"]),
    xmpCreateDate: cleanString(xmp["CreateDate"]),
    photoshopDateCreated: cleanString(photoshop["DateCreated"]),
    gpsDateStamp: cleanString(gps["GPSDateStamp"]),
    gpsTimeStamp: gpsTime(gps["GPSTimeStamp"]),
    creatorTool: cleanString(xmp["CreatorTool"]),
    xmpModifyDate: cleanString(xmp["ModifyDate"]),
    xmpMetadataDate: cleanString(xmp["MetadataDate"]),
    history: xmpHistory(xmpGroup(sidecar, "xmpMM")["History"]),
  };
  return { tags, errors };
}
