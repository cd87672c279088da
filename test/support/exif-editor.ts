/**
 * A small EXIF rewriter for building tampered variants of real photos in tests: it changes tag
 * values inside a JPEG's APP1 EXIF block without moving anything else, so maker-note offsets and
 * every other byte stay as the camera wrote them (a value too long for its slot is appended at the
 * end of the block and the entry pointed at it, as ExifTool does).
 */
import { walkJpeg, type JpegSegment } from "../../src/extract/jpeg.js";
import { openTiff, readIfd, subIfd, TAG_EXIF_IFD, TAG_GPS_IFD, type Tiff, type TiffEntry } from "../../src/extract/tiff.js";

export type IfdName = "ifd0" | "exif" | "gps";

export const TAGS = {
  make: ["ifd0", 0x010f],
  model: ["ifd0", 0x0110],
  software: ["ifd0", 0x0131],
  modifyDate: ["ifd0", 0x0132],
  dateTimeOriginal: ["exif", 0x9003],
  createDate: ["exif", 0x9004],
  pixelXDimension: ["exif", 0xa002],
  pixelYDimension: ["exif", 0xa003],
  focalLength: ["exif", 0x920a],
  gpsDateStamp: ["gps", 0x001d],
} as const satisfies Record<string, readonly [IfdName, number]>;

export type TagName = keyof typeof TAGS;

const APP1 = 0xe1;

function exifSegment(jpeg: Uint8Array): JpegSegment {
  const segment = walkJpeg(jpeg).segments.find((s) =>
    s.marker === APP1 && Buffer.from(jpeg.subarray(s.offset + 4, s.offset + 10)).toString("latin1") === "Exif\0\0");
  if (segment === undefined) throw new Error("no APP1 EXIF segment");
  return segment;
}

class TiffEditor {
  bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  #tiff(): Tiff {
    const tiff = openTiff(this.bytes);
    if (tiff === null) throw new Error("not a TIFF block");
    return tiff;
  }

  #entry(name: TagName): { tiff: Tiff; entry: TiffEntry } {
    const [ifd, tag] = TAGS[name];
    const tiff = this.#tiff();
    const ifd0 = readIfd(tiff, tiff.firstIfd);
    const entries = ifd === "ifd0" ? ifd0 : subIfd(tiff, ifd0, ifd === "exif" ? TAG_EXIF_IFD : TAG_GPS_IFD);
    const entry = entries.find((e) => e.tag === tag);
    if (entry === undefined) throw new Error(`the photo has no ${name} tag to change`);
    return { tiff, entry };
  }

  /** Writes an ASCII value: in place, NUL-padded, when it fits; else appended to the block. */
  setText(name: TagName, value: string): void {
    const { tiff, entry } = this.#entry(name);
    const text = Buffer.from(`${value}\0`, "latin1");
    if (text.length <= entry.count) {
      this.bytes.fill(0, entry.valueOffset, entry.valueOffset + entry.count);
      text.copy(this.bytes, entry.valueOffset);
      return;
    }
    const offset = this.bytes.length + (this.bytes.length % 2);
    this.bytes = Buffer.concat([this.bytes, Buffer.alloc(offset - this.bytes.length), text]);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    view.setUint32(entry.entryOffset + 4, text.length, tiff.littleEndian);
    view.setUint32(entry.entryOffset + 8, offset, tiff.littleEndian);
  }

  /** Writes an integer value (SHORT or LONG) in place. */
  setNumber(name: TagName, value: number): void {
    const { tiff, entry } = this.#entry(name);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    if (entry.type === 3) view.setUint16(entry.valueOffset, value, tiff.littleEndian);
    else if (entry.type === 4) view.setUint32(entry.valueOffset, value, tiff.littleEndian);
    else if (entry.type === 5) {
      // RATIONAL: value as hundredths.
      view.setUint32(entry.valueOffset, Math.round(value * 100), tiff.littleEndian);
      view.setUint32(entry.valueOffset + 4, 100, tiff.littleEndian);
    } else throw new Error(`${name} has type ${String(entry.type)}, not a number type`);
  }
}

/** A copy of `jpeg` with its EXIF block rewritten by `edit`. */
export function editExif(jpeg: Uint8Array, edit: (tiff: TiffEditor) => void): Buffer {
  const segment = exifSegment(jpeg);
  const start = segment.offset + 4 + 6;
  const end = segment.offset + 4 + segment.length;
  const editor = new TiffEditor(Buffer.from(jpeg.subarray(start, end)));
  edit(editor);
  const payloadLength = 6 + editor.bytes.length;
  if (payloadLength + 2 > 0xffff) throw new Error("EXIF block too large for one APP1 segment");
  const header = Buffer.from([0xff, APP1, (payloadLength + 2) >> 8, (payloadLength + 2) & 0xff]);
  return Buffer.concat([
    jpeg.subarray(0, segment.offset),
    header,
    Buffer.from("Exif\0\0", "latin1"),
    editor.bytes,
    jpeg.subarray(end),
  ]);
}

const isAppSegment = (marker: number): boolean => marker >= 0xe0 && marker <= 0xef;

/** SOI + the APPn segments (EXIF, maker note, XMP) of `metadataFrom` + the image data of `pixelsFrom`. */
export function graftMetadata(metadataFrom: Uint8Array, pixelsFrom: Uint8Array): Buffer {
  const metadata = walkJpeg(metadataFrom).segments
    .filter((s) => isAppSegment(s.marker))
    .map((s) => metadataFrom.subarray(s.offset, s.offset + 4 + s.length));
  const firstNonApp = walkJpeg(pixelsFrom).segments.find((s) => !isAppSegment(s.marker));
  if (firstNonApp === undefined) throw new Error("the pixels' JPEG has no frame");
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...metadata, pixelsFrom.subarray(firstNonApp.offset)]);
}
