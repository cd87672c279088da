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

/**
 * Two readers' warnings as one list, without a new one when either is empty (nearly always): a
 * fixed two-list form, since this runs once per photo and rest parameters would allocate.
 */
export function joinWarnings(first: readonly RecordWarning[], second: readonly RecordWarning[]): readonly RecordWarning[] {
  if (second.length === 0) return first;
  if (first.length === 0) return second;
  return [...first, ...second];
}

/** Where a reader read a container whose size is what the read plan read (a limit is not damage). */
export function readWhole(bytes: Uint8Array, fileSize: number): boolean {
  return bytes.length >= fileSize;
}

/**
 * Whether an XMP packet stops before its closing `</…:RDF>`: a packet cut where a segment or chunk
 * was cut (XMP, ISO 16684-1 §7.3). Only UTF-8 packets are judged (nearly all are); a UTF-16 one,
 * which starts with a byte-order mark or a NUL, is passed. Searched from the end with Buffer's
 * native lastIndexOf: the closing tag sits before the packet's padding, a few KiB from its end.
 */
export function xmpCutShort(packet: Uint8Array): boolean {
  if (packet.length === 0 || packet[0] === 0 || packet[0] === 0xfe || packet[0] === 0xff) return false;
  const text = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  for (let at = text.lastIndexOf("RDF>"); at !== -1; at = at === 0 ? -1 : text.lastIndexOf("RDF>", at - 1)) {
    // `</rdf:RDF>`: a `</` before the name, within a prefix's reach.
    for (let back = at - 1; back >= Math.max(1, at - 24); back--) {
      if (text[back] === 0x2f && text[back - 1] === 0x3c) return false;
      if (text[back] === 0x3c || text[back] === 0x3e) break;
    }
  }
  return true;
}
