/**
 * The few XMP properties exifhunt reads (creation and modification dates, the creator tool and the
 * editing history), found in the packet's text without building an XML tree. XMP (ISO 16684-1)
 * writes a simple property either as an attribute of rdf:Description (`xmp:CreatorTool="…"`) or as
 * an element (`<xmp:CreatorTool>…</xmp:CreatorTool>`); both are read. Prefixes are matched as
 * writers use them (`xmp`, and `xap` from before XMP's 2004 rename). Pure.
 */
import { utf8Text } from "./bytes.js";
import { APP1, type SegmentClaim } from "./jpeg-segments.js";
import { isSpaceCode, TextSearch, type WorkMeter } from "./text-search.js";

/** In a JPEG, the main XMP packet is the payload of an APP1 segment headed by Adobe's namespace. */
export const XMP_SEGMENT: SegmentClaim = { marker: APP1, header: "http://ns.adobe.com/xap/1.0/\0", keepHeader: false };

/** One xmpMM:History event: which software did what, when, to which part ("/metadata", "/"). */
export interface XmpHistoryEntry {
  action: string | null;
  softwareAgent: string | null;
  changed: string | null;
  when: string | null;
}

export interface XmpTags {
  createDate: string | null;
  modifyDate: string | null;
  metadataDate: string | null;
  creatorTool: string | null;
  photoshopDateCreated: string | null;
  /** Oldest first. */
  history: XmpHistoryEntry[];
}

export const NO_XMP_TAGS: XmpTags = {
  createDate: null,
  modifyDate: null,
  metadataDate: null,
  creatorTool: null,
  photoshopDateCreated: null,
  history: [],
};

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML character data as text: entities decoded, surrounding space trimmed; null when empty. */
function xmlText(raw: string): string | null {
  const decoded = raw.includes("&")
    ? raw.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
      if (name.startsWith("#")) {
        const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name] ?? whole;
    })
    : raw;
  const trimmed = decoded.trim();
  return trimmed === "" ? null : trimmed;
}

/** A character of an XML name as the reader takes it (`[\w.-]`: ASCII letters, digits, `_`, `.`, `-`), by code. */
function isNameCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x2e || code === 0x2d;
}

/** Whether a name ends before index `at` of the text: no name character, nor `:`, is there. */
function isNameBoundary(text: string, at: number): boolean {
  if (at >= text.length) return true;
  const code = text.charCodeAt(at);
  return !isNameCode(code) && code !== 0x3a;
}

/** The quoted value that follows a name ending at `nameEnd` (`="…"` or `='…'`), or undefined when none does. */
function valueAfter(s: TextSearch, nameEnd: number, to: number): string | null | undefined {
  let i = s.skipSpace(nameEnd);
  if (s.text[i] !== "=") return undefined;
  i = s.skipSpace(i + 1);
  const quote = s.text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  const end = s.indexOf(quote, i + 1);
  if (end === -1 || end > to) return null;
  return xmlText(s.slice(i + 1, end));
}

/** The value of attribute `name` (`name="…"` or `name='…'`) in the text, from `from` on. */
function attribute(s: TextSearch, name: string, from = 0, to = s.length): string | null {
  for (let at = s.indexOf(name, from); at !== -1 && at < to; at = s.indexOf(name, at + 1)) {
    if (!isSpaceCode(s.text.charCodeAt(at - 1))) continue;
    const value = valueAfter(s, at + name.length, to);
    if (value !== undefined) return value;
  }
  return null;
}

/** Where an element is: its start tag's `<`, its content (empty when self-closing) and its end. */
interface ElementAt {
  start: number;
  contentStart: number;
  contentEnd: number;
  end: number;
  selfClosing: boolean;
}

/**
 * The element `name` whose start tag begins at `at`: undefined when no start tag is there, null when
 * it never ends before `to`. A start tag holding a `<` is not one (XML allows no `<` inside a tag),
 * so no two start tags accepted overlap.
 */
function elementAt(s: TextSearch, name: string, at: number, to: number): ElementAt | null | undefined {
  if (!isNameBoundary(s.text, at + name.length + 1)) return undefined;
  const tagEnd = s.indexOf(">", at);
  if (tagEnd === -1 || tagEnd >= to) return null;
  const nextTag = s.indexOf("<", at + 1);
  if (nextTag !== -1 && nextTag < tagEnd) return undefined;
  if (s.text[tagEnd - 1] === "/") return { start: at, contentStart: tagEnd, contentEnd: tagEnd, end: tagEnd + 1, selfClosing: true };
  const close = s.indexOf(`</${name}>`, tagEnd);
  if (close === -1 || close > to) return null;
  return { start: at, contentStart: tagEnd + 1, contentEnd: close, end: close + name.length + 3, selfClosing: false };
}

/** The element `<name …>…</name>` at or after `from`; null when absent. */
function element(s: TextSearch, name: string, from = 0, to = s.length): ElementAt | null {
  for (let at = s.indexOf(`<${name}`, from); at !== -1 && at < to; at = s.indexOf(`<${name}`, at + 1)) {
    const found = elementAt(s, name, at, to);
    if (found !== undefined) return found;
  }
  return null;
}

/** Whether another element `name` starts inside `found` (a nested one, or an unclosed sibling). */
function holdsSameName(s: TextSearch, name: string, found: ElementAt): boolean {
  const open = `<${name}`;
  for (let at = s.indexOf(open, found.contentStart); at !== -1 && at < found.contentEnd; at = s.indexOf(open, at + 1)) {
    if (isNameBoundary(s.text, at + open.length)) return true;
  }
  return false;
}

/** The text with its tags (`<…>`) removed, as `/<[^>]*>/g` would, in one pass. */
function withoutTags(s: TextSearch): string {
  let out = "";
  for (let i = 0; i < s.length;) {
    const lt = s.indexOf("<", i);
    const gt = lt === -1 ? -1 : s.indexOf(">", lt);
    if (gt === -1) return out + s.slice(i, s.length);
    out += s.slice(i, lt);
    i = gt + 1;
  }
  return out;
}

/** A simple property's value at `at` (where its name starts), written as an element or an attribute. */
function propertyAt(s: TextSearch, name: string, at: number): string | null {
  if (s.text[at - 1] === "<") {
    // Only the element that starts here: one further on is that later occurrence's to read.
    const found = elementAt(s, name, at - 1, s.length);
    if (found === null || found === undefined || found.selfClosing || holdsSameName(s, name, found)) return null;
    // Its content lies before the next element of the same name, so no two contents read overlap.
    const content = new TextSearch(s.slice(found.contentStart, found.contentEnd), s.meter);
    // A property written as a one-item list (rdf:Alt, rdf:Seq): its first item's text.
    const item = element(content, "rdf:li");
    const text = item === null ? content : new TextSearch(item.selfClosing ? content.slice(item.start, item.contentStart - 1) : content.slice(item.contentStart, item.contentEnd), s.meter);
    return xmlText(withoutTags(text));
  }
  return valueAfter(s, at + name.length, s.length) ?? null;
}

type SimpleProperty = "createDate" | "modifyDate" | "metadataDate" | "creatorTool" | "photoshopDateCreated";

const PROPERTY_OF: Readonly<Record<string, SimpleProperty>> = {
  "xmp:CreateDate": "createDate",
  "xmp:ModifyDate": "modifyDate",
  "xmp:MetadataDate": "metadataDate",
  "xmp:CreatorTool": "creatorTool",
  "photoshop:DateCreated": "photoshopDateCreated",
};

/**
 * Every place one of the simple properties' local names follows a colon. Starting at the colon
 * lets the regex engine skip ahead by a literal; the prefix before it is checked by hand.
 */
const LOCAL_NAMES = /:(CreateDate|ModifyDate|MetadataDate|CreatorTool|DateCreated)(?=[\s=>/])/g;

/** The namespace prefix that ends just before `colon`, when a name starts there (after `<` or space). */
function prefixBefore(s: TextSearch, colon: number): { prefix: string; start: number } | null {
  let start = colon;
  while (start > 0 && isNameCode(s.text.charCodeAt(start - 1))) start--;
  s.meter.steps += colon - start;
  const before = start > 0 ? s.text.charCodeAt(start - 1) : -1;
  return start < colon && (before === 0x3c || isSpaceCode(before)) ? { prefix: s.text.slice(start, colon), start } : null;
}

/**
 * The simple properties, in one pass over the packet. Where a property is written more than once,
 * the xmp prefix wins over the older xap, then an element over an attribute, then the first.
 */
function simpleProperties(s: TextSearch): Record<SimpleProperty, string | null> {
  const values: Record<SimpleProperty, string | null> = { createDate: null, modifyDate: null, metadataDate: null, creatorTool: null, photoshopDateCreated: null };
  const ranks: Partial<Record<SimpleProperty, number>> = {};
  let scanned = 0;
  for (const match of s.text.matchAll(LOCAL_NAMES)) {
    s.meter.steps += match.index + match[0].length - scanned;
    scanned = match.index + match[0].length;
    const found = prefixBefore(s, match.index);
    if (found === null) continue;
    const { prefix, start } = found;
    const localName = match[1] ?? "";
    const property = PROPERTY_OF[`${prefix === "xap" ? "xmp" : prefix}:${localName}`];
    if (property === undefined) continue;
    const rank = (prefix === "xap" ? 2 : 0) + (s.text[start - 1] === "<" ? 0 : 1);
    if (rank >= (ranks[property] ?? 4)) continue;
    const value = propertyAt(s, `${prefix}:${localName}`, start);
    if (value === null) continue;
    values[property] = value;
    ranks[property] = rank;
  }
  s.meter.steps += s.length - scanned;
  return values;
}

const EVENT_FIELDS = ["action", "softwareAgent", "changed", "when"] as const;

/** One rdf:li of xmpMM:History: stEvt fields as attributes (of the li or a Description in it) or elements. */
function historyEvent(item: TextSearch): XmpHistoryEntry {
  const event: XmpHistoryEntry = { action: null, softwareAgent: null, changed: null, when: null };
  for (const field of EVENT_FIELDS) {
    const name = `stEvt:${field}`;
    const child = element(item, name);
    event[field] = child !== null && !child.selfClosing && item.text[child.contentStart] !== "<"
      ? xmlText(item.slice(child.contentStart, child.contentEnd))
      : attribute(item, name);
  }
  return event;
}

function history(s: TextSearch): XmpHistoryEntry[] {
  for (const name of ["xmpMM:History", "xapMM:History"]) {
    const found = element(s, name);
    if (found === null) continue;
    const events: XmpHistoryEntry[] = [];
    const content = new TextSearch(s.slice(found.contentStart, found.contentEnd), s.meter);
    for (let item = element(content, "rdf:li"); item !== null; item = element(content, "rdf:li", item.end)) {
      // The whole item, start tag included: its fields may be the li's own attributes.
      events.push(historyEvent(new TextSearch(content.slice(item.start, item.end), s.meter)));
    }
    return events;
  }
  return [];
}

/** The trailer, with the NULs and white space some writers leave after it. */
const TRAILER = /^<\?xpacket end=(["'])[rw]\1\s*\?>[\s\0]*$/;
/** Padding as the readers see it: white space (the text is decoded to find it, natively). */
const PADDING = /^\s*$/;

/**
 * The packet without the padding writers leave for in-place edits: the white space between the
 * last tag and the `<?xpacket end="w"?>` trailer, often 2 or 4 KiB, half of a phone's packet
 * and so half the decoding and searching. Cut only when the packet ends as the specification
 * writes it, a `>` then white space then the trailer; anything else is read whole. Found with
 * Buffer's native searches: a loop over the padding's bytes here cost as much as reading it.
 */
function withoutPadding(packet: Uint8Array): Uint8Array {
  const bytes = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
  const start = bytes.lastIndexOf("<?xpacket");
  if (start <= 0 || bytes.length - start > 64 || !TRAILER.test(bytes.toString("latin1", start))) return packet;
  const lastTag = bytes.lastIndexOf(0x3e, start - 1);
  if (lastTag === -1 || !PADDING.test(bytes.toString("latin1", lastTag + 1, start))) return packet;
  return packet.subarray(0, lastTag + 1);
}

/** How far into a packet its header (`<?xpacket begin="…" id="…"?>`) is looked for. */
const HEADER_SEARCH_BYTES = 256;

/**
 * The packet after its header, `<?xpacket begin="\uFEFF" id="…"?>`, which holds no property.
 * The header's begin attribute is a byte-order mark, and that one character past U+007F makes
 * the whole packet a two-byte string, decoded character by character and searched at half the
 * speed (utf8Text): left out, most packets are ASCII. Cut only where the header is whole.
 */
function withoutHeader(packet: Uint8Array): Uint8Array {
  const bytes = Buffer.from(packet.buffer, packet.byteOffset, Math.min(packet.byteLength, HEADER_SEARCH_BYTES));
  const start = bytes.indexOf("<?xpacket");
  if (start === -1 || start > 3) return packet;
  const end = bytes.indexOf("?>", start);
  return end === -1 ? packet : packet.subarray(end + 2);
}

/**
 * Reads exifhunt's XMP properties from a packet (UTF-8, as JPEG, TIFF, PNG and WebP carry it), in
 * time linear in its length: `meter` counts the characters examined.
 */
export function readXmp(packet: Uint8Array | string, meter?: WorkMeter): XmpTags {
  const s = new TextSearch(typeof packet === "string" ? packet : utf8Text(withoutHeader(withoutPadding(packet))), meter);
  return { ...simpleProperties(s), history: s.text.includes("History") ? history(s) : [] };
}
