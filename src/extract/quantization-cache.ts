/**
 * A JPEG's quantization, memoised by the DQT segments' raw bytes: a dump's photos come from few
 * encoders, so most files find their tables' fingerprint and name here without computing them.
 * The memo is module-global (one per thread) and bounded (MEMO_LIMIT entries).
 */
import { byteText } from "./bytes.js";
import type { Quantization } from "./authenticity.js";
import { DQT, type JpegLayout } from "./jpeg.js";
import { knownTables, quantizationFingerprint, readQuantizationTables } from "./quantization.js";

/** Quantization by the DQT segments' raw bytes: a dump's photos come from few encoders. */
const quantizationMemo = new Map<string, Quantization | null>();
const MEMO_LIMIT = 256;

export function jpegQuantization(bytes: Uint8Array, layout: JpegLayout): Quantization | null {
  let key = "";
  for (const segment of layout.segments) if (segment.marker === DQT) key += byteText(bytes, segment.offset + 4, Math.min(segment.offset + 4 + segment.length, bytes.length)) + "|";
  const known = quantizationMemo.get(key);
  if (known !== undefined) return known;
  const tables = readQuantizationTables(bytes, layout);
  const fingerprint = quantizationFingerprint(tables);
  const quantization = fingerprint === null ? null : { fingerprint, known: knownTables(tables, fingerprint) };
  if (quantizationMemo.size >= MEMO_LIMIT) quantizationMemo.clear();
  quantizationMemo.set(key, quantization);
  return quantization;
}
