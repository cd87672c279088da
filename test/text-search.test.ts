/**
 * The XMP reader's character classes are written by code, for speed; they must stay exactly the
 * patterns the reader was written with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSpaceCode } from "../src/extract/text-search.js";
import { readXmp } from "../src/extract/xmp.js";

describe("white space by code", () => {
  it("is JavaScript's \\s for every UTF-16 code unit", () => {
    const differ: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isSpaceCode(code) !== /\s/.test(String.fromCharCode(code))) differ.push(code.toString(16));
    }
    assert.deepEqual(differ, []);
  });

  it("separates an XMP attribute wherever \\s would, and nothing else does", () => {
    for (const [separator, read] of [["\u3000", true], ["\u00a0", true], ["\ufeff", true], ["\u200b", false], ["x", false]] as const) {
      const tags = readXmp(`<rdf:Description${separator}xmp:CreatorTool="Camera 1.0"/>`);
      assert.equal(tags.creatorTool, read ? "Camera 1.0" : null, JSON.stringify(separator));
    }
  });
});
