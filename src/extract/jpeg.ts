/**
 * A pure JPEG marker walker: where each header segment is, the frame size from SOF, and how many
 * bytes from the start hold all the metadata. Triage reads only that prefix (EXIF lives in the
 * first 64 KiB of nearly every JPEG; an APP segment can run past it, and the walker says so).
 */
import { startsWithAscii } from "./bytes.js";
import { IPTC_SEGMENT } from "./iptc.js";
import type { SegmentClaim } from "./jpeg-segments.js";
import { EXIF_SEGMENT } from "./tiff-tags.js";
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
}

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

export function walkJpeg(bytes: Uint8Array): JpegLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segments: JpegSegment[] = [];
  let frame: JpegLayout["frame"] = null;
  let offset = 2; // past SOI
  while (offset + 1 < bytes.length) {
    if (bytes[offset] !== 0xff) {
      // Not at a marker: corrupt header. Report what we found; the header ends here.
      return { segments, frame, headerEnd: offset, needAtLeast: offset };
    }
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (isStandalone(marker)) {
      if (marker === EOI) return { segments, frame, headerEnd: offset + 2, needAtLeast: offset + 2 };
      offset += 2;
      continue;
    }
    if (offset + 4 > bytes.length) break;
    const length = view.getUint16(offset + 2) - 2;
    if (length < 0) return { segments, frame, headerEnd: offset, needAtLeast: offset };
    segments.push({ marker, offset, length });
    if (marker === SOS) return { segments, frame, headerEnd: offset, needAtLeast: offset };
    const payload = offset + 4;
    if (isStartOfFrame(marker) && payload + 5 <= bytes.length) {
      frame = { height: view.getUint16(payload + 1), width: view.getUint16(payload + 3) };
    }
    const next = payload + length;
    if (next > bytes.length) return { segments, frame, headerEnd: null, needAtLeast: next + 4 };
    offset = next;
  }
  return { segments, frame, headerEnd: null, needAtLeast: offset + 4 };
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
