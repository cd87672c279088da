/**
 * IPTC-IIM dates (DateCreated 2:55, TimeCreated 2:60), from the record a JPEG keeps in Photoshop's
 * image resources (APP13 "Photoshop 3.0", resource 0x0404) or a TIFF in tag 33723. Pure.
 * Formats: IPTC-NAA Information Interchange Model 4.2; Adobe Photoshop File Formats, Image Resource
 * Blocks.
 */
import { latin1, startsWithAscii } from "./bytes.js";
import { APP13, type SegmentClaim } from "./jpeg-segments.js";

export interface IptcTags {
  /** `YYYYMMDD`. */
  dateCreated: string | null;
  /** `HHMMSS±HHMM`. */
  timeCreated: string | null;
}

export const NO_IPTC_TAGS: IptcTags = { dateCreated: null, timeCreated: null };

/** What APP13's payload starts with when it holds Photoshop's image resources. */
export const PHOTOSHOP_HEADER = "Photoshop 3.0\0";
const IPTC_RESOURCE = 0x0404;

/** In a JPEG, the IPTC record is in APP13's Photoshop resources; photoshopIptc reads them header and all. */
export const IPTC_SEGMENT: SegmentClaim = { marker: APP13, header: PHOTOSHOP_HEADER, keepHeader: true };

/** The IPTC record inside a JPEG's APP13 payload (Photoshop image resource blocks); null when none. */
export function photoshopIptc(app13: Uint8Array): Uint8Array | null {
  if (!startsWithAscii(app13, PHOTOSHOP_HEADER)) return null;
  const view = new DataView(app13.buffer, app13.byteOffset, app13.byteLength);
  let offset = PHOTOSHOP_HEADER.length;
  // Each block: "8BIM", a 2-byte id, a Pascal name padded to an even length, a 4-byte size, the
  // data padded to an even length.
  while (offset + 12 <= app13.length && startsWithAscii(app13.subarray(offset), "8BIM")) {
    const id = view.getUint16(offset + 4);
    const nameLength = app13[offset + 6] ?? 0;
    const sizeAt = offset + 6 + nameLength + 1 + ((nameLength + 1) % 2);
    if (sizeAt + 4 > app13.length) return null;
    const size = view.getUint32(sizeAt);
    const start = sizeAt + 4;
    // A size of 0 with datasets following is a writer's slip: the record runs to the segment's end.
    if (id === IPTC_RESOURCE) return app13.subarray(start, size === 0 ? app13.length : Math.min(start + size, app13.length));
    offset = start + size + (size % 2);
  }
  return null;
}

/** DateCreated and TimeCreated from IIM datasets (0x1C, record, dataset, 2-byte size, data). */
export function readIptc(datasets: Uint8Array): IptcTags {
  const tags: { dateCreated: string | null; timeCreated: string | null } = { dateCreated: null, timeCreated: null };
  const view = new DataView(datasets.buffer, datasets.byteOffset, datasets.byteLength);
  // Some writers pad the record's start: the first dataset is the first tag marker.
  let offset = datasets.indexOf(0x1c);
  while (offset !== -1 && offset + 5 <= datasets.length && datasets[offset] === 0x1c) {
    const record = datasets[offset + 1];
    const dataset = datasets[offset + 2];
    const size = view.getUint16(offset + 3);
    // Sizes of 32 KiB and more use the extended form (a length of the length): never a date.
    if (size & 0x8000) break;
    const start = offset + 5;
    const value = latin1.decode(datasets.subarray(start, Math.min(start + size, datasets.length))).trim();
    if (record === 2 && value !== "") {
      if (dataset === 55) tags.dateCreated ??= value;
      else if (dataset === 60) tags.timeCreated ??= value;
    }
    offset = start + size;
  }
  return tags;
}
