/**
 * Image containers recognised by content (magic bytes), never by file name: photo dumps are full of
 * `.jpg` files that are not JPEGs and JPEGs named `.dat`.
 */
import { asciiAt } from "./bytes.js";

export type ImageFormat = "jpeg" | "png" | "tiff" | "webp" | "heic" | "avif" | "gif" | "bmp";

const HEIF_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** The container format of a file from its first bytes; null when it is not an image we read. */
export function detectFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return "tiff";
  }
  if (bytes.length >= 12 && asciiAt(bytes, 0, 4) === "RIFF" && asciiAt(bytes, 8, 4) === "WEBP") {
    return "webp";
  }
  if (asciiAt(bytes, 0, 4) === "GIF8") return "gif";
  if (asciiAt(bytes, 0, 2) === "BM" && bytes.length >= 14) return "bmp";
  return detectIsoBmff(bytes);
}

/** HEIF and AVIF: an `ftyp` box whose major or compatible brands name the format. */
function detectIsoBmff(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length < 16 || asciiAt(bytes, 4, 4) !== "ftyp") return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxSize = Math.min(view.getUint32(0), bytes.length);
  const brands = [asciiAt(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(asciiAt(bytes, offset, 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return "avif";
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return "heic";
  return null;
}
