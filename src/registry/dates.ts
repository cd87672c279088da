/**
 * Partial dates (`2014`, `2014-01`, `2014-01-06`) as registries write them. A photo is before a
 * partial date only when it is before its first day, and after it only when after its last day.
 */

export interface PartialDate {
  /** As written in the registry. */
  text: string;
  /** First and last day the date may mean, as day numbers (days since 1970-01-01). */
  firstDay: number;
  lastDay: number;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const MS_PER_DAY = 86_400_000;

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** Parses a partial date; null when the text is not one or names a day that does not exist. */
export function parsePartialDate(text: string): PartialDate | null {
  const match = PARTIAL_DATE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  if (match[2] === undefined) {
    return { text, firstDay: dayNumber(year, 1, 1), lastDay: dayNumber(year, 12, 31) };
  }
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  const daysInMonth = dayNumber(year, month + 1, 1) - dayNumber(year, month, 1);
  if (match[3] === undefined) {
    return { text, firstDay: dayNumber(year, month, 1), lastDay: dayNumber(year, month, daysInMonth) };
  }
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth) return null;
  const only = dayNumber(year, month, day);
  return { text, firstDay: only, lastDay: only };
}

/** The calendar day of a capture time (`YYYY-MM-DDTHH:MM:SS…`), as a day number; null if unreadable. */
export function captureDay(captured: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(captured);
  if (match === null) return null;
  return dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
