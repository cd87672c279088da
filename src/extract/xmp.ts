/**
 * The few XMP properties exifhunt reads (creation and modification dates, the creator tool and the
 * editing history), found in the packet's text without building an XML tree. XMP (ISO 16684-1)
 * writes a simple property either as an attribute of rdf:Description (`xmp:CreatorTool="…"`) or as
 * an element (`<xmp:CreatorTool>…</xmp:CreatorTool>`); both are read. Prefixes are matched as
 * writers use them (`xmp`, and `xap` from before XMP's 2004 rename). Pure.
 */

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

/**
 * A simple property's value: the element's text (or its first rdf:li, for a property written as
 * a one-item list), else the attribute.
 */
function simpleProperty(xml: string, names: readonly string[]): string | null {
  for (const name of names) {
    const found = element(xml, name);
    if (found !== null && !found.content.startsWith(`<${name}`)) {
      const item = element(found.content, "rdf:li");
      const value = xmlText((item ?? found).content.replace(/<[^>]*>/g, ""));
      if (value !== null) return value;
    }
    const value = attribute(xml, name);
    if (value !== null) return value;
  }
  return null;
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

const utf8 = new TextDecoder("utf-8");

/** Reads exifhunt's XMP properties from a packet (UTF-8, as JPEG, TIFF, PNG and WebP carry it). */
export function readXmp(packet: Uint8Array | string): XmpTags {
  const xml = typeof packet === "string" ? packet : utf8.decode(packet);
  return {
    createDate: simpleProperty(xml, ["xmp:CreateDate", "xap:CreateDate"]),
    modifyDate: simpleProperty(xml, ["xmp:ModifyDate", "xap:ModifyDate"]),
    metadataDate: simpleProperty(xml, ["xmp:MetadataDate", "xap:MetadataDate"]),
    creatorTool: simpleProperty(xml, ["xmp:CreatorTool", "xap:CreatorTool"]),
    photoshopDateCreated: simpleProperty(xml, ["photoshop:DateCreated"]),
    history: history(xml),
  };
}
