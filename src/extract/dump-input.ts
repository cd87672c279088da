/**
 * What the deep pass's exifr dump is given for a photo, per container (containers.ts): never what
 * makes exifr quadratic. exifr's XMP parser is quadratic in the packet (`<a:b>` repeated: 0.24 s
 * at 60 KiB, 90 s at 1 MiB) and runs synchronously, so nothing can interrupt it once started. A
 * JPEG's main packet fits one APP1 segment (64 KiB) and is always parsed; what can exceed the cap
 * is Extended XMP (JPEG segments that triage never reads either) and a TIFF tag or PNG chunk.
 */
import { startsWithAscii } from "./bytes.js";
import { APP1 } from "./jpeg-segments.js";
import { segmentPayload, walkJpeg } from "./jpeg.js";

/** The most XMP exifr is given. */
export const MAX_DUMP_XMP_BYTES = 64 * 1024;

const EXTENDED_XMP_HEADER = "http://ns.adobe.com/xmp/extension/\0";

/** What exifr is given for one photo: bytes, whether to read XMP, and what was left out and why. */
export interface DumpInput {
  bytes: Uint8Array;
  xmp: boolean;
  /** `exifhunt:…` entries saying what the dump does not show. */
  notes: Record<string, string>;
}

/** The bytes as they are, XMP included (null stays null: nothing to dump). */
export function plainDumpInput(bytes: Uint8Array | null): DumpInput | null {
  return bytes === null ? null : { bytes, xmp: true, notes: {} };
}

/** A JPEG without its Extended XMP segments (a copy only when it has some). */
export function withoutExtendedXmp(bytes: Uint8Array): DumpInput {
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

/** The bytes, with XMP off when the packet triage found is larger than exifr is given. */
export function withXmpCapped(bytes: Uint8Array, packet: Uint8Array | null): DumpInput {
  if (packet === null || packet.length <= MAX_DUMP_XMP_BYTES) return { bytes, xmp: true, notes: {} };
  return { bytes, xmp: false, notes: { "exifhunt:xmp": `XMP packet of ${String(packet.length)} bytes not read (more than ${String(MAX_DUMP_XMP_BYTES)})` } };
}
