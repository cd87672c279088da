/**
 * The EXIF maker note: a block each manufacturer formats its own way. Two things in it are
 * evidence: whose format it is (a Samsung note in a photo whose Make says Sony was grafted), and,
 * in Sony's notes, the camera's own record of when it shot and at what size, written by the same
 * firmware at the same moment as the EXIF (so a date moved in EXIF alone stands out).
 * Signatures follow ExifTool's MakerNotes table (lib/Image/ExifTool/MakerNotes.pm).
 */
import { byteText, startsWithAscii } from "./bytes.js";
import { normalizeDateTime } from "./dates.js";
import { entryBytes, findEntry, findMakerNote, openTiff, type Tiff } from "./tiff.js";

/** Manufacturers whose maker-note format can be told from its first bytes. */
export type MakerNoteFormat =
  | "apple"
  | "blackberry"
  | "casio"
  | "fujifilm"
  | "kodak"
  | "kyocera"
  | "leica"
  | "motorola"
  | "nikon"
  | "olympus"
  | "panasonic"
  | "pentax"
  | "ricoh"
  | "samsung"
  | "sanyo"
  | "sony";

export interface MakerNoteInfo {
  /** Whose format the note is in; null when it has no recognisable signature (Canon's has none). */
  format: MakerNoteFormat | null;
  /** The first bytes as text (non-printable as "."), shown in messages as evidence. */
  signature: string;
  /** Sony: the capture time the camera wrote in the note (ShotInfo), `YYYY-MM-DDTHH:MM:SS`. */
  date: string | null;
  /** Sony: the image size the camera wrote in the note (ShotInfo). */
  size: { width: number; height: number } | null;
}

const ASCII_SIGNATURES: readonly (readonly [string, MakerNoteFormat])[] = [
  ["Apple iOS\0", "apple"],
  ["SONY DSC ", "sony"],
  ["SONY CAM ", "sony"],
  ["SONY MOBILE\0", "sony"],
  ["\0\0SONY PIC\0", "sony"],
  ["SONY PI\0", "sony"],
  // Sony Ericsson phones.
  ["SEMC MS\0", "sony"],
  ["Nikon\0", "nikon"],
  ["OLYMPUS\0", "olympus"],
  ["OLYMP\0", "olympus"],
  ["OM SYSTEM\0", "olympus"],
  ["FUJIFILM", "fujifilm"],
  ["Panasonic\0", "panasonic"],
  ["LEICA", "leica"],
  ["AOC\0", "pentax"],
  ["PENTAX ", "pentax"],
  ["QVC\0", "casio"],
  ["KDK", "kodak"],
  ["RICOH\0", "ricoh"],
  ["Ricoh", "ricoh"],
  ["SANYO\0", "sanyo"],
  ["MOT\0", "motorola"],
  ["RIM0", "blackberry"],
  ["KYOCERA", "kyocera"],
  ["STMN", "samsung"],
];

/**
 * Samsung phones write a header-less IFD whose first entry is MakerNoteVersion, 4 bytes of
 * type UNDEFINED holding "0100" (ExifTool's MakerNoteSamsung2 test, minus its check of the Make:
 * here the Make is what is being checked).
 */
function isSamsungIfd(bytes: Uint8Array): boolean {
  const version = [0x30, 0x31, 0x30, 0x30];
  const le = [0x01, 0x00, 0x07, 0x00, 0x04, 0x00, 0x00, 0x00];
  const be = [0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x04];
  const matches = (pattern: readonly number[]): boolean =>
    [...pattern, ...version].every((byte, i) => bytes[2 + i] === byte);
  return (bytes[1] === 0x00 && matches(le)) || (bytes[0] === 0x00 && matches(be));
}

export function makerNoteFormat(note: Uint8Array): MakerNoteFormat | null {
  for (const [text, format] of ASCII_SIGNATURES) if (startsWithAscii(note, text)) return format;
  return isSamsungIfd(note) ? "samsung" : null;
}

/** The bytes as text, non-printable ones as ".", trailing dots dropped. */
function printable(bytes: Uint8Array): string {
  let end = bytes.length;
  const shown = (byte: number): boolean => byte >= 0x20 && byte <= 0x7e;
  while (end > 0 && !(shown(bytes[end - 1] ?? 0) && bytes[end - 1] !== 0x2e)) end--;
  let text = "";
  for (let i = 0; i < end; i++) {
    const byte = bytes[i] ?? 0;
    text += shown(byte) ? String.fromCharCode(byte) : ".";
  }
  return text;
}

/** Sony notes: a 12-byte header ("SONY DSC \0\0\0", "SONY MOBILE\0") then an IFD (Sony Ericsson's "SEMC MS" differs). */
const SONY_IFD_AFTER_HEADER = 12;
/** ShotInfo: byte order, then at offset 6 a 20-byte date, at 0x1a/0x1c the image height/width. */
const TAG_SONY_SHOT_INFO = 0x3000;

function sonyShotInfo(tiff: Tiff, noteOffset: number, note: Uint8Array): Pick<MakerNoteInfo, "date" | "size"> {
  const none = { date: null, size: null };
  if (!startsWithAscii(note, "SONY ")) return none;
  const ifdOffset = noteOffset + SONY_IFD_AFTER_HEADER;
  // Sony's note pointers are relative to the TIFF header, like the EXIF IFDs around it.
  const shot = findEntry(tiff, ifdOffset, TAG_SONY_SHOT_INFO);
  const bytes = shot === null ? null : entryBytes(tiff, shot);
  if (bytes === null || bytes.length < 0x1e) return none;
  const order = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (order !== "II" && order !== "MM") return none;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = order === "II";
  const nul = bytes.indexOf(0, 6);
  const text = byteText(bytes, 6, nul === -1 || nul > 26 ? 26 : nul);
  const height = view.getUint16(0x1a, little);
  const width = view.getUint16(0x1c, little);
  return {
    date: normalizeDateTime(text),
    size: width > 0 && height > 0 ? { width, height } : null,
  };
}

/** Reads the maker note of an EXIF TIFF block; null when there is none. */
export function readMakerNote(tiffBytes: Uint8Array): MakerNoteInfo | null {
  const tiff = openTiff(tiffBytes);
  if (tiff === null) return null;
  const entry = findMakerNote(tiff);
  const note = entry === null ? null : entryBytes(tiff, entry);
  if (entry === null || note === null || note.length < 4) return null;
  const format = makerNoteFormat(note);
  const sony = format === "sony" ? sonyShotInfo(tiff, entry.valueOffset, note) : { date: null, size: null };
  return { format, signature: printable(note.subarray(0, 12)), ...sony };
}
