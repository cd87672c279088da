/**
 * The table of image formats: for each container, how it is recognised, which of its bytes triage
 * reads (the read plan), how its metadata blocks are found (the extract dispatch) and what the
 * deep pass's dump parses. A format is added here, in one entry, and TypeScript insists the
 * entry is complete (`satisfies Record<ImageFormat, Container>`).
 */
import { NO_TAGS } from "./tags.js";
import { avifExifBlock, readAvif } from "./avif.js";
import { isAvif, isBmp, isGif, isHeif, isJpeg, isPng, isTiff, isWebp, type ImageFormat } from "./format.js";
import { photoshopIptc } from "./iptc.js";
import { walkIsoBmff, type ByteRange, type BytePiece } from "./isobmff.js";
import { jpegMetadata, READ_APP_MARKERS, walkJpeg, type JpegLayout } from "./jpeg.js";
import { walkPng } from "./png.js";
import { jpegQuantization } from "./quantization-cache.js";
import { MetadataError, tagsOf, type Beyond, type Reading } from "./reading.js";
import { walkWebp } from "./riff.js";

/** Which bytes of a file triage reads for its metadata (triage/read-plan.ts follows it). */
interface ReadPlan {
  /**
   * How many bytes from the start of a file hold its metadata, judged from a prefix of it: a
   * number <= prefix.length when the prefix is enough.
   */
  metadataExtent(prefix: Uint8Array, fileSize: number): number;
  /** A segment the prefix ends inside that no parser reads, to be left out; null when none. */
  unreadSegment(prefix: Uint8Array): ByteRange | null;
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
  /** The bytes the deep pass's exifr dump parses (dump.ts): the file, the TIFF block it wraps, or null for none. */
  dumpInput(bytes: Uint8Array): Uint8Array | null | Promise<Uint8Array | null>;
}

/**
 * The read plan of a container that can put metadata anywhere (TIFF IFDs, PNG chunks after the
 * pixels): read whole, up to the scan's byte limit.
 */
const READ_WHOLE: ReadPlan = {
  metadataExtent: (_prefix, fileSize) => fileSize,
  unreadSegment: () => null,
  nextMetadataRange: () => null,
};

const NO_READING = { tags: NO_TAGS, frame: null, tiff: null, quantization: null };

/**
 * A HEIC's EXIF: the Exif item is a 4-byte offset to the TIFF header, then the TIFF block that
 * tiff-tags.ts reads (ISO/IEC 23008-12 Annex A.2.1). The item is read from wherever triage found
 * it (nextMetadataRange), not from a buffer holding the whole file up to it.
 */
function heicExifTiff(prefix: Uint8Array, beyond: Beyond): Uint8Array | null {
  const walk = walkIsoBmff([{ offset: 0, bytes: prefix }, ...beyond.pieces], beyond.fileSize);
  if (walk.kind === "corrupt") throw new MetadataError(walk.reason);
  if (walk.kind === "need") {
    const { offset, length } = walk.range;
    throw new MetadataError(`metadata lies at bytes ${String(offset)}-${String(offset + length - 1)}, which were not read`);
  }
  if (walk.exif === null) return null;
  const item = walk.exif;
  if (item.length < 4) throw new MetadataError("the Exif item is too short");
  const tiffStart = 4 + new DataView(item.buffer, item.byteOffset, item.byteLength).getUint32(0);
  return item.subarray(tiffStart);
}

/** A JPEG's reading, from bytes that hold its whole header (metadataExtent). */
export function readJpeg(bytes: Uint8Array, layout: JpegLayout): Reading {
  const blocks = jpegMetadata(bytes, layout);
  const iptc = blocks.photoshop === null ? null : photoshopIptc(blocks.photoshop);
  const tags = tagsOf({ tiff: blocks.exif, xmp: blocks.xmp, iptc });
  return { format: "jpeg", tags, frame: layout.frame, tiff: blocks.exif, quantization: jpegQuantization(bytes, layout) };
}

/**
 * The formats, in the order detectFormat tries them: the first whose `detect` accepts a file wins
 * (AVIF before HEIC, as an AVIF's ftyp may list the HEIF brand mif1 too).
 */
export const CONTAINERS = {
  jpeg: {
    detect: isJpeg,
    // The header segments are walked: the prefix is enough once it reaches the start of scan.
    metadataExtent(prefix, fileSize) {
      const layout = walkJpeg(prefix);
      return layout.headerEnd ?? Math.min(layout.needAtLeast, fileSize);
    },
    /**
     * When a JPEG prefix ends inside an APP segment no parser reads (an ICC profile split over APP2
     * segments, a phone vendor's APP4 or APP6 blob: up to 64 KiB each, often several), that whole
     * segment, marker included. Triage leaves it out of the bytes it keeps and reads on from its end:
     * the next header, and SOF for the frame size, come at the cost of a small read, not of the blob.
     * Nothing is lost: JPEG's other segments hold no offsets into the file (EXIF's are relative to
     * its own TIFF header). Which segments are read is the readers' claim (READ_APP_MARKERS).
     */
    unreadSegment(prefix) {
      const layout = walkJpeg(prefix);
      const last = layout.segments.at(-1);
      if (layout.headerEnd !== null || last === undefined) return null;
      const length = 4 + last.length;
      const isApp = last.marker >= 0xe0 && last.marker <= 0xef;
      if (last.offset + length <= prefix.length || !isApp || READ_APP_MARKERS.has(last.marker)) return null;
      return { offset: last.offset, length };
    },
    nextMetadataRange: () => null,
    carriesMetadata: true,
    read: (bytes) => readJpeg(bytes, walkJpeg(bytes)),
    dumpInput: (bytes) => bytes,
  },
  png: {
    detect: isPng,
    ...READ_WHOLE,
    carriesMetadata: true,
    read(bytes) {
      // IHDR's size stands in for EXIF's (as ImageWidth), not as the frame: parity with TIFF files.
      const layout = walkPng(bytes);
      const container = { software: layout.software, width: layout.frame?.width ?? null, height: layout.frame?.height ?? null };
      return { ...NO_READING, format: "png", tags: tagsOf({ tiff: layout.exif, xmp: layout.xmp, container }), tiff: layout.exif };
    },
    dumpInput: (bytes) => bytes,
  },
  tiff: {
    detect: isTiff,
    ...READ_WHOLE,
    carriesMetadata: true,
    // A TIFF file is itself the TIFF structure the maker note's offsets refer to.
    read: (bytes) => ({ ...NO_READING, format: "tiff", tags: tagsOf({ tiff: bytes }), tiff: bytes }),
    dumpInput: (bytes) => bytes,
  },
  webp: {
    detect: isWebp,
    ...READ_WHOLE,
    carriesMetadata: true,
    read(bytes) {
      // The EXIF chunk's TIFF block; the XMP chunk is not read.
      const layout = walkWebp(bytes);
      return { ...NO_READING, format: "webp", tags: tagsOf({ tiff: layout.exif }), frame: layout.frame, tiff: layout.exif };
    },
    dumpInput: (bytes) => walkWebp(bytes).exif,
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
    dumpInput: (bytes) => avifExifBlock(bytes),
  },
  heic: {
    detect: isHeif,
    // No more prefix than triage reads: the metadata is fetched by range (nextMetadataRange).
    metadataExtent: (prefix) => prefix.length,
    unreadSegment: () => null,
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
      const tiff = heicExifTiff(bytes, beyond);
      return { ...NO_READING, format: "heic", tags: tagsOf({ tiff }), tiff };
    },
    dumpInput: (bytes) => bytes,
  },
} satisfies Record<ImageFormat, Container>;

const DETECTION_ORDER = Object.entries(CONTAINERS) as [ImageFormat, Container][];

/** The container format of a file from its first bytes; null when it is not an image we read. */
export function detectFormat(bytes: Uint8Array): ImageFormat | null {
  for (const [format, container] of DETECTION_ORDER) if (container.detect(bytes)) return format;
  return null;
}
