/**
 * Image containers recognised by content (magic bytes), never by file name: photo dumps are full of
 * `.jpg` files that are not JPEGs and JPEGs named `.dat`. One signature test per format; the
 * container table (containers.ts) says in which order they are tried (detectFormat).
 */
import { asciiAt } from "./bytes.js";

export type ImageFormat = "jpeg" | "png" | "tiff" | "webp" | "heic" | "avif" | "gif" | "bmp";

const HEIF_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0xff, 0xd8, 0xff]);
}

export function isPng(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
}

export function isTiff(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]);
}

export function isWebp(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && asciiAt(bytes, 0, 4) === "RIFF" && asciiAt(bytes, 8, 4) === "WEBP";
}

export function isGif(bytes: Uint8Array): boolean {
  return asciiAt(bytes, 0, 4) === "GIF8";
}

export function isBmp(bytes: Uint8Array): boolean {
  return asciiAt(bytes, 0, 2) === "BM" && bytes.length >= 14;
}

/** The major and compatible brands of an ISOBMFF `ftyp` box; empty when the file does not start with one. */
function isoBmffBrands(bytes: Uint8Array): string[] {
  if (bytes.length < 16 || asciiAt(bytes, 4, 4) !== "ftyp") return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxSize = Math.min(view.getUint32(0), bytes.length);
  const brands = [asciiAt(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(asciiAt(bytes, offset, 4));
  return brands;
}

/** AVIF: an `ftyp` box whose major or compatible brands name it. Tried before HEIF: an AVIF may list mif1 too. */
export function isAvif(bytes: Uint8Array): boolean {
  return isoBmffBrands(bytes).some((brand) => AVIF_BRANDS.has(brand));
}

/** HEIF (HEIC): an `ftyp` box with a HEIF brand. */
export function isHeif(bytes: Uint8Array): boolean {
  return isoBmffBrands(bytes).some((brand) => HEIF_BRANDS.has(brand));
}
