/**
 * The deep pass's full metadata dump: every tag exifr can read, flattened to `group:Tag -> text`
 * for a report's appendix. Values are stringified and capped: a photo's tags are untrusted and
 * may be huge or binary. exifr is touched only here: triage reads its few tags itself (tags.ts).
 */
import exifr from "exifr";
import sharp from "sharp";
import { startsWithAscii, withoutExifHeader } from "./bytes.js";
import { detectFormat } from "./format.js";
import { segmentPayload, walkJpeg } from "./jpeg.js";
import { walkPng } from "./png.js";
import { walkWebp } from "./riff.js";
import { readTiffTags } from "./tiff-tags.js";

/** The longest value kept, in characters; longer ones are cut with a marker. */
export const MAX_DUMP_VALUE_CHARS = 500;
/** The most tags kept per photo. */
export const MAX_DUMP_TAGS = 1000;
/** Bytes of a binary value shown in hex. */
const HEX_PREVIEW_BYTES = 16;
/** How deep nested values (XMP structures) are flattened. */
const MAX_DEPTH = 4;

type ExifrOptions = Exclude<Parameters<typeof exifr.parse>[1], boolean | unknown[] | undefined> & {
  silentErrors: boolean;
};

// Every segment, values translated to words where exifr knows them (Orientation 6 -> "Rotate 90
// CW"), dates left as written (reviving them would read them in this machine's time zone).
const DUMP_OPTIONS: ExifrOptions = {
  tiff: true,
  ifd1: true,
  exif: true,
  gps: true,
  interop: true,
  makerNote: true,
  userComment: true,
  xmp: true,
  iptc: true,
  icc: true,
  jfif: true,
  ihdr: true,
  translateKeys: true,
  translateValues: true,
  reviveValues: false,
  sanitize: true,
  mergeOutput: false,
  multiSegment: true,
  silentErrors: true,
};

function cap(text: string): string {
  return text.length <= MAX_DUMP_VALUE_CHARS ? text : `${text.slice(0, MAX_DUMP_VALUE_CHARS)}… [${String(text.length - MAX_DUMP_VALUE_CHARS)} more characters]`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes.subarray(0, HEX_PREVIEW_BYTES)].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
}

/** A scalar as text; null for what is not a scalar (objects and arrays are flattened instead). */
function scalar(value: unknown): string | null {
  if (typeof value === "string") return value.replace(/\0+$/, "");
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (value instanceof Uint8Array) {
    // Short printable blocks are text stored as bytes (ExifVersion "0220"): show the text.
    if (value.length > 0 && value.length <= 64 && value.every((byte) => byte >= 0x20 && byte < 0x7f)) {
      return `${String.fromCharCode(...value)} (${String(value.length)} bytes)`;
    }
    const more = value.length > HEX_PREVIEW_BYTES ? " …" : "";
    return `(binary, ${String(value.length)} bytes) ${hex(value)}${more}`;
  }
  return null;
}

function flatten(prefix: string, value: unknown, depth: number, out: Map<string, string>): void {
  if (out.size >= MAX_DUMP_TAGS || value === undefined || value === null) return;
  const text = scalar(value);
  if (text !== null) {
    out.set(prefix, cap(text));
    return;
  }
  if (Array.isArray(value)) {
    const items = value as unknown[];
    if (items.every((item) => scalar(item) !== null)) {
      out.set(prefix, cap(items.map((item) => scalar(item) ?? "").join(", ")));
      return;
    }
    if (depth >= MAX_DEPTH) {
      out.set(prefix, `(list of ${String(items.length)})`);
      return;
    }
    items.forEach((item, index) => {
      flatten(`${prefix}[${String(index)}]`, item, depth + 1, out);
    });
    return;
  }
  if (typeof value === "object") {
    if (depth >= MAX_DEPTH) {
      out.set(prefix, "(nested structure)");
      return;
    }
    for (const [key, item] of Object.entries(value)) flatten(`${prefix}.${key}`, item, depth + 1, out);
  }
}

/**
 * The most XMP exifr is given. exifr's XMP parser is quadratic in the packet (`<a:b>` repeated:
 * 0.24 s at 60 KiB, 90 s at 1 MiB) and runs synchronously, so nothing can interrupt it. A JPEG's
 * main packet fits one APP1 segment (64 KiB) and is always parsed; what can exceed the cap is
 * Extended XMP (JPEG segments that triage never reads either) and a TIFF tag or PNG chunk.
 */
export const MAX_DUMP_XMP_BYTES = 64 * 1024;

const APP1 = 0xe1;
const EXTENDED_XMP_HEADER = "http://ns.adobe.com/xmp/extension/\0";

/** What exifr is given for one photo: bytes, whether to read XMP, and what was left out and why. */
export interface DumpInput {
  bytes: Uint8Array;
  xmp: boolean;
  /** `exifhunt:…` entries saying what the dump does not show. */
  notes: Record<string, string>;
}

/** A JPEG without its Extended XMP segments (a copy only when it has some). */
function withoutExtendedXmp(bytes: Uint8Array): DumpInput {
  const layout = walkJpeg(bytes);
  const extended = layout.segments.filter((segment) => segment.marker === APP1 && startsWithAscii(segmentPayload(bytes, segment), EXTENDED_XMP_HEADER));
  if (extended.length === 0) return { bytes, xmp: true, notes: {} };
  const kept: Uint8Array[] = [];
  let from = 0;
  let total = 0;
  for (const segment of extended) {
    kept.push(bytes.subarray(from, segment.offset));
    from = Math.min(bytes.length, segment.offset + 4 + segment.length);
    total += segment.length;
  }
  kept.push(bytes.subarray(from));
  return {
    bytes: Buffer.concat(kept),
    xmp: true,
    notes: { "exifhunt:extendedXmp": `${String(extended.length)} Extended XMP segments (${String(total)} bytes) not read` },
  };
}

/** The same input, with XMP off when the packet triage found is larger than exifr is given. */
function capXmp(bytes: Uint8Array, packet: Uint8Array | null): DumpInput {
  if (packet === null || packet.length <= MAX_DUMP_XMP_BYTES) return { bytes, xmp: true, notes: {} };
  return { bytes, xmp: false, notes: { "exifhunt:xmp": `XMP packet of ${String(packet.length)} bytes not read (more than ${String(MAX_DUMP_XMP_BYTES)})` } };
}

/** What exifr should parse: the file itself, or the TIFF block a WebP or AVIF wraps, without oversized XMP. */
export async function dumpInput(bytes: Uint8Array): Promise<DumpInput | null> {
  const format = detectFormat(bytes);
  const plain = (input: Uint8Array | null): DumpInput | null => (input === null ? null : { bytes: input, xmp: true, notes: {} });
  switch (format) {
    case "webp":
      return plain(walkWebp(bytes).exif);
    case "avif": {
      const exif = (await sharp(bytes).metadata()).exif;
      return plain(exif === undefined ? null : withoutExifHeader(exif));
    }
    case "gif":
    case "bmp":
    case null:
      return null;
    case "jpeg":
      return withoutExtendedXmp(bytes);
    case "tiff":
      return capXmp(bytes, readTiffTags(bytes).xmp);
    case "png":
      return capXmp(bytes, walkPng(bytes).xmp);
    case "heic":
      return plain(bytes);
  }
}

/**
 * Every tag of a photo as `group:Tag -> text` (`ifd0:Model`, `exif:DateTimeOriginal`,
 * `xmp:…`), in the order exifr reads them; exifr's own complaints come last as `exifr:errors`.
 * An empty record when the photo carries no metadata. Throws when the container cannot be opened.
 */
export async function dumpMetadata(bytes: Uint8Array): Promise<Record<string, string>> {
  const input = await dumpInput(bytes);
  if (input === null) return {};
  const output: unknown = await exifr.parse(input.bytes, input.xmp ? DUMP_OPTIONS : { ...DUMP_OPTIONS, xmp: false });
  const tags = new Map<string, string>();
  if (typeof output !== "object" || output === null) return input.notes;
  let errors: unknown = undefined;
  for (const [group, values] of Object.entries(output as Record<string, unknown>)) {
    if (group === "errors") {
      errors = values;
      continue;
    }
    if (typeof values !== "object" || values === null || values instanceof Uint8Array) {
      flatten(group, values, 0, tags);
      continue;
    }
    for (const [tag, value] of Object.entries(values as Record<string, unknown>)) flatten(`${group}:${tag}`, value, 1, tags);
  }
  if (Array.isArray(errors) && errors.length > 0) tags.set("exifr:errors", cap(errors.map((error: unknown) => String(error)).join("; ")));
  return { ...Object.fromEntries(tags), ...input.notes };
}
