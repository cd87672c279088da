/**
 * Thumbnails for reports: bytes in, a small JPEG data URI out. EXIF orientation is applied (a
 * portrait phone photo is stored sideways), and sharp writes no metadata into the thumbnail, so
 * nothing from the photo's tags travels with it.
 *
 * Memory is bounded before anything is decoded. The header says what a decode will cost: a baseline
 * JPEG is decoded at 1/8 scale straight from its DCT blocks (libjpeg's shrink-on-load), row by row,
 * so a genuine 200 MP phone photo costs a few MB; a progressive JPEG makes libjpeg hold every DCT
 * coefficient of the whole image (2 bytes per sample: a 3.3 KB file declaring 16383×16383 asks for
 * 1.6 GB), and other formats are taken as decoded whole. A photo whose decode would cost more than
 * MAX_DECODE_BYTES is not decoded: its own EXIF thumbnail (IFD1, which phones and cameras write) is
 * used instead, itself under the same rules, or it gets no thumbnail and says why. Decodes running
 * at once share one DecodeBudget, so a report's concurrency cannot multiply the bound. libvips's
 * operation cache is off: it keeps finished decoders, coefficient buffers and all (up to 100 of
 * them), and exifhunt never decodes a photo twice.
 */
import sharp, { type Metadata, type Sharp } from "sharp";
import { withoutExifHeader } from "./bytes.js";
import { nextIfd, openTiff, pickEntries, entryNumbers, TagSet } from "./tiff.js";

export interface ThumbnailOptions {
  /** Longest side in pixels. */
  size?: number;
  /** JPEG quality, 1–100. */
  quality?: number;
  /** Shared by the decodes of one process; defaults to THUMBNAIL_BUDGET. */
  budget?: DecodeBudget;
  /** Stops waiting for the budget (a decode already running finishes: libvips cannot be interrupted). */
  signal?: AbortSignal;
}

/** 240 px at quality 60 is a few KiB: enough to recognise a scene, small enough to embed dozens. */
export const THUMBNAIL_SIZE = 240;
export const THUMBNAIL_QUALITY = 60;

/** The most pixels decoded for a thumbnail (16384², JPEG and WebP sizes are below it). Passed to sharp too. */
export const MAX_THUMBNAIL_PIXELS = 16384 * 16384;
/**
 * The most memory one decode may take, as estimated from the header: a progressive JPEG of 16 MP
 * (4:2:0), any baseline JPEG. Kept low because freed decode memory is not all given back: glibc
 * keeps blocks of 128 KiB–32 MiB in the arena of the thread that freed them, one arena per libuv
 * thread, so what a process retains grows with this cap, not with the budget below (measured with
 * 24 progressive JPEGs at the cap: 440 MB peak RSS at 48 MiB, 690 MB at 160 MiB).
 */
export const MAX_DECODE_BYTES = 48 * 1024 * 1024;
/**
 * HEIC and AVIF (libheif, with libde265 or dav1d) take about 20 bytes per pixel to decode, whatever
 * the thumbnail's size (measured: 175 MB peak RSS for 4 MP, 390 MB for 16 MP): a 12 MP phone
 * photo costs 240 MB. They get a cap of their own (13 MP: eight 16 MP ones in a row peaked at
 * 520 MB), and as each costs more than the whole budget below, they decode one at a time.
 */
export const HEIF_BYTES_PER_PIXEL = 20;
export const MAX_HEIF_DECODE_BYTES = 256 * 1024 * 1024;
/** The most memory all decodes running at once may take, as estimated (a report runs several). */
export const DECODE_BUDGET_BYTES = 96 * 1024 * 1024;

/** Thrown when an image is too large to decode for a thumbnail and carries no usable EXIF thumbnail. */
export class ThumbnailTooLargeError extends Error {
  override readonly name = "ThumbnailTooLargeError";
}

/**
 * A counting semaphore over estimated bytes: a decode waits until its cost fits beside the ones
 * running. A cost above the whole budget runs alone.
 */
export class DecodeBudget {
  private used = 0;
  private readonly waiting: { cost: number; start: () => void }[] = [];

  constructor(readonly bytes: number) {}

  /** Bytes held by the decodes running now. */
  get inUse(): number {
    return this.used;
  }

  async run<T>(cost: number, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const held = Math.min(cost, this.bytes);
    await this.acquire(held, signal);
    try {
      return await work();
    } finally {
      this.used -= held;
      this.wake();
    }
  }

  private acquire(cost: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.waiting.length === 0 && this.used + cost <= this.bytes) {
      this.used += cost;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        cost,
        start: () => {
          signal?.removeEventListener("abort", abort);
          this.used += cost;
          resolve();
        },
      };
      const abort = (): void => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(signal?.reason as Error);
        this.wake();
      };
      signal?.addEventListener("abort", abort, { once: true });
      this.waiting.push(entry);
    });
  }

  private wake(): void {
    for (let next = this.waiting[0]; next !== undefined && (this.used === 0 || this.used + next.cost <= this.bytes); next = this.waiting[0]) {
      this.waiting.shift();
      next.start();
    }
  }
}

/** The budget every thumbnail of this process shares unless given another. */
export const THUMBNAIL_BUDGET = new DecodeBudget(DECODE_BUDGET_BYTES);

const BYTES_PER_SAMPLE: Readonly<Record<string, number>> = { uchar: 1, char: 1, ushort: 2, short: 2, uint: 4, int: 4, float: 4, complex: 8, double: 8, dpcomplex: 16 };

/** Samples per pixel a JPEG stores, from its chroma subsampling (`4:2:0` keeps 1 + 2 × ¼). */
function jpegSamplesPerPixel(metadata: Metadata): number {
  switch (metadata.chromaSubsampling) {
    case "4:2:0": return 1.5;
    case "4:2:2": case "4:4:0": return 2;
    default: return metadata.channels;
  }
}

/** What decoding the image for a thumbnail costs in memory, estimated from its header. */
export function decodeCost(metadata: Metadata): number {
  const pixels = metadata.width * metadata.height;
  const sample = BYTES_PER_SAMPLE[metadata.depth] ?? 1;
  if (metadata.format === "jpeg") {
    // Progressive: every 16-bit DCT coefficient of the image is held. Baseline: decoded at 1/8
    // scale from the DCT (an 8×8 block gives one pixel), a few rows at a time.
    return metadata.isProgressive ? pixels * jpegSamplesPerPixel(metadata) * 2 : Math.ceil((pixels * metadata.channels) / 64);
  }
  if (metadata.format === "heif") return pixels * HEIF_BYTES_PER_PIXEL;
  // A non-interlaced PNG streams row by row too; anything else may be decoded whole.
  if (metadata.format === "png" && !metadata.isProgressive) return metadata.width * metadata.channels * sample * 64;
  return pixels * metadata.channels * sample;
}

export type ThumbnailPlan = { decode: "image"; cost: number } | { decode: "exif-thumbnail"; cost: number; reason: string };

/** Whether the image itself can be decoded within the bounds, or only its EXIF thumbnail. */
export function planThumbnail(metadata: Metadata): ThumbnailPlan {
  const pixels = metadata.width * metadata.height;
  const cost = decodeCost(metadata);
  if (pixels > MAX_THUMBNAIL_PIXELS) return { decode: "exif-thumbnail", cost, reason: `${String(metadata.width)}×${String(metadata.height)} is more than the ${String(MAX_THUMBNAIL_PIXELS)} pixels a thumbnail decodes` };
  const cap = metadata.format === "heif" ? MAX_HEIF_DECODE_BYTES : MAX_DECODE_BYTES;
  if (cost > cap) {
    const kind = metadata.format === "jpeg" && metadata.isProgressive ? "progressive JPEG" : `${metadata.format} image`;
    return { decode: "exif-thumbnail", cost, reason: `decoding this ${String(metadata.width)}×${String(metadata.height)} ${kind} would take about ${String(Math.round(cost / 2 ** 20))} MiB, more than the ${String(cap / 2 ** 20)} MiB a thumbnail may` };
  }
  return { decode: "image", cost };
}

const TAG_THUMBNAIL_OFFSET = 0x0201;
const TAG_THUMBNAIL_LENGTH = 0x0202;
const THUMBNAIL_TAGS = new TagSet([TAG_THUMBNAIL_OFFSET, TAG_THUMBNAIL_LENGTH]);

/** The JPEG thumbnail IFD1 of an EXIF block points at (the block as sharp gives it, `Exif\0\0` first); null when none. */
export function exifThumbnail(exif: Uint8Array | undefined): Uint8Array | null {
  if (exif === undefined) return null;
  const tiff = openTiff(withoutExifHeader(exif));
  if (tiff === null) return null;
  const ifd1 = nextIfd(tiff, tiff.firstIfd);
  if (ifd1 === null) return null;
  const entries = pickEntries(tiff, ifd1, THUMBNAIL_TAGS);
  const value = (tag: number): number | undefined => {
    const entry = entries.get(tag);
    return entry === undefined ? undefined : entryNumbers(tiff, entry)[0];
  };
  const offset = value(TAG_THUMBNAIL_OFFSET);
  const length = value(TAG_THUMBNAIL_LENGTH);
  if (offset === undefined || length === undefined || length === 0 || offset + length > tiff.bytes.length) return null;
  return tiff.bytes.subarray(offset, offset + length);
}

/** The photo's EXIF orientation applied to its EXIF thumbnail, which carries none of its own. */
function orient(image: Sharp, orientation: number | undefined): Sharp {
  // EXIF 2.32 §4.6.4 Orientation: 2 mirrored, 3 upside down, 4 flipped, 5 transposed, 6 turned
  // 90° CW, 7 transversed, 8 turned 90° CCW. sharp rotates before it flips or flops.
  switch (orientation) {
    case 2: return image.flop();
    case 3: return image.rotate(180);
    case 4: return image.flip();
    case 5: return image.rotate(90).flop();
    case 6: return image.rotate(90);
    case 7: return image.rotate(270).flop();
    case 8: return image.rotate(270);
    default: return image;
  }
}

async function render(image: Sharp, options: ThumbnailOptions): Promise<string> {
  const size = options.size ?? THUMBNAIL_SIZE;
  const jpeg = await image
    .resize(size, size, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: options.quality ?? THUMBNAIL_QUALITY })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}

const SHARP_INPUT = { failOn: "none", limitInputPixels: MAX_THUMBNAIL_PIXELS, sequentialRead: true } as const;

export interface Thumbnail {
  /** `data:image/jpeg;base64,…` */
  uri: string;
  /** Set when the thumbnail is not of the image itself but of the EXIF thumbnail it carries. */
  note: string | null;
}

/**
 * A JPEG thumbnail of an image; throws when sharp cannot decode it, and ThumbnailTooLargeError
 * when it is too large to decode and has no EXIF thumbnail that is not.
 */
export async function thumbnailOf(bytes: Uint8Array, options: ThumbnailOptions = {}): Promise<Thumbnail> {
  const budget = options.budget ?? THUMBNAIL_BUDGET;
  // Process-wide, and cheap to repeat: a cached decoder holds its whole coefficient buffer.
  sharp.cache(false);
  const metadata = await sharp(bytes, SHARP_INPUT).metadata();
  const plan = planThumbnail(metadata);
  if (plan.decode === "image") {
    return { uri: await budget.run(plan.cost, () => render(sharp(bytes, SHARP_INPUT).rotate(), options), options.signal), note: null };
  }
  const embedded = exifThumbnail(metadata.exif);
  const inner = embedded === null ? null : await sharp(embedded, SHARP_INPUT).metadata().catch(() => null);
  const innerPlan = inner === null ? null : planThumbnail(inner);
  if (embedded === null || innerPlan?.decode !== "image") throw new ThumbnailTooLargeError(`${plan.reason}, and it carries no EXIF thumbnail small enough`);
  const uri = await budget.run(innerPlan.cost, () => render(orient(sharp(embedded, SHARP_INPUT), metadata.orientation), options), options.signal);
  // The EXIF thumbnail is written by whoever last saved the file and may show another picture.
  return { uri, note: `thumbnail is the photo's own EXIF thumbnail, which may not match the image (${plan.reason})` };
}

/** A JPEG thumbnail of an image as `data:image/jpeg;base64,…` (see thumbnailOf). */
export async function makeThumbnail(bytes: Uint8Array, options: ThumbnailOptions = {}): Promise<string> {
  return (await thumbnailOf(bytes, options)).uri;
}
