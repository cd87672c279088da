/**
 * The few XMP properties exifhunt reads (creation and modification dates, the creator tool and the
 * editing history), found in the packet's text without building an XML tree. XMP (ISO 16684-1)
 * writes a simple property either as an attribute of rdf:Description (`xmp:CreatorTool="…"`) or as
 * an element (`<xmp:CreatorTool>…</xmp:CreatorTool>`); both are read. Prefixes are matched as
 * writers use them (`xmp`, and `xap` from before XMP's 2004 rename). Pure.
 */
import { utf8Text } from "./bytes.js";
import { APP1, type SegmentClaim } from "./jpeg-segments.js";

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

function isNameBoundary(char: string | undefined): boolean {
  return char === undefined || !/[\w:.-]/.test(char);
}

/** The value of attribute `name` (`name="…"` or `name='…'`) in `xml`, from `from` on. */
function attribute(xml: string, name: string, from = 0, to = xml.length): string | null {
  for (let at = xml.indexOf(name, from); at !== -1 && at < to; at = xml.indexOf(name, at + 1)) {
    if (!/\s/.test(xml[at - 1] ?? "")) continue;
    let i = at + name.length;
    while (/\s/.test(xml[i] ?? "")) i++;
    if (xml[i] !== "=") continue;
    i++;
    while (/\s/.test(xml[i] ?? "")) i++;
    const quote = xml[i];
    if (quote !== '"' && quote !== "'") continue;
    const end = xml.indexOf(quote, i + 1);
    if (end === -1 || end > to) return null;
    return xmlText(xml.slice(i + 1, end));
  }
  return null;
}

/** Where the element `<name …>…</name>` is: its start, content and end; null when absent. */
function element(xml: string, name: string, from = 0, to = xml.length): { start: number; content: string; end: number } | null {
  const open = `<${name}`;
  for (let at = xml.indexOf(open, from); at !== -1 && at < to; at = xml.indexOf(open, at + 1)) {
    if (!isNameBoundary(xml[at + open.length])) continue;
    const tagEnd = xml.indexOf(">", at);
    if (tagEnd === -1 || tagEnd >= to) return null;
    if (xml[tagEnd - 1] === "/") return { start: at, content: xml.slice(at, tagEnd - 1), end: tagEnd + 1 };
    const close = xml.indexOf(`</${name}>`, tagEnd);
    if (close === -1 || close > to) return null;
    return { start: at, content: xml.slice(tagEnd + 1, close), end: close + name.length + 3 };
  }
  return null;
}

/** A simple property's value at `at` (where its name starts), written as an element or an attribute. */
function propertyAt(xml: string, name: string, at: number): string | null {
  if (xml[at - 1] === "<") {
    const found = element(xml, name, at - 1);
    if (found === null || found.content.startsWith(`<${name}`)) return null;
    // A property written as a one-item list (rdf:Alt, rdf:Seq): its first item's text.
    const item = element(found.content, "rdf:li");
    return xmlText((item ?? found).content.replace(/<[^>]*>/g, ""));
  }
  return attribute(xml, name, at - 1);
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
function prefixBefore(xml: string, colon: number): { prefix: string; start: number } | null {
  let start = colon;
  while (start > 0 && /[\w.-]/.test(xml[start - 1] ?? "")) start--;
  const before = xml[start - 1] ?? "";
  return start < colon && (before === "<" || /\s/.test(before)) ? { prefix: xml.slice(start, colon), start } : null;
}

/**
 * The simple properties, in one pass over the packet. Where a property is written more than once,
 * the xmp prefix wins over the older xap, then an element over an attribute, then the first.
 */
function simpleProperties(xml: string): Record<SimpleProperty, string | null> {
  const values: Record<SimpleProperty, string | null> = { createDate: null, modifyDate: null, metadataDate: null, creatorTool: null, photoshopDateCreated: null };
  const ranks: Partial<Record<SimpleProperty, number>> = {};
  for (const match of xml.matchAll(LOCAL_NAMES)) {
    const found = prefixBefore(xml, match.index);
    if (found === null) continue;
    const { prefix, start } = found;
    const localName = match[1] ?? "";
    const property = PROPERTY_OF[`${prefix === "xap" ? "xmp" : prefix}:${localName}`];
    if (property === undefined) continue;
    const rank = (prefix === "xap" ? 2 : 0) + (xml[start - 1] === "<" ? 0 : 1);
    if (rank >= (ranks[property] ?? 4)) continue;
    const value = propertyAt(xml, `${prefix}:${localName}`, start);
    if (value === null) continue;
    values[property] = value;
    ranks[property] = rank;
  }
  return values;
}

const EVENT_FIELDS = ["action", "softwareAgent", "changed", "when"] as const;

/** One rdf:li of xmpMM:History: stEvt fields as attributes (of the li or a Description in it) or elements. */
function historyEvent(item: string): XmpHistoryEntry {
  const event: XmpHistoryEntry = { action: null, softwareAgent: null, changed: null, when: null };
  for (const field of EVENT_FIELDS) {
    const name = `stEvt:${field}`;
    const child = element(item, name);
    event[field] = child !== null && !child.content.startsWith("<") ? xmlText(child.content) : attribute(item, name);
  }
  return event;
}

function history(xml: string): XmpHistoryEntry[] {
  for (const name of ["xmpMM:History", "xapMM:History"]) {
    const found = element(xml, name);
    if (found === null) continue;
    const events: XmpHistoryEntry[] = [];
    for (let item = element(found.content, "rdf:li"); item !== null; item = element(found.content, "rdf:li", item.end)) {
      // The whole item, start tag included: its fields may be the li's own attributes.
      events.push(historyEvent(found.content.slice(item.start, item.end)));
    }
    return events;
  }
  return [];
}

/** Reads exifhunt's XMP properties from a packet (UTF-8, as JPEG, TIFF, PNG and WebP carry it). */
export function readXmp(packet: Uint8Array | string): XmpTags {
  const xml = typeof packet === "string" ? packet : utf8Text(packet);
  return { ...simpleProperties(xml), history: xml.includes("History") ? history(xml) : [] };
}
