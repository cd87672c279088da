/**
 * Entry names are data from strangers: `../../etc/passwd`, absolute paths, terminal escapes,
 * right-to-left overrides, bytes that are no text at all. exifhunt never writes an entry to disk,
 * so a name is only ever shown: these make it safe to show in a terminal, a CSV cell or a report.
 */

/**
 * C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi
 * embeddings, overrides and isolates; zero-width joiners; the BOM): a name `gpj.exe` written
 * backwards with U+202E must not read as `exe.jpg`.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

function escape(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}

/** A name as shown in sources and records: unsafe characters escaped as `\xNN` or `\u{NNNN}`. */
export function safeEntryName(name: string, index: number): string {
  if (name === "") return `(entry ${String(index)} has no name)`;
  return name.replace(UNSAFE, escape);
}

/** `archive!/entry`, the source of an entry (DESIGN.md); nested archives chain (`a.zip!/b.zip!/c.jpg`). */
export function entrySourceId(container: string, name: string): string {
  return `${container}!/${name}`;
}
