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

/** How one kind of publication date is worded, and which code an early one gets. */
interface PublicationWording {
  code: "published-before-announcement" | "uploaded-before-announcement";
  /** When shot after it: the sentence up to the number of days. */
  beforeShot: (days: string, shot: string) => string;
  /** Before the announcement. */
  beforeAnnouncement: (days: string, device: string, announced: string) => string;
}

/**
 * A day the photo was public on (a server's Last-Modified, a site's upload date) against its
 * capture and the device's announcement. A file cannot be published before it was shot: then one
 * clock is wrong, and neither date can be trusted as evidence until a human has looked.
 */
function publicationFindings(day: number, { sample, lookup }: Pick<Parameters<Rule>[0], "sample" | "lookup">, wording: PublicationWording): Finding[] {
  const shot = sample.captured === null ? null : captureDay(sample.captured);
  if (shot !== null && shot - day > TOLERANCE_DAYS) {
    return [{ code: "date-inconsistent", severity: "medium", message: `${wording.beforeShot(plural(shot - day, "day"), formatDay(shot))}; ${TOLERANCE_NOTE}` }];
  }
  if (lookup.kind !== "device" || lookup.device.announced === null) return [];
  const { announced } = lookup.device;
  const days = daysBefore(day, announced);
  if (days <= TOLERANCE_DAYS) return [];
  return [{ code: wording.code, severity: "high", message: `${wording.beforeAnnouncement(plural(days, "day"), lookup.device.entry.name, describeDate(announced))}; ${TOLERANCE_NOTE}` }];
}

export const publishedDateRule: Rule = (context) => {
  const lastModified = context.published?.lastModified ?? null;
  if (lastModified === null) return [];
  const day = lastModifiedDay(lastModified);
  if (day === null) return [];
  return publicationFindings(day, context, {
    code: "published-before-announcement",
    beforeShot: (days, shot) => `the date the server gives for the file (Last-Modified, ${formatDay(day)}) is ${days} before the photo was shot (${shot}): the camera's clock or the server's date is wrong`,
    beforeAnnouncement: (days, device, announced) => `the server dates the file ${lastModified} (Last-Modified), ${days} before ${device} was announced (${announced}): the file was on the server before the announcement`,
  });
};

/** `flickr` -> `Flickr`: gallery-dl's category names the site in lower case. */
function siteName(site: string | null): string {
  return site === null ? "the site" : `${site.charAt(0).toUpperCase()}${site.slice(1)}`;
}

/**
 * A photo site's upload date (from a gallery-dl sidecar) against the device's announcement. The
 * site stamps the upload itself, in UTC: unlike an EXIF date, nobody who holds the file can type it.
 */
export const uploadDateRule: Rule = (context) => {
  const sidecar = context.sidecar;
  if (sidecar?.uploaded === undefined || sidecar.uploaded === null) return [];
  const ms = Date.parse(sidecar.uploaded);
  if (Number.isNaN(ms) || ms < EARLIEST_PLAUSIBLE_MS) return [];
  const site = siteName(sidecar.site);
  const uploaded = `uploaded to ${site} on ${sidecar.uploaded.slice(0, 10)} ${sidecar.uploaded.slice(11, 19)} UTC (the upload time ${site} gives, saved by ${sidecar.tool} in ${sidecar.file})`;
  return publicationFindings(Math.floor(ms / MS_PER_DAY), context, {
    code: "uploaded-before-announcement",
    beforeShot: (days, shot) => `${uploaded}, ${days} before the photo was shot (${shot}): the camera's clock is wrong, or the file was changed after the upload`,
    beforeAnnouncement: (days, device, announced) => `${uploaded}, ${days} before ${device} was announced (${announced}): the photo was public before the announcement`,
  });
};
