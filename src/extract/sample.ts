/**
 * RawTags (as written) -> CameraSample (what exifhunt reasons with). Pure: no I/O, no exifr.
 */
import { readFirmware } from "../firmware/index.js";
import type { CameraSample } from "../record.js";
import { normalizeDateTime, normalizeIptcDateTime } from "./dates.js";
import type { RawTags } from "./tags.js";

export interface PixelSize {
  width: number;
  height: number;
}

/** The capture time: DateTimeOriginal, else CreateDate (with their offsets), else IPTC, else XMP. */
export function captureTime(tags: RawTags): string | null {
  return (
    normalizeDateTime(tags.dateTimeOriginal, tags.offsetTimeOriginal ?? tags.offsetTime) ??
    normalizeDateTime(tags.createDate, tags.offsetTimeDigitized ?? tags.offsetTime) ??
    normalizeIptcDateTime(tags.iptcDateCreated, tags.iptcTimeCreated) ??
    normalizeDateTime(tags.photoshopDateCreated) ??
    normalizeDateTime(tags.xmpCreateDate)
  );
}

function positive(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}

/**
 * @param frame the image's real pixel size from its container (JPEG SOF, WebP VP8X), when known:
 *   preferred to EXIF's PixelXDimension, which editors often leave stale.
 */
export function toCameraSample(tags: RawTags, frame: PixelSize | null): CameraSample {
  const width = positive(frame?.width ?? null) ?? positive(tags.exifWidth) ?? positive(tags.imageWidth);
  const height = positive(frame?.height ?? null) ?? positive(tags.exifHeight) ?? positive(tags.imageHeight);
  const megapixels = width !== null && height !== null ? Math.round((width * height) / 100_000) / 10 : null;
  return {
    make: tags.make,
    model: tags.model,
    software: tags.software,
    firmware: readFirmware(tags.make, tags.software, tags.model),
    captured: captureTime(tags),
    width,
    height,
    megapixels,
    focalLength: positive(tags.focalLength),
    focalLength35mm: positive(tags.focalLength35mm),
    lens: tags.lensModel,
  };
}

/**
 * A sample built from what a caller knows (registry lookups, tests): every field not given is
 * unknown, and the firmware build is read from Make, Software and Model as extraction would.
 */
export function cameraSample(fields: Partial<Omit<CameraSample, "firmware">>): CameraSample {
  const sample: CameraSample = {
    make: null,
    model: null,
    software: null,
    firmware: null,
    captured: null,
    width: null,
    height: null,
    megapixels: null,
    focalLength: null,
    focalLength35mm: null,
    lens: null,
    ...fields,
  };
  return { ...sample, firmware: readFirmware(sample.make, sample.software, sample.model) };
}
