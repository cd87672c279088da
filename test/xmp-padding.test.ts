/**
 * XMP padding: the white space writers leave before `<?xpacket end="w"?>` is not decoded or
 * searched, and nothing else is cut. The header `<?xpacket begin="\uFEFF" …?>` is left out of the
 * text too (its byte-order mark would make the whole packet a two-byte string), and nothing else.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { utf8Text } from "../src/extract/bytes.js";
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

describe("the XMP header", () => {
  const properties = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Caf\u00e9 Studio \u6f22" xmp:ModifyDate="2013-01-01T00:00:00"/>
</rdf:RDF></x:xmpmeta>`;

  it("is left out, and the properties after it read the same, ASCII or not", () => {
    const expected = readXmp(properties);
    assert.equal(expected.creatorTool, "Caf\u00e9 Studio \u6f22");
    for (const header of ['<?xpacket begin="\u{feff}" id="W5M0MpCehiHzreSzNTczkc9d"?>', "<?xpacket begin='' id='x'?>\n", "\u{feff}<?xpacket begin=\"\u{feff}\"?>"]) {
      assert.deepEqual(readXmp(packet(`${header}${properties}`)), expected, header);
    }
    const ascii = properties.replace("Caf\u00e9 Studio \u6f22", "Cafe Studio");
    assert.equal(readXmp(packet(`<?xpacket begin="\u{feff}"?>${ascii}`)).creatorTool, "Cafe Studio");
  });

  it("is only a header where it starts the packet and ends: anything else is read whole", () => {
    // A header that never ends, or a processing instruction further in, cuts nothing.
    const unended = `<?xpacket begin="\u{feff}" ${properties}`;
    assert.equal(readXmp(packet(unended)).modifyDate, "2013-01-01T00:00:00");
    const later = `<!-- a comment first --><?xpacket begin="x"?>${properties}`;
    assert.equal(readXmp(packet(later)).modifyDate, "2013-01-01T00:00:00");
  });

  it("leaves text decoding as it was: ASCII, UTF-8 with its BOM, and invalid UTF-8", () => {
    const decoder = new TextDecoder("utf-8");
    const samples = [packet("plain ASCII <x/>"), packet("\u{feff}with a BOM"), packet("caf\u00e9 \u6f22"), new Uint8Array([0x41, 0xff, 0x42, 0xc3])];
    for (const bytes of samples) assert.equal(utf8Text(bytes), decoder.decode(bytes));
  });
});
