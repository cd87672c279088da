/**
 * WebP is a RIFF container whose EXIF chunk is a plain TIFF block. Walking the chunks here keeps
 * extraction pure and prefix-friendly.
 */
import { asciiAt, withoutExifHeader } from "./bytes.js";

export interface WebpLayout {
  /** The TIFF block of the EXIF chunk (without any "Exif\0\0" header), if present. */
  exif: Uint8Array | null;
  /** The XMP packet, if present. */
  xmp: Uint8Array | null;
  frame: { width: number; height: number } | null;
  /** The chunk that runs past the end of the bytes, if one does (the walk stops there). */
  cut: { id: string; offset: number } | null;
}

function uint24(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16);
}

export function walkWebp(bytes: Uint8Array): WebpLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout: WebpLayout = { exif: null, xmp: null, frame: null, cut: null };
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = asciiAt(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const start = offset + 8;
    const end = Math.min(start + size, bytes.length);
    const payload = bytes.subarray(start, end);
    if (start + size > bytes.length) layout.cut = { id, offset };
    if (id === "EXIF") {
      layout.exif = withoutExifHeader(payload);
    } else if (id === "XMP ") {
      layout.xmp = payload;
    } else if (id === "VP8X" && payload.length >= 10) {
      layout.frame = { width: uint24(payload, 4) + 1, height: uint24(payload, 7) + 1 };
    } else if (id === "VP8 " && payload.length >= 10 && layout.frame === null) {
      layout.frame = {
        width: view.getUint16(start + 6, true) & 0x3fff,
        height: view.getUint16(start + 8, true) & 0x3fff,
      };
    } else if (id === "VP8L" && payload.length >= 5 && layout.frame === null) {
      const bits = view.getUint32(start + 1, true);
      layout.frame = { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    // Chunks are padded to an even size.
    offset = start + size + (size % 2);
  }
  return layout;
}
