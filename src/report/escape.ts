/**
 * Untrusted text (anything that came from a photo or a server) made safe for HTML and Markdown.
 * A Model of `<script>` must show as text; a 1 MB Software tag or one full of control bytes must
 * leave the report readable and valid. Every string a report renders goes through one of these.
 */

/** The longest untrusted string a report shows before cutting it (and saying so). */
export const MAX_SHOWN_CHARS = 2000;

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex -- C0 controls, DEL, C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Invisible or reordering characters that could make one model number look like another
 * (`D55\u200b03` reads as D5503): zero-width characters, bidi marks (LRM, RLM, the Arabic letter
 * mark), embeddings, overrides and isolates, the BOM, the line and paragraph separators (a line
 * break that is not `\n`), the soft hyphen, the Hangul fillers and other blanks that print as
 * nothing, the deprecated format characters and the tag characters (U+E0000 block, as a pair).
 * Shown as their code point.
 */
const INVISIBLE =
  // The combining joiner and variation selectors are listed on purpose, as characters to find.
  // eslint-disable-next-line no-misleading-character-class -- each is matched alone, never as part of a sequence.
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/;
/** A UTF-16 surrogate without its partner: not a character at all (binary decoded as text). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// eslint-disable-next-line no-misleading-character-class -- INVISIBLE's characters, matched alone.
const SPECIAL = new RegExp(`${CONTROL.source}|${INVISIBLE.source}|${LONE_SURROGATE.source}`, "g");

/**
 * What a reader sees for a character that would otherwise be invisible or harmful: `\x1B` for a
 * control character, `\u200B` for an invisible one (notations any font can show), U+FFFD for
 * half a surrogate pair.
 */
export function visibleCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code > 0xffff) return `\\u{${code.toString(16).toUpperCase()}}`;
  if (code >= 0xd800 && code <= 0xdfff) return "\ufffd";
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u${hex.padStart(4, "0")}`;
}

/** Text for a terminal: control, invisible and broken characters shown as their notation. */
export function visibleText(text: string): string {
  return text.replace(SPECIAL, visibleCharacter);
}

/**
 * Cuts a string to `max` characters (never inside a surrogate pair) and says how much was cut.
 */
export function truncateText(text: string, max: number = MAX_SHOWN_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… [${String(text.length - end)} more characters cut]`;
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtmlCharacters(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

/**
 * Text -> HTML that shows exactly that text, safe in element content and in quoted attribute
 * values. Huge strings are cut with a marker; control, invisible and broken characters are shown
 * as visible symbols in a `ctl` span, so they can be told apart from the same symbol typed.
 */
export function escapeHtml(text: string, max: number = MAX_SHOWN_CHARS): string {
  const cut = truncateText(text, max);
  let out = "";
  let last = 0;
  for (const match of cut.matchAll(SPECIAL)) {
    out += escapeHtmlCharacters(cut.slice(last, match.index));
    out += `<span class="ctl">${escapeHtmlCharacters(visibleCharacter(match[0]))}</span>`;
    last = match.index + match[0].length;
  }
  return out + escapeHtmlCharacters(cut.slice(last));
}

/**
 * CommonMark lets any ASCII punctuation be escaped with a backslash. These are the characters
 * that start or end emphasis, code, links and images (`(` only follows `]`), HTML, tables,
 * strikethrough, math (GitHub renders `$…$`), headings' closing `#`, or entities (`&`):
 * escaped, untrusted text stays literal text. Strings never start a line here, so line-start
 * markers (`-`, `+`, `1.`, `>`) need nothing more.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>#!|~&$]/g;

/**
 * Words a GFM renderer would turn into a link even with every punctuation mark escaped: its
 * autolink literals (`https://…`, `www.…`, `name@host.tld`, `mailto:`/`xmpp:`) are recognised in
 * plain text, and cmark-gfm finds them after escapes are resolved. Such words are shown as code
 * spans, which no renderer links (GFM spec, "Autolinks (extension)"; markdown-it's linkify too).
 */
const LINKISH = /:\/\/|www\.|@[^@\s]*\.|mailto:|xmpp:/i;

/** Code span around text that has no line break, no pipe and no special character left. */
function codeSpan(visible: string): string {
  const longestRun = Math.max(0, ...[...visible.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longestRun + 1);
  // A space inside the fence lets the content start or end with a backtick; CommonMark strips it.
  const pad = visible.startsWith("`") || visible.endsWith("`") || visible.trim() === "" ? " " : "";
  return `${fence}${pad}${visible}${pad}${fence}`;
}

/** Untrusted text -> inline Markdown that renders as that text, on one line, and links nowhere. */
export function escapeMarkdown(text: string, max: number = MAX_SHOWN_CHARS): string {
  const visible = truncateText(text, max).replace(/\r\n|\r|\n/g, " ").replace(SPECIAL, visibleCharacter);
  // Pipes stay outside code spans: a table splits its rows on them before it sees the span.
  return visible
    .split(/(\s+|\|)/)
    .map((part) => (LINKISH.test(part) ? codeSpan(part) : part.replace(MARKDOWN_SPECIAL, (char) => `\\${char}`)))
    .join("");
}

/**
 * Untrusted text as a Markdown code span: for identifiers (model numbers, builds, paths, hashes),
 * shown verbatim in monospace. The fence is one backtick longer than any run inside. In a table
 * cell pipes are escaped even here, because GFM splits rows on them before it sees code spans
 * (and drops the backslash again); elsewhere a backslash in a code span would show.
 */
export function markdownCode(text: string, options: { table?: boolean; max?: number } = {}): string {
  const oneLine = truncateText(text, options.max ?? MAX_SHOWN_CHARS).replace(/\r\n|\r|\n/g, " ").replace(SPECIAL, visibleCharacter);
  return codeSpan(options.table === true ? oneLine.replace(/\|/g, "\\|") : oneLine);
}
