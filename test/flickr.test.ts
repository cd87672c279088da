import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze, flickrResizedCopy } from "../src/analyze/index.js";
import type { CameraSample } from "../src/record.js";
import { loadRegistry } from "../src/registry/index.js";

describe("Flickr static URLs", () => {
  it("recognise resized copies by their size suffix and name the original's URL pattern", () => {
    assert.deepEqual(flickrResizedCopy("https://live.staticflickr.com/65535/53012345678_abcdef1234_b.jpg"), {
      photoId: "53012345678",
      suffix: "b",
      size: "1024 px",
      originalPattern: "https://live.staticflickr.com/65535/53012345678_{o-secret}_o.{o-format}",
      photoPage: "https://www.flickr.com/photo.gne?id=53012345678",
    });
  });

  it("know every documented size", () => {
    const sizes: [string, string][] = [
      ["s", "75 px square"], ["q", "150 px square"], ["t", "100 px"], ["m", "240 px"], ["n", "320 px"], ["w", "400 px"],
      ["z", "640 px"], ["c", "800 px"], ["b", "1024 px"], ["h", "1600 px"], ["k", "2048 px"], ["3k", "3072 px"],
      ["4k", "4096 px"], ["f", "4096 px (2:1)"], ["5k", "5120 px"], ["6k", "6144 px"],
    ];
    for (const [suffix, size] of sizes) {
      assert.equal(flickrResizedCopy(`https://live.staticflickr.com/65535/123_abc_${suffix}.jpg`)?.size, size, suffix);
    }
    assert.equal(flickrResizedCopy("https://live.staticflickr.com/65535/123_abc.jpg")?.size, "500 px (no suffix)");
  });

  it("read the older hosts and paths", () => {
    assert.equal(flickrResizedCopy("https://farm8.staticflickr.com/7394/9876543210_0123456789_z.jpg")?.suffix, "z");
    assert.equal(flickrResizedCopy("https://farm1.static.flickr.com/1/123_abc_m.jpg")?.suffix, "m");
    const c1 = flickrResizedCopy("https://c1.staticflickr.com/9/8765/1234_abcd_k.jpg");
    assert.equal(c1?.originalPattern, "https://live.staticflickr.com/8765/1234_{o-secret}_o.{o-format}");
    assert.equal(flickrResizedCopy("http://live.staticflickr.com/65535/123_abc_c_d.jpg")?.suffix, "c");
  });

  it("leave originals and everything else alone", () => {
    for (const url of [
      "https://live.staticflickr.com/65535/53012345678_f00dfeed12_o.jpg",
      "https://live.staticflickr.com/65535/53012345678_f00dfeed12_o_d.png",
      "https://live.staticflickr.com/65535/53012345678_abcdef1234_x.jpg",
      "https://example.com/65535/53012345678_abcdef1234_b.jpg",
      "https://staticflickr.com.example.net/65535/123_abc_b.jpg",
      "https://www.flickr.com/photos/someone/53012345678/",
      "https://live.staticflickr.com/65535/photo.jpg",
      "not a url",
    ]) {
      assert.equal(flickrResizedCopy(url), null, url);
    }
  });

  it("become an info finding on a URL record, which never changes the verdict", async () => {
    const registry = await loadRegistry();
    const stripped: CameraSample = {
      make: null, model: null, software: null, firmware: null, captured: null, width: 1024, height: 768,
      megapixels: 0.8, focalLength: null, focalLength35mm: null, lens: null,
    };
    const url = "https://live.staticflickr.com/65535/53012345678_abcdef1234_b.jpg";
    const analysis = analyze(stripped, registry, { published: { requested: url, final: url, lastModified: null } });
    assert.equal(analysis.verdict, "no-metadata");
    const finding = analysis.findings.find((f) => f.code === "resized-copy");
    assert.equal(finding?.severity, "info");
    assert.match(finding.message, /size suffix _b, 1024 px/);
    assert.match(finding.message, /https:\/\/live\.staticflickr\.com\/65535\/53012345678_\{o-secret\}_o\.\{o-format\}/);
    assert.equal(analyze(stripped, registry).findings.some((f) => f.code === "resized-copy"), false, "files get no such note");
  });
});
