/** Byte helpers the container walkers and tag readers share. */
import { Buffer, isAscii, isUtf8 } from "node:buffer";

/** Whether `bytes` starts with the characters of `text` (ASCII, one byte each). */
export function startsWithAscii(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * Bytes `start` to `end` as characters, one per byte (ISO-8859-1: byte n is U+00nn). Buffer's
 * native latin1 slice over a view of the same memory: no array of char codes in between, which is
 * what spreading bytes into String.fromCharCode builds (a few times slower, and garbage per tag).
 */
export function byteText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1", start, end);
}

/**
 * `length` bytes at `offset` as characters, one per byte: four-character codes, signatures. A
 * code wholly inside the bytes is made from its four char codes: a box walk asks for one per box,
 * and a Buffer view for each cost more than the rest of the walk (an iPhone HEIC lists a hundred items).
 */
export function asciiAt(bytes: Uint8Array, offset: number, length = 4): string {
  if (length === 4 && offset >= 0 && offset + 4 <= bytes.length) {
    return String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
  }
  return byteText(bytes, offset, offset + length);
}

/** Text decoders, made once: one character per byte (Latin-1), and UTF-8. */
export const latin1 = new TextDecoder("latin1");
export const utf8 = new TextDecoder("utf-8");

/**
 * UTF-8 bytes as text, exactly as `utf8.decode` reads them (one leading BOM dropped, invalid
 * sequences replaced). Valid UTF-8, which is nearly every XMP packet, is decoded by Buffer's
 * native decoder, which gives the same characters for it and is many times faster than
 * TextDecoder here (23 µs against well under 1 µs for a 7 KB packet); anything else by TextDecoder.
 * One character past U+007F makes the whole text a two-byte string, decoded character by
 * character: 40 µs for an 18 KB packet whose only such character is its header's U+FEFF, against
 * 2 µs for the same bytes without it (readXmp leaves that header out).
 */
export function utf8Text(bytes: Uint8Array): string {
  // ASCII is the same characters in Latin-1, which Buffer copies where UTF-8 is decoded.
  if (isAscii(bytes)) return byteText(bytes, 0, bytes.length);
  if (!isUtf8(bytes)) return utf8.decode(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8", bom);
}

/** What an EXIF block starts with in a JPEG APP1 segment (and, depending on the writer, elsewhere). */
export const EXIF_HEADER = "Exif\0\0";

/**
 * The TIFF block of an EXIF block that may carry JPEG's APP1 header "Exif\0\0" in front (WebP's
 * EXIF chunk and libvips's AVIF EXIF do, or not, depending on the writer).
 */
export function withoutExifHeader(block: Uint8Array): Uint8Array {
  return startsWithAscii(block, EXIF_HEADER) ? block.subarray(EXIF_HEADER.length) : block;
}
