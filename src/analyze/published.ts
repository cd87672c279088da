/**
 * A URL's Last-Modified against the device's announcement. A photo's capture time is whatever the
 * camera's clock said; a server's Last-Modified is when the file reached the server (or was last
 * replaced there, which only makes it later). A photo served as last modified before the device
 * was announced was on line, or at least existed, before the announcement.
 */
import type { Finding } from "../record.js";
import { captureDay, formatDay } from "../registry/index.js";
import type { Rule } from "./context.js";
import { plural } from "../util/words.js";
import { daysBefore, describeDate, TOLERANCE_DAYS } from "./dates.js";

const MS_PER_DAY = 86_400_000;

/**
 * EXIF 1.0 dates from 1995: a Last-Modified before it is a server's placeholder (the Unix epoch is
 * common), not a date, and must never be read as evidence.
 */
const EARLIEST_PLAUSIBLE_MS = Date.UTC(1995, 0, 1);

/** The UTC day of an HTTP date (`Tue, 22 Oct 2013 14:05:11 GMT`); null when unreadable or implausible. */
export function lastModifiedDay(value: string): number | null {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < EARLIEST_PLAUSIBLE_MS) return null;
  return Math.floor(ms / MS_PER_DAY);
}

const TOLERANCE_NOTE = "a day of tolerance was allowed for time zones";

export const publishedDateRule: Rule = ({ sample, lookup, published }) => {
  if (published?.lastModified === undefined || published.lastModified === null) return [];
  const day = lastModifiedDay(published.lastModified);
  if (day === null) return [];
  const shot = sample.captured === null ? null : captureDay(sample.captured);
  if (shot !== null && shot - day > TOLERANCE_DAYS) {
    // A file cannot reach a server before it was shot: one clock is wrong, and neither date can
    // be trusted as evidence until a human has looked.
    const finding: Finding = {
      code: "date-inconsistent",
      severity: "medium",
      message: `the date the server gives for the file (Last-Modified, ${formatDay(day)}) is ${plural(shot - day, "day")} before the photo was shot (${formatDay(shot)}): the camera's clock or the server's date is wrong; ${TOLERANCE_NOTE}`,
    };
    return [finding];
  }
  if (lookup.kind !== "device" || lookup.device.announced === null) return [];
  const { announced } = lookup.device;
  const days = daysBefore(day, announced);
  if (days <= TOLERANCE_DAYS) return [];
  return [
    {
      code: "published-before-announcement",
      severity: "high",
      message: `the server dates the file ${published.lastModified} (Last-Modified), ${plural(days, "day")} before ${lookup.device.entry.name} was announced (${describeDate(announced)}): the file was on the server before the announcement; ${TOLERANCE_NOTE}`,
    },
  ];
};
