/**
 * Rebuilds the fixtures of the formats the shared corpus has no small file of (fixtures/README.md):
 * a TIFF and an AVIF made small from ../shared/corpus/formats with their camera's EXIF kept, and
 * a GIF and a BMP (formats that carry no EXIF) from a fixture's picture.
 *
 *   node --import tsx scripts/make-format-fixtures.ts
 *
 * libvips's tiffsave writes no EXIF IFD, so the TIFF's camera tags are copied from the original
 * with ExifTool (Debian's libimage-exiftool-perl), which the script needs on PATH. libvips has no
 * BMP writer: the BMP is written here, a BITMAPINFOHEADER over sharp's raw pixels.
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const FORMATS = new URL("../../shared/corpus/formats/", import.meta.url);
const FIXTURES = new URL("../fixtures/", import.meta.url);

async function save(name: string, bytes: Uint8Array): Promise<void> {
  await writeFile(new URL(name, FIXTURES), bytes);
  console.log(`${name}: ${String(bytes.length)} bytes`);
}

/** A bottom-up 24-bit BMP (BITMAPFILEHEADER + BITMAPINFOHEADER), rows padded to 4 bytes. */
function bmp(rgb: Uint8Array, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const file = Buffer.alloc(54 + stride * height);
  file.write("BM", 0, "latin1");
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(stride * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      // BMP stores blue, green, red.
      file[row + x * 3] = rgb[from + 2] ?? 0;
      file[row + x * 3 + 1] = rgb[from + 1] ?? 0;
      file[row + x * 3 + 2] = rgb[from] ?? 0;
    }
  }
  return file;
}

const tiffOriginal = new URL("tiff-issue-16.tif", FORMATS);
const tiffName = "phase-one-p45-exif.tif";
await save(tiffName, await sharp(await readFile(tiffOriginal)).resize(91, 103).tiff({ compression: "lzw" }).toBuffer());
execFileSync("exiftool", ["-q", "-overwrite_original", "-TagsFromFile", fileURLToPath(tiffOriginal), "-EXIF:all", "--EXIF:ImageWidth", "--EXIF:ImageHeight", "--ExifImageWidth", "--ExifImageHeight", "--EXIF:StripOffsets", "--EXIF:StripByteCounts", "--EXIF:Compression", "--EXIF:BitsPerSample", "--EXIF:PhotometricInterpretation", "--EXIF:SamplesPerPixel", "--EXIF:RowsPerStrip", "--EXIF:PlanarConfiguration", fileURLToPath(new URL(tiffName, FIXTURES))]);
console.log(`${tiffName}: ${String((await readFile(new URL(tiffName, FIXTURES))).length)} bytes with the EXIF copied`);

await save("canon-eos-70d.avif", await sharp(await readFile(new URL("avif-issue-649.avif", FORMATS))).resize(96, 64).keepExif().avif({ quality: 30 }).toBuffer());

const picture = await readFile(new URL("sony-cybershot-camera.jpg", FIXTURES));
await save("no-camera.gif", await sharp(picture).resize(64).gif().toBuffer());
const { data, info } = await sharp(picture).resize(48).removeAlpha().raw().toBuffer({ resolveWithObject: true });
await save("no-camera.bmp", bmp(data, info.width, info.height));
