/**
 * The table of image formats: for each container, how it is recognised, which of its bytes triage
 * reads (the read plan), how its metadata blocks are found (the extract dispatch) and what the
 * deep pass's dump parses. A format is added here, in one entry, and TypeScript insists the
 * entry is complete (`satisfies Record<ImageFormat, Container>`).
 */
import { NO_TAGS } from "./tags.js";
import { plainDumpInput, withoutExtendedXmp, withXmpCapped, type DumpInput } from "./dump-input.js";
import { readTiffTags } from "./tiff-tags.js";
import { avifExifBlock, readAvif } from "./avif.js";
import { isAvif, isBmp, isGif, isHeif, isJpeg, isPng, isTiff, isWebp, type ImageFormat } from "./format.js";
import { photoshopIptc } from "./iptc.js";
import { walkIsoBmff, type ByteRange, type BytePiece } from "./isobmff.js";
import { JpegPrefixPlan, jpegMetadata, jpegWarnings, walkJpeg, type JpegLayout } from "./jpeg.js";
import { walkPng, type PngLayout } from "./png.js";
import { jpegQuantization } from "./quantization-cache.js";
import { MetadataError, tagsOf, type Beyond, type Reading } from "./reading.js";
import { walkWebp, type WebpLayout } from "./riff.js";
import { joinWarnings, NO_WARNINGS, readWhole, warning } from "./warnings.js";
import type { RecordWarning } from "../record.js";

/** How a prefix of a file is judged: how far its metadata runs, and what of it to leave out. */
export interface PrefixPlan {
  /**
   * How many bytes from the start of a file hold its metadata, judged from a prefix of it: a
   * number <= prefix.length when the prefix is enough.
   */
  metadataExtent(prefix: Uint8Array, fileSize: number): number;
  /** A segment the prefix ends inside that no parser reads, to be left out; null when none. */
  unreadSegment(prefix: Uint8Array): ByteRange | null;
}

/** One prefix's judge, kept while it grows: it walks each byte once however many rounds it takes. */
export interface GrowingPrefixPlan extends PrefixPlan {
  /** Work done so far (markers and fill bytes walked), for the tests that prove it linear. */
  readonly steps: number;
}

/** Which bytes of a file triage reads for its metadata (triage/read-plan.ts follows it). */
interface ReadPlan extends PrefixPlan {
  /** A judge for one prefix as it grows, given the same prefix each time (longer, or cut back by unreadSegment). */
  growingPrefix(): GrowingPrefixPlan;
  /** The next range past the prefix that holds metadata, given the pieces read so far; null when none. */
  nextMetadataRange(prefix: Uint8Array, pieces: readonly BytePiece[], fileSize: number): ByteRange | null;
}

export interface Container extends ReadPlan {
  /** Whether a file's first bytes are this format's (magic bytes, format.ts). */
  detect(bytes: Uint8Array): boolean;
  /** Whether the container can carry metadata at all: GIF and BMP cannot, so they get no evidence either. */
  carriesMetadata: boolean;
  /** Its metadata blocks' tags, pixel size and EXIF block, from the bytes the read plan read. */
  read(bytes: Uint8Array, beyond: Beyond): Reading | Promise<Reading>;
  /**
   * What the deep pass's exifr dump parses (dump.ts): the file or the TIFF block it wraps, without
   * what would make exifr quadratic (dump-input.ts); null for none.
   */
  dumpInput(bytes: Uint8Array): DumpInput | null | Promise<DumpInput | null>;
}

/**
 * The read plan of a container that can put metadata anywhere (TIFF IFDs, PNG chunks after the
 * pixels): read whole, up to the scan's byte limit.
 */
const READ_WHOLE: ReadPlan = {
  metadataExtent: (_prefix, fileSize) => fileSize,
  unreadSegment: () => null,
  growingPrefix: () => ({ metadataExtent: (_prefix, fileSize) => fileSize, unreadSegment: () => null, steps: 0 }),
  nextMetadataRange: () => null,
};

const NO_READING = { tags: NO_TAGS, frame: null, tiff: null, quantization: null, warnings: NO_WARNINGS };

/**
 * The warnings of a container read whole (READ_WHOLE): none when the read limit, not the file,
 * ended the bytes, since a chunk or a value cut there is the limit's doing.
 */
function wholeFileWarnings(bytes: Uint8Array, beyond: Beyond, container: readonly RecordWarning[], blocks: readonly RecordWarning[]): readonly RecordWarning[] {
  return readWhole(bytes, beyond.fileSize) ? joinWarnings(container, blocks) : NO_WARNINGS;
}

function pngWarnings(layout: PngLayout): readonly RecordWarning[] {
  if (layout.cut !== null) return [warning("truncated-container", `the PNG's ${layout.cut.type} chunk at byte ${String(layout.cut.offset)} runs past the end of the file: the chunks before it were read`)];
  if (!layout.ended) return [warning("truncated-container", "the PNG ends without an IEND chunk: the chunks before its end were read")];
  return NO_WARNINGS;
}

function webpWarnings(layout: WebpLayout): readonly RecordWarning[] {
  if (layout.cut === null) return NO_WARNINGS;
  return [warning("truncated-container", `the WebP's ${layout.cut.id.trim()} chunk at byte ${String(layout.cut.offset)} runs past the end of the file: the chunks before it were read`)];
}

/**
 * A HEIC's EXIF: the Exif item is a 4-byte offset to the TIFF header, then the TIFF block that
 * tiff-tags.ts reads (ISO/IEC 23008-12 Annex A.2.1). The item is read from wherever triage found
 * it (nextMetadataRange), not from a buffer holding the whole file up to it. `cut` is the box
 * that runs past the end of the file, when one does.
 */
function heicExifTiff(prefix: Uint8Array, beyond: Beyond): { tiff: Uint8Array | null; cut: { type: string; offset: number } | null } {
  const walk = walkIsoBmff([{ offset: 0, bytes: prefix }, ...beyond.pieces], beyond.fileSize);
  if (walk.kind === "corrupt") throw new MetadataError(walk.reason);
  if (walk.kind === "need") {
    const { offset, length } = walk.range;
    throw new MetadataError(`metadata lies at bytes ${String(offset)}-${String(offset + length - 1)}, which were not read`);
  }
  if (walk.exif === null) return { tiff: null, cut: walk.cut };
  const item = walk.exif;
  if (item.length < 4) throw new MetadataError("the Exif item is too short");
  const tiffStart = 4 + new DataView(item.buffer, item.byteOffset, item.byteLength).getUint32(0);
  return { tiff: item.subarray(tiffStart), cut: walk.cut };
}

function boxWarnings(cut: { type: string; offset: number } | null): readonly RecordWarning[] {
  if (cut === null) return NO_WARNINGS;
  return [warning("truncated-container", `the HEIF's ${cut.type} box at byte ${String(cut.offset)} runs past the end of the file: the boxes before it were read`)];
}

/**
 * A JPEG's reading, from bytes that hold its whole header (metadataExtent), or the whole file
 * (`whole`: a header that runs to its end without reaching the image data is a truncated file).
 */
export function readJpeg(bytes: Uint8Array, layout: JpegLayout, whole = false): Reading {
  const blocks = jpegMetadata(bytes, layout);
  const iptc = blocks.photoshop === null ? null : photoshopIptc(blocks.photoshop);
  const tags = tagsOf({ tiff: blocks.exif, xmp: blocks.xmp, iptc });
  const warnings = joinWarnings(jpegWarnings(layout, bytes, whole), tags.warnings);
  return { format: "jpeg", tags, frame: layout.frame, tiff: blocks.exif, quantization: jpegQuantization(bytes, layout), warnings };
}

/**
 * The formats, in the order detectFormat tries them: the first whose `detect` accepts a file wins
 * (AVIF before HEIC, as an AVIF's ftyp may list the HEIF brand mif1 too).
 */
export const CONTAINERS = {
  jpeg: {
    detect: isJpeg,
    // The header segments are walked (JpegPrefixPlan): the prefix is enough once it reaches the start of scan.
    metadataExtent: (prefix, fileSize) => new JpegPrefixPlan().metadataExtent(prefix, fileSize),
    unreadSegment: (prefix) => new JpegPrefixPlan().unreadSegment(prefix),
    growingPrefix: () => new JpegPrefixPlan(),
    nextMetadataRange: () => null,
    carriesMetadata: true,
    read: (bytes, beyond) => readJpeg(bytes, walkJpeg(bytes), readWhole(bytes, beyond.fileSize)),
    dumpInput: withoutExtendedXmp,
  },
  png: {
    detect: isPng,
    ...READ_WHOLE,
    carriesMetadata: true,
    read(bytes, beyond) {
      // IHDR's size stands in for EXIF's (as ImageWidth), not as the frame: parity with TIFF files.
      const layout = walkPng(bytes);
      const container = { software: layout.software, width: layout.frame?.width ?? null, height: layout.frame?.height ?? null };
      const tags = tagsOf({ tiff: layout.exif, xmp: layout.xmp, container });
      return { ...NO_READING, format: "png", tags, tiff: layout.exif, warnings: wholeFileWarnings(bytes, beyond, pngWarnings(layout), tags.warnings) };
    },
    dumpInput: (bytes) => withXmpCapped(bytes, walkPng(bytes).xmp),
  },
  tiff: {
    detect: isTiff,
    ...READ_WHOLE,
    carriesMetadata: true,
    // A TIFF file is itself the TIFF structure the maker note's offsets refer to.
    read(bytes, beyond) {
      const tags = tagsOf({ tiff: bytes });
      return { ...NO_READING, format: "tiff", tags, tiff: bytes, warnings: wholeFileWarnings(bytes, beyond, NO_WARNINGS, tags.warnings) };
    },
    dumpInput: (bytes) => withXmpCapped(bytes, readTiffTags(bytes).xmp),
  },
  webp: {
    detect: isWebp,
    ...READ_WHOLE,
    carriesMetadata: true,
    read(bytes, beyond) {
      // The EXIF chunk's TIFF block; the XMP chunk is not read.
      const layout = walkWebp(bytes);
      const tags = tagsOf({ tiff: layout.exif });
      return { ...NO_READING, format: "webp", tags, frame: layout.frame, tiff: layout.exif, warnings: wholeFileWarnings(bytes, beyond, webpWarnings(layout), tags.warnings) };
    },
    dumpInput: (bytes) => plainDumpInput(walkWebp(bytes).exif),
  },
  gif: {
    detect: isGif,
    ...READ_WHOLE,
    // The container carries no EXIF.
    carriesMetadata: false,
    read: () => ({ ...NO_READING, format: "gif" }),
    dumpInput: () => null,
  },
  bmp: {
    detect: isBmp,
    ...READ_WHOLE,
    // The container carries no EXIF.
    carriesMetadata: false,
    read: () => ({ ...NO_READING, format: "bmp" }),
    dumpInput: () => null,
  },
  avif: {
    detect: isAvif,
    ...READ_WHOLE,
    carriesMetadata: true,
    read: (bytes) => readAvif(bytes),
    dumpInput: async (bytes) => plainDumpInput(await avifExifBlock(bytes)),
  },
  heic: {
    detect: isHeif,
    // No more prefix than triage reads: the metadata is fetched by range (nextMetadataRange).
    metadataExtent: (prefix) => prefix.length,
    unreadSegment: () => null,
    growingPrefix: () => ({ metadataExtent: (prefix) => prefix.length, unreadSegment: () => null, steps: 0 }),
    /**
     * Its `meta` box and Exif item can lie megabytes in (Samsung phones write them after the image
     * data), and reading them by range spares the rest.
     */
    nextMetadataRange(prefix, pieces, fileSize) {
      const walk = walkIsoBmff([{ offset: 0, bytes: prefix }, ...pieces], fileSize);
      return walk.kind === "need" ? walk.range : null;
    },
    carriesMetadata: true,
    read(bytes, beyond) {
      const { tiff, cut } = heicExifTiff(bytes, beyond);
      const tags = tagsOf({ tiff });
      return { ...NO_READING, format: "heic", tags, tiff, warnings: joinWarnings(boxWarnings(cut), tags.warnings) };
    },
    dumpInput: plainDumpInput,
  },
} satisfies Record<ImageFormat, Container>;

const DETECTION_ORDER = Object.entries(CONTAINERS) as [ImageFormat, Container][];

/** The container format of a file from its first bytes; null when it is not an image we read. */
export function detectFormat(bytes: Uint8Array): ImageFormat | null {
  for (const [format, container] of DETECTION_ORDER) if (container.detect(bytes)) return format;
  return null;
}
