/**
 * Damage the readers recovered from, said as data (record.ts WarningCode) instead of passed over
 * in silence: each reader returns its warnings beside its result, as exiftool-vendored's Tags keep
 * `warnings[]` beside the values. Pure helpers; no reader keeps state between files.
 */
import type { RecordWarning, WarningCode } from "../record.js";

/**
 * The warnings of an undamaged block: one frozen empty list shared by every reading, so the hot
 * path allocates nothing for the photos (nearly all) that have none.
 */
export const NO_WARNINGS: readonly RecordWarning[] = Object.freeze([]);

export function warning(code: WarningCode, message: string): RecordWarning {
  return { code, message };
}

/** Several readers' warnings as one list, without a new one when all but one are empty. */
export function joinWarnings(...lists: readonly (readonly RecordWarning[])[]): readonly RecordWarning[] {
  const filled = lists.filter((list) => list.length > 0);
  if (filled.length <= 1) return filled[0] ?? NO_WARNINGS;
  return filled.flat();
}

/** Where a reader read a container whose size is what the read plan read (a limit is not damage). */
export function readWhole(bytes: Uint8Array, fileSize: number): boolean {
  return bytes.length >= fileSize;
}

/** The tail of an XMP packet that holds its closing tag (`</rdf:RDF>`, with whatever prefix). */
const RDF_CLOSE = [0x52, 0x44, 0x46, 0x3e]; // "RDF>"

/**
 * Whether an XMP packet stops before its closing `</…:RDF>`: a packet cut where a segment or chunk
 * was cut (XMP, ISO 16684-1 §7.3). Only UTF-8 packets are judged (nearly all are); a UTF-16 one,
 * which starts with a byte-order mark or a NUL, is passed.
 */
export function xmpCutShort(packet: Uint8Array): boolean {
  if (packet.length === 0 || packet[0] === 0 || packet[0] === 0xfe || packet[0] === 0xff) return false;
  for (let at = packet.length - RDF_CLOSE.length; at >= 2; at--) {
    if (packet[at] !== RDF_CLOSE[0] || packet[at + 1] !== RDF_CLOSE[1] || packet[at + 2] !== RDF_CLOSE[2] || packet[at + 3] !== RDF_CLOSE[3]) continue;
    // `</rdf:RDF>`: a `</` within the prefix's reach before the name.
    for (let back = at - 1; back >= Math.max(0, at - 24); back--) {
      if (packet[back] === 0x2f && packet[back - 1] === 0x3c) return false;
      if (packet[back] === 0x3c || packet[back] === 0x3e) break;
    }
  }
  return true;
}
