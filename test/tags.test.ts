/**
 * exifhunt's own tag readers (src/extract/tags.ts and the block readers under it): what they read
 * from hand-built blocks, and agreement with exifr, field by field, on every photo of the corpus.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { readContainer } from "../src/extract/index.js";
import { photoshopIptc, readIptc } from "../src/extract/iptc.js";
import { jpegMetadata, walkJpeg } from "../src/extract/jpeg.js";
import { walkPng } from "../src/extract/png.js";
import type { RawTags } from "../src/extract/tags.js";
import { readTiffTags } from "../src/extract/tiff-tags.js";
import { readXmp } from "../src/extract/xmp.js";
import { GrowingBytes } from "../src/util/growing-bytes.js";
import { SHARED, sharedSkip } from "./helpers.js";
import { exifrRawTags } from "./support/exifr-oracle.js";

const CORPUS = `${SHARED}corpus/`;

/**
 * Where exifhunt's readers and exifr knowingly differ, and why. The test fails if this list is
 * wrong in either direction.
 */
const EXPLAINED: Record<string, string> = {
  // exifr merges XMP's tiff:ImageWidth into its IFD0 output; exifhunt reads IFD0's own tag (absent
  // in these JPEGs, whose real size comes from SOF anyway).
  "phones/nokia-lumia-800.jpg imageWidth": "exifr takes XMP tiff:ImageWidth as IFD0's",
  "cameras/Canon EOS 7D.jpg imageWidth": "exifr takes XMP tiff:ImageWidth as IFD0's",
  "broken/fixtures--broken1.jpg imageWidth": "exifr takes XMP tiff:ImageWidth as IFD0's",
  // This TIFF's IPTC record is typed LONG; exifr gives up on its IPTC and XMP, exifhunt reads both.
  ...Object.fromEntries(
    ["iptcDateCreated", "xmpCreateDate", "photoshopDateCreated", "creatorTool", "xmpModifyDate", "xmpMetadataDate", "history"].map((field) => [
      `formats/tiff-issue-16.tif ${field}`,
      "exifr gives up on this TIFF's XMP and IPTC",
    ]),
  ),
  // A chunk after IHDR claims 2 GiB: exifr gives up on the whole PNG, exifhunt keeps IHDR's size.
  "fuzzing/crash-824dc868159f3eb43c96582729145c1e017a5c60.fuzzed imageWidth": "exifr gives up on the PNG",
  "fuzzing/crash-824dc868159f3eb43c96582729145c1e017a5c60.fuzzed imageHeight": "exifr gives up on the PNG",
};

describe("agreement with exifr", { skip: sharedSkip }, () => {
  it("reads the same tags as exifr from every photo and broken file of the corpus", async () => {
    const differences: Record<string, string> = {};
    let compared = 0;
    for (const folder of ["phones", "cameras", "formats", "broken", "fuzzing"]) {
      for (const name of (await readdir(`${CORPUS}${folder}`)).sort()) {
        const bytes = await readFile(`${CORPUS}${folder}/${name}`);
        const reading = await readContainer(bytes).catch(() => null);
        if (reading === null) continue;
        // exifr is given what exifhunt used to give it: the file, or the TIFF block a container wraps.
        let reference: Omit<RawTags, "warnings">;
        if (reading.format === "jpeg") {
          const blocks = jpegMetadata(bytes, walkJpeg(bytes));
          reference = (await exifrRawTags(bytes, blocks.xmp !== null || blocks.photoshop !== null)).tags;
        } else if (reading.format === "tiff" || reading.format === "png") {
          reference = (await exifrRawTags(bytes)).tags;
        } else if (reading.tiff !== null) {
          reference = (await exifrRawTags(reading.tiff, reading.format === "heic" ? null : false)).tags;
        } else {
          continue;
        }
        compared++;
        for (const field of Object.keys(reference) as (keyof typeof reference)[]) {
          const ours = JSON.stringify(reading.tags[field]);
          const theirs = JSON.stringify(reference[field]);
          if (ours !== theirs) differences[`${folder}/${name} ${field}`] = `${ours} vs exifr ${theirs}`;
        }
      }
    }
    assert.ok(compared >= 100, `only ${String(compared)} photos compared`);
    assert.deepEqual(Object.keys(differences).sort(), Object.keys(EXPLAINED).sort());
  });
});

/** A big-endian TIFF block from IFD entries [tag, type, count, value bytes]; values over 4 bytes go after the IFD. */
function bigEndianTiff(ifd0: [number, number, number, Buffer][], exif: [number, number, number, Buffer][] = []): Buffer {
  const layout = (entries: [number, number, number, Buffer][], at: number): Buffer => {
    const table = Buffer.alloc(2 + entries.length * 12 + 4);
    table.writeUInt16BE(entries.length, 0);
    let dataAt = at + table.length;
    const data: Buffer[] = [];
    entries.forEach(([tag, type, count, value], i) => {
      const entry = 2 + i * 12;
      table.writeUInt16BE(tag, entry);
      table.writeUInt16BE(type, entry + 2);
      table.writeUInt32BE(count, entry + 4);
      if (value.length <= 4) {
        value.copy(table, entry + 8);
      } else {
        table.writeUInt32BE(dataAt, entry + 8);
        data.push(value);
        dataAt += value.length;
      }
    });
    return Buffer.concat([table, ...data]);
  };
  const head = Buffer.from("MM\0*\0\0\0\x08", "latin1");
  if (exif.length === 0) return Buffer.concat([head, layout(ifd0, 8)]);
  // The EXIF IFD pointer is the last IFD0 entry; the EXIF IFD follows IFD0 and its values.
  const withPointer = [...ifd0, [0x8769, 4, 1, Buffer.alloc(4)] as [number, number, number, Buffer]];
  const first = layout(withPointer, 8);
  const pointer = Buffer.alloc(4);
  pointer.writeUInt32BE(8 + first.length);
  return Buffer.concat([head, layout([...ifd0, [0x8769, 4, 1, pointer]], 8), layout(exif, 8 + first.length)]);
}

const text = (value: string): Buffer => Buffer.from(`${value}\0`, "latin1");
function rationals(...pairs: [number, number][]): Buffer {
  const bytes = Buffer.alloc(pairs.length * 8);
  pairs.forEach(([numerator, denominator], i) => {
    bytes.writeUInt32BE(numerator, i * 8);
    bytes.writeUInt32BE(denominator, i * 8 + 4);
  });
  return bytes;
}

describe("TIFF tags", () => {
  it("reads big-endian blocks, short values inside the entry and rationals", () => {
    const width = Buffer.alloc(4);
    width.writeUInt16BE(4000);
    const tags = readTiffTags(bigEndianTiff(
      [[0x010f, 2, 5, text("Sony")], [0x0110, 2, 6, text("D5503")], [0x0131, 2, 13, text("14.2.A.0.204")]],
      [[0x9003, 2, 20, text("2013:08:20 10:00:00")], [0x920a, 5, 1, rationals([45, 10])], [0xa002, 3, 1, width]],
    ));
    assert.equal(tags.make, "Sony");
    assert.equal(tags.model, "D5503");
    assert.equal(tags.software, "14.2.A.0.204");
    assert.equal(tags.dateTimeOriginal, "2013:08:20 10:00:00");
    assert.equal(tags.focalLength, 4.5);
    assert.equal(tags.exifWidth, 4000);
  });

  it("gives nothing, and does not throw, for values that point outside the block or divide by zero", () => {
    const tags = readTiffTags(bigEndianTiff([[0x010f, 2, 5, text("Sony")]], [[0x920a, 5, 1, rationals([45, 0])]]));
    assert.equal(tags.make, "Sony");
    assert.equal(tags.focalLength, null);
    const pointingOut = bigEndianTiff([[0x0110, 2, 64, Buffer.alloc(64)]]);
    pointingOut.writeUInt32BE(0x7fff_ffff, 8 + 2 + 8); // Model's value offset, far past the end
    assert.equal(readTiffTags(pointingOut).model, null);
    assert.equal(readTiffTags(Buffer.from("not a TIFF block")).make, null);
  });
});

describe("XMP", () => {
  it("reads properties written as attributes, as elements, in rdf:Alt, and under the old xap prefix", () => {
    const packet = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about="" xmp:CreatorTool="Adobe Photoshop 21.0 (Windows)" xap:ModifyDate="2020-01-02T03:04:05+01:00">
        <xmp:CreateDate>2019-12-31T23:59:59</xmp:CreateDate>
        <photoshop:DateCreated><rdf:Alt><rdf:li xml:lang="x-default">2019-12-30</rdf:li></rdf:Alt></photoshop:DateCreated>
        <xmp:MetadataDate>2020-01-02T03:04:05&#43;01:00</xmp:MetadataDate>
      </rdf:Description></rdf:RDF></x:xmpmeta>`;
    const xmp = readXmp(Buffer.from(packet));
    assert.equal(xmp.creatorTool, "Adobe Photoshop 21.0 (Windows)");
    assert.equal(xmp.modifyDate, "2020-01-02T03:04:05+01:00");
    assert.equal(xmp.createDate, "2019-12-31T23:59:59");
    assert.equal(xmp.photoshopDateCreated, "2019-12-30");
    assert.equal(xmp.metadataDate, "2020-01-02T03:04:05+01:00");
  });

  it("reads xmpMM:History events as attributes and as parseType=Resource elements, oldest first", () => {
    const packet = `<rdf:Description><xmpMM:History><rdf:Seq>
      <rdf:li stEvt:action="created" stEvt:when="2020-01-01T10:00:00" stEvt:softwareAgent="Camera &amp; Co"/>
      <rdf:li rdf:parseType="Resource"><stEvt:action>saved</stEvt:action><stEvt:changed>/metadata</stEvt:changed></rdf:li>
    </rdf:Seq></xmpMM:History></rdf:Description>`;
    assert.deepEqual(readXmp(packet).history, [
      { action: "created", softwareAgent: "Camera & Co", changed: null, when: "2020-01-01T10:00:00" },
      { action: "saved", softwareAgent: null, changed: "/metadata", when: null },
    ]);
  });

  it("does not take a longer name or another prefix for the property", () => {
    const xmp = readXmp(`<rdf:Description myxmp:CreatorTool="no" xmp:CreatorToolkit="no"><xmp:CreateDateX>no</xmp:CreateDateX></rdf:Description>`);
    assert.equal(xmp.creatorTool, null);
    assert.equal(xmp.createDate, null);
  });
});

describe("IPTC", () => {
  const dataset = (number: number, value: string): Buffer => Buffer.concat([Buffer.from([0x1c, 2, number, 0, value.length]), Buffer.from(value, "latin1")]);
  const resource = (id: number, data: Buffer): Buffer => {
    const head = Buffer.alloc(12);
    head.write("8BIM", 0, "latin1");
    head.writeUInt16BE(id, 4);
    // An empty Pascal name padded to 2 bytes, then the size.
    head.writeUInt32BE(data.length, 8);
    return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
  };

  it("finds the IPTC record among Photoshop's image resources and reads DateCreated and TimeCreated", () => {
    const record = Buffer.concat([dataset(5, "Monument"), dataset(55, "20130820"), dataset(60, "101500+0200")]);
    const app13 = Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), resource(0x03ed, Buffer.alloc(17)), resource(0x0404, record)]);
    const iptc = photoshopIptc(app13);
    assert.ok(iptc !== null);
    assert.deepEqual(readIptc(iptc), { dateCreated: "20130820", timeCreated: "101500+0200" });
    assert.equal(photoshopIptc(Buffer.from("Photoshop 3.0\0", "latin1")), null);
  });
});

describe("PNG", () => {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, "latin1"), data, Buffer.alloc(4)]);
  };

  it("reads IHDR's size, eXIf, the XMP iTXt and the Software text, wherever they are", () => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(640, 0);
    ihdr.writeUInt32BE(480, 4);
    const exif = bigEndianTiff([[0x010f, 2, 5, text("Sony")]]);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", Buffer.alloc(100)),
      chunk("tEXt", Buffer.from("Software\0GIMP 2.10", "latin1")),
      chunk("iTXt", Buffer.concat([Buffer.from("XML:com.adobe.xmp\0\0\0\0\0", "latin1"), Buffer.from('<x xmp:CreatorTool="GIMP"/>')])),
      chunk("eXIf", exif),
      chunk("IEND", Buffer.alloc(0)),
    ]);
    const layout = walkPng(png);
    assert.deepEqual(layout.frame, { width: 640, height: 480 });
    assert.equal(layout.software, "GIMP 2.10");
    assert.equal(readXmp(layout.xmp ?? "").creatorTool, "GIMP");
    assert.equal(readTiffTags(layout.exif ?? Buffer.alloc(0)).make, "Sony");
  });
});

describe("growing bytes", () => {
  it("keeps every piece in order across growth, and drops what is truncated", () => {
    const bytes = new GrowingBytes(Buffer.from([1, 2, 3]));
    bytes.append(Buffer.alloc(2000, 7));
    bytes.truncate(4);
    bytes.append(Buffer.from([4, 5]));
    assert.deepEqual([...bytes.bytes], [1, 2, 3, 7, 4, 5]);
    bytes.append(Buffer.alloc(5000, 9));
    assert.equal(bytes.length, 5006);
    assert.deepEqual([...bytes.bytes.subarray(0, 7)], [1, 2, 3, 7, 4, 5, 9]);
  });
});
