/**
 * XMP padding: the white space writers leave before `<?xpacket end="w"?>` is not decoded or
 * searched, and nothing else is cut.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readXmp } from "../src/extract/xmp.js";

const BODY = `<?xpacket begin="\u{feff}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2012-06-09T21:23:38+01:00" xmp:CreatorTool="Adobe Photoshop Lightroom"/>
</rdf:RDF></x:xmpmeta>`;

function packet(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function stepsOf(text: string): { tags: ReturnType<typeof readXmp>; steps: number } {
  const meter = { steps: 0 };
  return { tags: readXmp(packet(text), meter), steps: meter.steps };
}

describe("XMP padding", () => {
  const padding = `${" ".repeat(99)}\n`.repeat(40);
  const plain = stepsOf(BODY);

  it("is not read: the same tags, without the 4 KB of padding's work", () => {
    for (const trailer of ['<?xpacket end="w"?>', "<?xpacket end='r'?>", '<?xpacket end="w"?>\0\0\0\n']) {
      const padded = stepsOf(`${BODY}\n${padding}${trailer}`);
      assert.deepEqual(padded.tags, plain.tags, trailer);
      assert.ok(padded.steps < plain.steps + 100, `${String(padded.steps)} steps against ${String(plain.steps)}`);
    }
    assert.equal(plain.tags.createDate, "2012-06-09T21:23:38+01:00");
  });

  it("is read whole when it does not end as the specification writes it", () => {
    // No trailer, a trailer of another shape, or text (not a tag) before the padding.
    for (const ending of [`\n${padding}`, `\n${padding}<?xpacket end="x"?>`, ` trailing text${padding}<?xpacket end="w"?>`]) {
      const whole = stepsOf(`${BODY}${ending}`);
      assert.deepEqual(whole.tags, plain.tags);
      assert.ok(whole.steps >= plain.steps + padding.length, ending.slice(-24));
    }
  });

  it("keeps a property written after the last element's padding when there is no trailer", () => {
    const late = `${BODY}${padding}<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:ModifyDate="2013-01-01T00:00:00"/>`;
    assert.equal(stepsOf(late).tags.modifyDate, "2013-01-01T00:00:00");
  });
});
