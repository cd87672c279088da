/**
 * JPEG quantization tables (DQT) as a fingerprint of the encoder that wrote the pixels. A phone's
 * camera firmware encodes with its own tables; an editor re-encodes with its own (Adobe's, or
 * libjpeg's standard tables scaled by a quality setting). Pure: bytes and a JPEG layout in.
 */
import { createHash } from "node:crypto";
import { DQT, type JpegLayout } from "./jpeg.js";

export interface QuantizationTable {
  /** Tq: the table slot (0 luminance, 1 chrominance by convention). */
  id: number;
  /** Pq: 0 for 8-bit values, 1 for 16-bit. */
  precision: number;
  /** 64 values in zig-zag order, as stored. */
  values: number[];
}

/** The tables the DQT segments define, by slot (a later definition of a slot replaces an earlier one). */
export function readQuantizationTables(bytes: Uint8Array, layout: JpegLayout): QuantizationTable[] {
  const bySlot = new Map<number, QuantizationTable>();
  for (const segment of layout.segments) {
    if (segment.marker !== DQT) continue;
    let offset = segment.offset + 4;
    const end = Math.min(segment.offset + 4 + segment.length, bytes.length);
    while (offset < end) {
      const head = bytes[offset] ?? 0;
      const precision = head >> 4;
      const id = head & 0x0f;
      const size = precision === 0 ? 1 : 2;
      if (offset + 1 + 64 * size > end) break;
      const values: number[] = [];
      for (let i = 0; i < 64; i++) {
        const at = offset + 1 + i * size;
        values.push(size === 1 ? (bytes[at] ?? 0) : ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0));
      }
      bySlot.set(id, { id, precision, values });
      offset += 1 + 64 * size;
    }
  }
  return [...bySlot.values()].sort((a, b) => a.id - b.id);
}

/**
 * A short, stable fingerprint of a set of tables: the first 16 hex digits of the SHA-256 of
 * `slot/precision:values` per table. Independent of how the tables were split over segments.
 */
export function quantizationFingerprint(tables: readonly QuantizationTable[]): string | null {
  if (tables.length === 0) return null;
  const text = tables.map((t) => `${String(t.id)}/${String(t.precision)}:${t.values.join(",")}`).join(";");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Zig-zag scan order: position i of a DQT lists the coefficient at natural index ZIGZAG[i]. */
const ZIGZAG: readonly number[] = (() => {
  const order: number[] = [];
  for (let sum = 0; sum < 15; sum++) {
    const cells: number[] = [];
    for (let row = 0; row < 8; row++) {
      const col = sum - row;
      if (col >= 0 && col < 8) cells.push(row * 8 + col);
    }
    // Odd diagonals run top-right to bottom-left (row rising), even ones the other way.
    order.push(...(sum % 2 === 1 ? cells : cells.reverse()));
  }
  return order;
})();

/** The example tables of the JPEG standard (ITU-T T.81 Annex K), natural order. */
const STANDARD_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const STANDARD_CHROMINANCE = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...Array<number>(32).fill(99),
];

/**
 * libjpeg's tables for a quality setting (jcparam.c: jpeg_quality_scaling and
 * jpeg_add_quant_table with force_baseline), in zig-zag order as a DQT stores them.
 */
export function ijgTable(base: readonly number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
  return ZIGZAG.map((natural) => {
    const value = Math.floor(((base[natural] ?? 0) * scale + 50) / 100);
    return Math.min(255, Math.max(1, value));
  });
}

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The libjpeg quality whose standard tables these are, or null. */
export function ijgQuality(tables: readonly QuantizationTable[]): number | null {
  const luminance = tables.find((t) => t.id === 0);
  const chrominance = tables.find((t) => t.id === 1);
  if (luminance === undefined || tables.length > 2 || (tables.length === 2 && chrominance === undefined)) return null;
  const standardTables = ijgTables();
  for (let quality = 100; quality >= 1; quality--) {
    const standard = standardTables[quality];
    if (standard === undefined || !sameValues(luminance.values, standard.luminance)) continue;
    if (chrominance === undefined || sameValues(chrominance.values, standard.chrominance)) return quality;
  }
  return null;
}

let ijgCache: { luminance: number[]; chrominance: number[] }[] | undefined;

/** libjpeg's tables for every quality, computed once: triage compares every photo against them. */
function ijgTables(): { luminance: number[]; chrominance: number[] }[] {
  ijgCache ??= Array.from({ length: 101 }, (_, quality) => ({
    luminance: ijgTable(STANDARD_LUMINANCE, Math.max(1, quality)),
    chrominance: ijgTable(STANDARD_CHROMINANCE, Math.max(1, quality)),
  }));
  return ijgCache;
}

/**
 * Fingerprints (quantizationFingerprint) of tables Adobe software writes, read from files it
 * saved in the shared corpus and identified by ExifTool 12.57's JPEGDigest. Not complete: Adobe
 * has more quality levels than these; add a level when a file saved at it turns up.
 */
export const ADOBE_FINGERPRINTS: Readonly<Record<string, string>> = {
  // cameras/Photoshop (2).jpg; also what Lightroom wrote in cameras/Canon EOS 7D.jpg.
  "069c3c25a5cdc9bb": "Adobe Photoshop quality 12",
  // cameras/Issue 258 (dotnet).jpg, Nikon E950.jpg, Multiple ICC segments.jpg.
  "8f6a553e2f837cb6": "Adobe Photoshop quality 8",
  // cameras/Photoshop (3).jpg.
  "d76c9cccf785b854": "Adobe Photoshop Save for Web quality 80",
  // broken/ImageTestSuite--28c74d92….jpg.
  "1b28ddc131cce01d": "Adobe Photoshop Save for Web quality 45",
  // broken/ImageTestSuite--c52ffdd6….jpg and --fddcfc77….jpg.
  "48f6aaace59bab18": "Adobe Photoshop Save for Web quality 30",
  // phones/nokia-lumia-800.jpg (XMP CreatorTool: Adobe Photoshop Lightroom).
  "a52db3c75c85882d": "Adobe Lightroom quality 77–84%",
  // phones/samsung-sm-g965w-photoshop.jpg, saved by Photoshop 21 with Lightroom's tables.
  "e03666f5fbb06708": "Adobe Lightroom / Photoshop CC, Lightroom quality 62–69%",
};

export interface KnownTables {
  /** Who writes these tables: "Adobe Photoshop (quality 8)", "libjpeg (quality 90)". */
  encoder: string;
  /** "adobe": only Adobe's software writes them; "libjpeg": editors, converters and some apps. */
  family: "adobe" | "libjpeg";
}

/** Whether the tables are a known editor's or library's; null when they are not ones we know. */
export function knownTables(tables: readonly QuantizationTable[], fingerprint: string | null): KnownTables | null {
  const adobe = fingerprint === null ? undefined : ADOBE_FINGERPRINTS[fingerprint];
  if (adobe !== undefined) return { encoder: adobe, family: "adobe" };
  const quality = ijgQuality(tables);
  return quality === null ? null : { encoder: `libjpeg's standard tables at quality ${String(quality)}`, family: "libjpeg" };
}
