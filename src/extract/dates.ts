/**
 * Capture times as files write them -> `YYYY-MM-DDTHH:MM:SS[±HH:MM]`.
 * EXIF: `2013:10:22 14:05:11` (no zone; OffsetTime* may add one). XMP: ISO 8601. IPTC: `20191016`
 * and `190100+0000`. Placeholders cameras write when their clock was never set (`0000:00:00 …`,
 * blanks) are no date at all.
 */

const EXIF_OR_ISO =
  /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const IPTC_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const IPTC_TIME = /^(\d{2})(\d{2})(\d{2})([+-]\d{4})?$/;
const OFFSET = /^(?:Z|([+-])(\d{2}):?(\d{2}))$/;

function pad(value: number): string {
  return String(value).padStart(2, "0");
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

function validDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

function format(parts: readonly number[], offset: string | null): string | null {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  if (!validDateTime(year, month, day, hour, minute, second)) return null;
  const text = `${String(year)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  return offset === null ? text : `${text}${offset}`;
}

/** An EXIF or ISO 8601 date-time; `offset` (EXIF OffsetTime*) applies when the value has none. */
export function normalizeDateTime(value: string | null, offset: string | null = null): string | null {
  if (value === null) return null;
  const match = EXIF_OR_ISO.exec(value.trim());
  if (match === null) return null;
  const [, year, month, day, hour = "0", minute = "0", second = "0", zone] = match;
  const parts = [year, month, day, hour, minute, second].map(Number);
  return format(parts, normalizeOffset(zone ?? null) ?? normalizeOffset(offset));
}

/** IPTC DateCreated (`YYYYMMDD`) with TimeCreated (`HHMMSS±HHMM`), as ExifTool combines them. */
export function normalizeIptcDateTime(date: string | null, time: string | null): string | null {
  if (date === null) return null;
  const dateMatch = IPTC_DATE.exec(date.trim());
  if (dateMatch === null) return null;
  const timeMatch = time === null ? null : IPTC_TIME.exec(time.trim());
  const [, hour = "0", minute = "0", second = "0", zone] = timeMatch ?? [];
  const parts = [dateMatch[1], dateMatch[2], dateMatch[3], hour, minute, second].map(Number);
  return format(parts, normalizeOffset(zone ?? null));
}
