/**
 * The deep pass's full metadata dump: every tag exifr can read, flattened to `group:Tag -> text`
 * for a report's appendix. Values are stringified and capped: a photo's tags are untrusted and
 * may be huge or binary. exifr is touched only here: triage reads its few tags itself (tags.ts).
 */
import exifr from "exifr";
import { CONTAINERS, detectFormat } from "./containers.js";
import type { DumpInput } from "./dump-input.js";

export { MAX_DUMP_XMP_BYTES, type DumpInput } from "./dump-input.js";

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

/** What exifr parses for a photo (containers.ts): the file, or the TIFF block it wraps, without what makes exifr quadratic. */
export async function dumpInput(bytes: Uint8Array): Promise<DumpInput | null> {
  const format = detectFormat(bytes);
  return format === null ? null : CONTAINERS[format].dumpInput(bytes);
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
