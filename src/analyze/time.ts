/**
 * Times as the extract stage normalizes them (`YYYY-MM-DDTHH:MM:SS`, `±HH:MM` when the zone is
 * known), compared the way a camera's clocks allow: wall clock against wall clock when a zone is
 * missing, instant against instant when both are known.
 */
import { dateTimeFieldsAt, digitsAt, type DateTimeFields } from "../extract/dates.js";

/** Read-only: moment() hands the same one out again for the same text. */
export interface Moment {
  /** As written in the record: what messages quote. */
  readonly text: string;
  /** The wall-clock time read as if it were UTC, in ms. */
  readonly wall: number;
  /** The zone offset in minutes east of UTC; null when the file does not say. */
  readonly offset: number | null;
}

const NORMALIZED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{2}):(\d{2}))?$/;

/** Separators of `YYYY-MM-DDTHH:MM:SS` by position: `-`, `-`, `T`, `:`, `:`. */
const SEPARATORS: readonly (readonly [number, number])[] = [[4, 0x2d], [7, 0x2d], [10, 0x54], [13, 0x3a], [16, 0x3a]];

/** Where momentAt reads a date's fields: one object for every date. */
const FIELDS: DateTimeFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };

/**
 * NORMALIZED read by character positions (moment runs for every date of every photo); undefined
 * when `text` is not in that shape, for the pattern to judge.
 */
function momentAt(text: string): Moment | undefined {
  if (text.length !== 19 && text.length !== 25) return undefined;
  for (const [at, code] of SEPARATORS) if (text.charCodeAt(at) !== code) return undefined;
  if (!dateTimeFieldsAt(text, FIELDS)) return undefined;
  const { year, month, day, hour, minute, second } = FIELDS;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (text.length === 19) return { text, wall, offset: null };
  const sign = text.charCodeAt(19);
  const offsetHours = digitsAt(text, 20, 2);
  const offsetMinutes = digitsAt(text, 23, 2);
  if ((sign !== 0x2b && sign !== 0x2d) || text.charCodeAt(22) !== 0x3a || offsetHours < 0 || offsetMinutes < 0) return undefined;
  return { text, wall, offset: (sign === 0x2d ? -1 : 1) * (offsetHours * 60 + offsetMinutes) };
}

/**
 * The moments read last. A photo's few dates are each read by several rules (the capture time by
 * five), one photo after another: the same string again is the common case, and a Moment is
 * never changed once made, so it can be handed out twice.
 */
const recent: (Moment | undefined)[] = [undefined, undefined, undefined, undefined];
let nextRecent = 0;

export function moment(text: string | null): Moment | null {
  if (text === null) return null;
  for (const known of recent) if (known !== undefined && known.text === text) return known;
  const read = readMoment(text);
  if (read !== null) {
    recent[nextRecent] = read;
    nextRecent = (nextRecent + 1) % recent.length;
  }
  return read;
}

function readMoment(text: string): Moment | null {
  const quick = momentAt(text);
  if (quick !== undefined) return quick;
  const match = NORMALIZED.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes] = match;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const offset = sign === undefined ? null : (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
  return { text, wall, offset };
}

/** The UTC instant in ms; null when the zone is unknown. */
export function instant(m: Moment): number | null {
  return m.offset === null ? null : m.wall - m.offset * 60_000;
}

/**
 * `later - earlier` in seconds: between instants when both zones are known, else between wall
 * clocks (`zoned` false).
 */
export function secondsBetween(earlier: Moment, later: Moment): { seconds: number; zoned: boolean } {
  const a = instant(earlier);
  const b = instant(later);
  if (a !== null && b !== null) return { seconds: (b - a) / 1000, zoned: true };
  return { seconds: (later.wall - earlier.wall) / 1000, zoned: false };
}

/** `2014-09-23 16:38:23` (with its zone when known): how messages quote a time. */
export function showTime(m: Moment): string {
  return m.text.replace("T", " ");
}

/** "3 days", "5 hours", "40 minutes", "12 seconds": the size of a gap, for messages. */
export function showGap(seconds: number): string {
  const abs = Math.abs(seconds);
  const units: readonly (readonly [number, string])[] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (abs >= size * (size === 86_400 ? 2 : 1)) {
      const count = Math.floor(abs / size);
      return `${String(count)} ${name}${count === 1 ? "" : "s"}`;
    }
  }
  const count = Math.round(abs);
  return `${String(count)} second${count === 1 ? "" : "s"}`;
}

/** Clocks differ by at most the world's spread of time zones: UTC−12 to UTC+14. */
export const MAX_ZONE_SECONDS = 14 * 3600;
