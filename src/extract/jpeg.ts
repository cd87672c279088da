/**
 * A pure JPEG marker walker: where each header segment is, the frame size from SOF, and how many
 * bytes from the start hold all the metadata. Triage reads only that prefix (EXIF lives in the
 * first 64 KiB of nearly every JPEG; an APP segment can run past it, and the walker says so).
 */
import type { RecordWarning } from "../record.js";
import { startsWithAscii } from "./bytes.js";
import { IPTC_SEGMENT } from "./iptc.js";
import type { SegmentClaim } from "./jpeg-segments.js";
import { EXIF_SEGMENT } from "./tiff-tags.js";
import { NO_WARNINGS, warning } from "./warnings.js";
import { XMP_SEGMENT } from "./xmp.js";

export interface JpegSegment {
  /** The marker byte after 0xFF (0xE1 for APP1, 0xDB for DQT …). */
  marker: number;
  /** Offset of the 0xFF that starts the marker. */
  offset: number;
  /** Length of the segment payload, excluding the marker and the 2 length bytes. */
  length: number;
}

export interface JpegLayout {
  segments: JpegSegment[];
  frame: { width: number; height: number } | null;
  /**
   * Bytes from the start of the file that cover every header segment up to the start of the
   * scan (SOS); null when the walk could not reach SOS within the bytes given (read more).
   */
  headerEnd: number | null;
  /** When headerEnd is null: at least this many bytes are needed to walk further. */
  needAtLeast: number;
  /**
   * Why the walk ended before SOS, where that is the file's damage rather than the end of the bytes
   * given: a length below 2, no marker where the last segment's length led, EOI. Null otherwise.
   */
  damage: JpegDamage | null;
}

export type JpegDamage =
  | { kind: "bad-length"; marker: number; offset: number }
  | { kind: "no-marker"; offset: number }
  | { kind: "eoi"; offset: number };

const SOI = 0xd8;
/** Define Quantization Table. */
export const DQT = 0xdb;
const SOS = 0xda;
const EOI = 0xd9;

/** Start-of-frame markers that carry the image size (SOF0–SOF15 except DHT, JPG, DAC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers that stand alone, with no length field. */
function isStandalone(marker: number): boolean {
  return marker === SOI || marker === EOI || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/**
 * The most header segments a walk keeps. Real JPEGs have a few dozen; a hostile one can hold a
 * segment every 4 bytes (an empty APP5 is `FF E5 00 02`), 8 million in 32 MiB, which kept as
 * objects would take gigabytes. Past the cap the walk goes on (to find SOS and the frame) but
 * keeps only the segment it stands in, so no parser reads a block behind the first 4096.
 */
export const MAX_JPEG_SEGMENTS = 4096;

/**
 * A JPEG marker walk that can be continued: given the same prefix again, longer, it goes on from
 * where it stopped instead of walking it all again, so a header read in rounds costs one pass in
 * all. A prefix may also be cut back to where the walk stopped (a segment left out, see
 * unreadSegment): the walk resumes there either way. `steps` counts what it has examined.
 */
export class JpegWalker {
  /** The segments walked, then (while the header is unfinished) the one that runs past the bytes. */
  readonly segments: JpegSegment[] = [];
  frame: JpegLayout["frame"] = null;
  /** Markers and fill bytes examined since the walker was made. */
  steps = 0;
  /** Segments walked but not kept (past MAX_JPEG_SEGMENTS). */
  omitted = 0;
  #offset = 2; // past SOI
  /** Whether the last element of `segments` is the unfinished one, walked again next time. */
  #unfinished = false;
  #final: JpegLayout | null = null;

  /** The layout of a walk that found the header's end; null until one has. */
  get final(): JpegLayout | null {
    return this.#final;
  }

  /** Walks `bytes` (what was walked before, possibly more) on from where the last walk stopped. */
  walk(bytes: Uint8Array): JpegLayout {
    if (this.#final !== null) return this.#final;
    if (this.#unfinished) {
      this.segments.pop();
      this.#unfinished = false;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const final = (headerEnd: number, damage: JpegDamage | null = null): JpegLayout => {
      this.#final = { segments: this.segments, frame: this.frame, headerEnd, needAtLeast: headerEnd, damage };
      return this.#final;
    };
    let offset = this.#offset;
    while (offset + 1 < bytes.length) {
      this.steps++;
      // Not at a marker: corrupt header. Report what we found; the header ends here.
      if (bytes[offset] !== 0xff) return final(offset, { kind: "no-marker", offset });
      const marker = bytes[offset + 1] ?? 0;
      if (marker === 0xff) {
        offset += 1; // fill byte
        continue;
      }
      if (isStandalone(marker)) {
        if (marker === EOI) return final(offset + 2, { kind: "eoi", offset });
        offset += 2;
        continue;
      }
      if (offset + 4 > bytes.length) break;
      const length = view.getUint16(offset + 2) - 2;
      if (length < 0) return final(offset, { kind: "bad-length", marker, offset });
      const segment = { marker, offset, length };
      const payload = offset + 4;
      const next = payload + length;
      if (isStartOfFrame(marker) && payload + 5 <= bytes.length) {
        this.frame = { height: view.getUint16(payload + 1), width: view.getUint16(payload + 3) };
      }
      if (marker === SOS) {
        this.segments.push(segment);
        return final(offset);
      }
      if (next > bytes.length) {
        this.segments.push(segment);
        this.#unfinished = true;
        this.#offset = offset;
        return { segments: this.segments, frame: this.frame, headerEnd: null, needAtLeast: next + 4, damage: null };
      }
      if (this.segments.length < MAX_JPEG_SEGMENTS) this.segments.push(segment);
      else this.omitted++;
      offset = next;
    }
    this.#offset = offset;
    return { segments: this.segments, frame: this.frame, headerEnd: null, needAtLeast: offset + 4, damage: null };
  }
}

export function walkJpeg(bytes: Uint8Array): JpegLayout {
  return new JpegWalker().walk(bytes);
}

function markerName(marker: number): string {
  return `FF${marker.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * The warnings of a JPEG header walk: its damage, and a header that runs to the file's end without
 * reaching SOS. That last is judged only when the bytes walked are the whole file (`whole`): a
 * header cut by the read limit is the limit's doing, not the file's.
 */
export function jpegWarnings(layout: JpegLayout, bytes: Uint8Array, whole: boolean): readonly RecordWarning[] {
  const { damage } = layout;
  if (damage?.kind === "bad-length") {
    return [warning("bad-segment-length", `the ${markerName(damage.marker)} segment at byte ${String(damage.offset)} declares a length below 2: the header was read up to it`)];
  }
  if (damage?.kind === "no-marker") {
    return [warning("bad-segment-length", `no marker at byte ${String(damage.offset)}, where the previous segment's length leads: the header was read up to there`)];
  }
  if (damage?.kind === "eoi") {
    return [warning("no-start-of-scan", `the JPEG ends (EOI at byte ${String(damage.offset)}) before its image data (SOS)`)];
  }
  if (layout.headerEnd === null && whole) {
    const last = layout.segments.at(-1);
    const inside = last === undefined ? "" : ` inside the ${markerName(last.marker)} segment at byte ${String(last.offset)}`;
    return [warning("no-start-of-scan", `the file ends at byte ${String(bytes.length)}${inside}, before its image data (SOS): it is truncated`)];
  }
  return NO_WARNINGS;
}

/** The payload of a segment (after marker and length), cut to the bytes available. */
export function segmentPayload(bytes: Uint8Array, segment: JpegSegment): Uint8Array {
  return bytes.subarray(segment.offset + 4, Math.min(segment.offset + 4 + segment.length, bytes.length));
}

/** The metadata blocks of a JPEG's header, each the first of its kind. */
export interface JpegMetadata {
  /** The TIFF block of the first APP1 "Exif\0\0" segment, where EXIF and the maker note live. */
  exif: Uint8Array | null;
  /** The main XMP packet (APP1 with Adobe's namespace). */
  xmp: Uint8Array | null;
  /** APP13 "Photoshop 3.0": Photoshop's image resources, which hold the IPTC record. */
  photoshop: Uint8Array | null;
}

/** Which segment each block is found in, as its reader declares it; tried in this order. */
const CLAIMS = [
  ["exif", EXIF_SEGMENT],
  ["xmp", XMP_SEGMENT],
  ["photoshop", IPTC_SEGMENT],
] as const satisfies readonly (readonly [keyof JpegMetadata, SegmentClaim])[];

/**
 * JPEG APP segments whose payload exifhunt's parsers read (APP1 for EXIF and XMP, APP13 for
 * Photoshop's IPTC), from the readers' claims: triage leaves any other APP segment out where it
 * runs past what was read (unreadSegment in containers.ts).
 */
export const READ_APP_MARKERS: ReadonlySet<number> = new Set(CLAIMS.map(([, claim]) => claim.marker));

/**
 * A JPEG prefix judged as it grows, by one JpegWalker: each round walks only what the last did not.
 * When the prefix ends inside an APP segment no parser reads (an ICC profile split over APP2
 * segments, a phone vendor's APP4 or APP6 blob: up to 64 KiB each, often several), that whole
 * segment, marker included, is left out (unreadSegment): triage reads on from its end, so the next
 * header, and SOF for the frame size, come at the cost of a small read, not of the blob. Nothing
 * is lost: JPEG's other segments hold no offsets into the file (EXIF's are relative to its own
 * TIFF header). Which segments are read is the readers' claim (READ_APP_MARKERS).
 */
export class JpegPrefixPlan {
  readonly #walker = new JpegWalker();

  get steps(): number {
    return this.#walker.steps;
  }

  /**
   * The header's layout once a walk has found where it ends (SOS, or damage), for the bytes walked
   * last: what walkJpeg would make of them, so that triage's extraction need not walk them again.
   * Null while the header runs on past them.
   */
  get layout(): JpegLayout | null {
    return this.#walker.final;
  }

  metadataExtent(prefix: Uint8Array, fileSize: number): number {
    const layout = this.#walker.walk(prefix);
    return layout.headerEnd ?? Math.min(layout.needAtLeast, fileSize);
  }

  unreadSegment(prefix: Uint8Array): { offset: number; length: number } | null {
    const layout = this.#walker.walk(prefix);
    const last = layout.segments.at(-1);
    if (layout.headerEnd !== null || last === undefined) return null;
    const length = 4 + last.length;
    const isApp = last.marker >= 0xe0 && last.marker <= 0xef;
    if (last.offset + length <= prefix.length || !isApp || READ_APP_MARKERS.has(last.marker)) return null;
    return { offset: last.offset, length };
  }
}

export function jpegMetadata(bytes: Uint8Array, layout: JpegLayout): JpegMetadata {
  const found: JpegMetadata = { exif: null, xmp: null, photoshop: null };
  for (const segment of layout.segments) {
    if (!READ_APP_MARKERS.has(segment.marker)) continue;
    const payload = segmentPayload(bytes, segment);
    for (const [block, claim] of CLAIMS) {
      if (segment.marker !== claim.marker || !startsWithAscii(payload, claim.header)) continue;
      found[block] ??= claim.keepHeader ? payload : payload.subarray(claim.header.length);
      break;
    }
  }
  return found;
}
