/**
 * Capture times as files write them -> `YYYY-MM-DDTHH:MM:SS[±HH:MM]`.
 * EXIF: `2013:10:22 14:05:11` (no zone; OffsetTime* may add one). XMP: ISO 8601. IPTC: `20191016`
 * and `190100+0000`. Placeholders cameras write when their clock was never set (`0000:00:00 …`,
 * blanks) are no date at all.
 */

/**
 * The decimal digits of `text` from `at` to `at + length` as a number; -1 when one
 * of them is not a digit. Dates are read by character position with it (here and in analyze/time.ts).
 */
export function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** The six numbers of a date and time. */
export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The six numbers of `YYYY?MM?DD?HH?MM?SS` read by their positions into `into`, an object the
 * caller keeps for every date it reads (dates are read for every photo, and are short-lived);
 * false when one is not all digits. The separators are the caller's to check.
 */
export function dateTimeFieldsAt(text: string, into: DateTimeFields): boolean {
  into.year = digitsAt(text, 0, 4);
  into.month = digitsAt(text, 5, 2);
  into.day = digitsAt(text, 8, 2);
  into.hour = digitsAt(text, 11, 2);
  into.minute = digitsAt(text, 14, 2);
  into.second = digitsAt(text, 17, 2);
  // digitsAt says -1 for a field that is not all digits: any one makes the OR negative.
  return (into.year | into.month | into.day | into.hour | into.minute | into.second) >= 0;
}

const EXIF_OR_ISO =
  /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const IPTC_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const IPTC_TIME = /^(\d{2})(\d{2})(\d{2})([+-]\d{4})?$/;
const OFFSET = /^(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** "00" to "99": every two-digit field of a date, made once (each date has five). */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, "0"));

function pad(value: number): string {
  return TWO_DIGITS[value] ?? String(value).padStart(2, "0");
}

/** `+02:00` from `+02:00`, `+0200` or `Z`; null when not an offset. */
export function normalizeOffset(text: string | null): string | null {
  if (text === null) return null;
  const match = OFFSET.exec(text.trim());
  if (match === null) return null;
  const [, sign, hours, minutes] = match;
  if (sign === undefined || hours === undefined || minutes === undefined) return "+00:00";
  if (Number(hours) > 14 || Number(minutes) > 59) return null;
  return `${sign}${hours}:${minutes}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The Gregorian calendar's days in a month (1-12), as Date.UTC counts them. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function validDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  return day <= daysInMonth(year, month);
}

function format(year: number, month: number, day: number, hour: number, minute: number, second: number, offset: string | null): string | null {
  if (!validDateTime(year, month, day, hour, minute, second)) return null;
  const text = `${String(year)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return offset === null ? text : `${text}${offset}`;
}

const EXIF_FIELDS: DateTimeFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };

/**
 * `YYYY:MM:DD HH:MM:SS`, exactly as EXIF writes it (nearly every value read), by character
 * positions; null for anything else, which the general pattern then reads. Same fields as
 * EXIF_OR_ISO gives for such a value: it has no zone.
 */
function exifDateTime(text: string, offset: string | null): string | null | undefined {
  if (text.length !== 19) return undefined;
  const separators = text.charCodeAt(4) === 0x3a && text.charCodeAt(7) === 0x3a && text.charCodeAt(10) === 0x20 && text.charCodeAt(13) === 0x3a && text.charCodeAt(16) === 0x3a;
  if (!separators || !dateTimeFieldsAt(text, EXIF_FIELDS)) return undefined;
  const { year, month, day, hour, minute, second } = EXIF_FIELDS;
  return format(year, month, day, hour, minute, second, normalizeOffset(offset));
}

/** An EXIF or ISO 8601 date-time; `offset` (EXIF OffsetTime*) applies when the value has none. */
export function normalizeDateTime(value: string | null, offset: string | null = null): string | null {
  if (value === null) return null;
  const text = value.trim();
  const exif = exifDateTime(text, offset);
  if (exif !== undefined) return exif;
  const match = EXIF_OR_ISO.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour = "0", minute = "0", second = "0", zone] = match;
  return format(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), normalizeOffset(zone ?? null) ?? normalizeOffset(offset));
}

/** IPTC DateCreated (`YYYYMMDD`) with TimeCreated (`HHMMSS±HHMM`), as ExifTool combines them. */
export function normalizeIptcDateTime(date: string | null, time: string | null): string | null {
  if (date === null) return null;
  const dateMatch = IPTC_DATE.exec(date.trim());
  if (dateMatch === null) return null;
  const timeMatch = time === null ? null : IPTC_TIME.exec(time.trim());
  const [, hour = "0", minute = "0", second = "0", zone] = timeMatch ?? [];
  return format(Number(dateMatch[1]), Number(dateMatch[2]), Number(dateMatch[3]), Number(hour), Number(minute), Number(second), normalizeOffset(zone ?? null));
}
