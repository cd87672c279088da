/**
 * A pure PNG chunk walker (PNG 3rd edition, W3C 2025): the frame size from IHDR, the EXIF block of
 * eXIf, the XMP packet of the iTXt chunk keyed "XML:com.adobe.xmp", and the Software text. Chunks
 * can follow the pixels, so the walk needs the whole file; it stops where the bytes end.
 */
import { asciiAt, latin1, utf8 } from "./bytes.js";
import type { PixelSize } from "./sample.js";

export interface PngLayout {
  frame: PixelSize | null;
  /** The eXIf chunk: a TIFF block. */
  exif: Uint8Array | null;
  xmp: Uint8Array | null;
  /** The tEXt/iTXt "Software" keyword's text. */
  software: string | null;
  /** The chunk that runs past the end of the bytes, if one does (the walk stops there). */
  cut: { type: string; offset: number } | null;
  /** Whether the walk met IEND. */
  ended: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** tEXt: keyword, NUL, Latin-1 text. */
function textChunk(data: Uint8Array): { keyword: string; text: Uint8Array; utf8: boolean } | null {
  const nul = data.indexOf(0);
  return nul === -1 ? null : { keyword: latin1.decode(data.subarray(0, nul)), text: data.subarray(nul + 1), utf8: false };
}

/** iTXt: keyword, NUL, compression flag and method, language tag, NUL, translated keyword, NUL, UTF-8 text. */
function internationalTextChunk(data: Uint8Array): { keyword: string; text: Uint8Array; utf8: boolean } | null {
  const nul = data.indexOf(0);
  if (nul === -1 || data[nul + 1] !== 0) return null; // compressed iTXt: not read
  const languageEnd = data.indexOf(0, nul + 3);
  const translatedEnd = languageEnd === -1 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd === -1) return null;
  return { keyword: latin1.decode(data.subarray(0, nul)), text: data.subarray(translatedEnd + 1), utf8: true };
}

export function walkPng(bytes: Uint8Array): PngLayout {
  const layout: PngLayout = { frame: null, exif: null, xmp: null, software: null, cut: null, ended: false };
  if (!SIGNATURE.every((byte, i) => bytes[i] === byte)) return layout;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = SIGNATURE.length;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = asciiAt(bytes, offset + 4);
    const data = bytes.subarray(offset + 8, Math.min(offset + 8 + length, bytes.length));
    if (offset + 12 + length > bytes.length) layout.cut = { type, offset };
    if (type === "IHDR" && data.length >= 8) {
      layout.frame = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12) };
    } else if (type === "eXIf") {
      layout.exif ??= data;
    } else if (type === "tEXt" || type === "iTXt") {
      const text = type === "tEXt" ? textChunk(data) : internationalTextChunk(data);
      if (text?.keyword === "XML:com.adobe.xmp") layout.xmp ??= text.text;
      else if (text?.keyword === "Software") layout.software ??= ((text.utf8 ? utf8 : latin1).decode(text.text).trim() || null);
    } else if (type === "IEND") {
      layout.ended = true;
      break;
    }
    offset += 12 + length; // length, type, data, CRC
  }
  return layout;
}
