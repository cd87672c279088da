import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeHtml, escapeMarkdown, markdownCode, MAX_SHOWN_CHARS, truncateText } from "../src/report/escape.js";

describe("escapeHtml", () => {
  it("turns markup into text", () => {
    assert.equal(escapeHtml("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert.equal(escapeHtml(`<img src=x onerror="a('b')">`), "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;");
    assert.equal(escapeHtml("AT&T &amp;"), "AT&amp;T &amp;amp;");
  });

  it("leaves ordinary text, accents and emoji alone", () => {
    assert.equal(escapeHtml("Xperia Z1 Compact — Café 📷"), "Xperia Z1 Compact — Café 📷");
  });

  it("cuts huge strings and says how much was cut", () => {
    const huge = "A".repeat(1_000_000);
    const out = escapeHtml(huge);
    assert.ok(out.length < MAX_SHOWN_CHARS + 100, `length ${String(out.length)}`);
    assert.match(out, /… \[998000 more characters cut\]$/);
  });

  it("never cuts a surrogate pair in half", () => {
    const text = `${"a".repeat(9)}📷📷`;
    const cut = truncateText(text, 10);
    assert.ok(cut.startsWith("a".repeat(9)));
    assert.doesNotMatch(cut, /[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("shows control, invisible and broken characters as boxed escapes", () => {
    assert.equal(escapeHtml("a\u001b[31mb"), 'a<span class="ctl">\\x1B</span>[31mb');
    assert.equal(escapeHtml("x\u0000"), 'x<span class="ctl">\\x00</span>');
    assert.equal(escapeHtml("\u0085\u007f"), '<span class="ctl">\\x85</span><span class="ctl">\\x7F</span>');
    // A zero-width space between the digits would make D55<ZWSP>03 look like D5503.
    assert.equal(escapeHtml("D55\u200b03"), 'D55<span class="ctl">\\u200B</span>03');
    assert.equal(escapeHtml("\u202egnp.exe"), '<span class="ctl">\\u202E</span>gnp.exe');
    assert.equal(escapeHtml("bad\ud800"), 'bad<span class="ctl">\ufffd</span>');
  });

  it("escapes inside the markers too, so nothing untrusted becomes markup", () => {
    const out = escapeHtml(`${"<".repeat(3000)}\u0000`);
    assert.doesNotMatch(out.replace(/<span class="ctl">|<\/span>/g, ""), /</);
  });
});

describe("escapeMarkdown", () => {
  it("keeps links, images, HTML, emphasis and tables from forming", () => {
    assert.equal(escapeMarkdown("*bold* _it_ `code`"), "\\*bold\\* \\_it\\_ \\`code\\`");
    assert.equal(escapeMarkdown("[x](http://evil) ![i](x)"), "`[x](http://evil)` \\!\\[i\\](x)");
    assert.equal(escapeMarkdown("<img src=x onerror=alert(1)>"), "\\<img src=x onerror=alert(1)\\>");
    assert.equal(escapeMarkdown("a | b"), "a \\| b");
    assert.equal(escapeMarkdown("~~s~~ $x$ &amp; #"), "\\~\\~s\\~\\~ \\$x\\$ \\&amp; \\#");
    assert.equal(escapeMarkdown("back\\slash"), "back\\\\slash");
  });

  it("keeps a value on one line", () => {
    assert.equal(escapeMarkdown("line one\r\n# heading\nthree"), "line one \\# heading three");
  });

  it("shows control characters", () => {
    assert.equal(escapeMarkdown("a\u001bb"), "a\\\\x1Bb");
    assert.equal(escapeMarkdown("D55\u200b03"), "D55\\\\u200B03");
  });

  it("cuts huge strings", () => {
    assert.ok(escapeMarkdown("x".repeat(100_000)).length < MAX_SHOWN_CHARS + 100);
  });
});

describe("markdownCode", () => {
  it("fences with more backticks than the content holds", () => {
    assert.equal(markdownCode("D5503"), "`D5503`");
    assert.equal(markdownCode("a`b"), "``a`b``");
    assert.equal(markdownCode("`x"), "`` `x ``");
  });

  it("escapes pipes only in table cells", () => {
    assert.equal(markdownCode("a|b", { table: true }), "`a\\|b`");
    assert.equal(markdownCode("a|b"), "`a|b`");
  });

  it("keeps a value on one line", () => {
    assert.equal(markdownCode("a\nb"), "`a b`");
  });
});
