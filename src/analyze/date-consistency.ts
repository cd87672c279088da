/**
 * date-inconsistent: the file's own records of when it was shot disagree. A camera writes
 * DateTimeOriginal, CreateDate and (Sony) its maker note's date at the same moment from the same
 * clock, so a date moved in one place stands out against the others. Software copies the capture
 * time into XMP and IPTC; the GPS fix carries UTC. A later ModifyDate is an edit (see edited.ts),
 * not an inconsistency; a file written before it was shot is one.
 */
import type { EvidenceDates } from "../extract/authenticity.js";
import type { Finding, Severity } from "../record.js";
import type { Rule } from "./context.js";
import { instant, MAX_ZONE_SECONDS, moment, secondsBetween, showGap, showTime, type Moment } from "./time.js";

/** Clocks written at the same moment may differ by the time the camera took to save: a minute. */
export const SAME_MOMENT_SECONDS = 60;
/** A GPS fix a little after the shutter (the camera saving, a fix arriving): a quarter of an hour. */
export const GPS_LATE_SECONDS = 15 * 60;
/** Times written by other software in its own zone: a day covers any zone difference. */
export const DAY_SECONDS = 86_400;

/**
 * Placeholders, not times: Qualcomm camera stacks on Android write a fixed CreateDate of
 * 2002-12-08 12:00:00 (a Nexus 4 and a Moto G in the shared corpus, whose DateTimeOriginal is
 * right), and a clock never set counts from the Unix epoch (1970-01-01).
 */
function isPlaceholder(value: string): boolean {
  return value.startsWith("2002-12-08T12:00:00") || value.startsWith("1970-01-01T");
}

/** IPTC and XMP dates may be a day without a time (read as midnight): compared by day. */
function isDayOnly(m: Moment): boolean {
  return m.text.slice(11, 19) === "00:00:00";
}

interface Source {
  /** How messages name it: plain words, with the tag a reader can check in parentheses. */
  name: string;
  key: keyof EvidenceDates;
  /** camera: the same local clock as DateTimeOriginal; software: copied by other software. */
  clock: "camera" | "software";
}

/** Times that record the capture itself, compared with the capture time. */
const CAPTURE_SOURCES: readonly Source[] = [
  { name: "the digitized time (CreateDate)", key: "createDate", clock: "camera" },
  { name: "the camera's own date in its maker note", key: "makerNote", clock: "camera" },
  { name: "the creation date in the XMP metadata (xmp:CreateDate)", key: "xmpCreateDate", clock: "software" },
  { name: "the creation date Photoshop keeps in the XMP metadata (photoshop:DateCreated)", key: "photoshopDateCreated", clock: "software" },
  { name: "the IPTC creation date", key: "iptcCreated", clock: "software" },
];

/** Times a file was written at: never before it was shot. */
const WRITE_SOURCES: readonly Source[] = [
  { name: "the last-saved time (ModifyDate)", key: "modifyDate", clock: "camera" },
  { name: "the last-saved time in the XMP metadata (xmp:ModifyDate)", key: "xmpModifyDate", clock: "software" },
  { name: "the time the XMP metadata was last changed (xmp:MetadataDate)", key: "xmpMetadataDate", clock: "software" },
];

function finding(severity: Severity, message: string): Finding {
  return { code: "date-inconsistent", severity, message };
}

/** The capture time and where it came from: DateTimeOriginal, else CreateDate. */
function captureMoment(dates: EvidenceDates): { moment: Moment; name: string } | null {
  const usable = (value: string | null): Moment | null => (value === null || isPlaceholder(value) ? null : moment(value));
  const original = usable(dates.dateTimeOriginal);
  if (original !== null) return { moment: original, name: "the capture time (DateTimeOriginal)" };
  const create = usable(dates.createDate);
  return create === null ? null : { moment: create, name: "the digitized time (CreateDate, as the capture time is missing)" };
}

function direction(seconds: number): string {
  return seconds > 0 ? "later" : "earlier";
}

/** A time that should name the same moment as the capture time. */
function compareCapture(capture: Moment, captureName: string, source: Source, other: Moment): Finding | null {
  const wall = (other.wall - capture.wall) / 1000;
  if (Math.abs(wall) <= SAME_MOMENT_SECONDS) return null;
  if (source.clock === "software" && isDayOnly(other) && wall > -DAY_SECONDS && wall <= DAY_SECONDS) return null;
  const said = `${captureName} says ${showTime(capture)} but ${source.name} says ${showTime(other)}`;
  if (source.clock === "camera") {
    return finding("high", `${said} (${showGap(wall)} ${direction(wall)}): the camera writes both at the same moment from the same clock, so one of them was changed`);
  }
  const { seconds, zoned } = secondsBetween(capture, other);
  if (zoned && Math.abs(seconds) <= SAME_MOMENT_SECONDS) return null;
  // One side written with a zone, the other without: the gap may be a time zone (at most 14 h).
  const oneZoned = !zoned && (capture.offset !== null || other.offset !== null);
  if (oneZoned && Math.abs(wall) <= MAX_ZONE_SECONDS + SAME_MOMENT_SECONDS) return null;
  const allowance = oneZoned ? ", more than any time zone (up to 14 hours) explains" : "";
  return finding("medium", `${said} (${showGap(zoned ? seconds : wall)} ${direction(zoned ? seconds : wall)}${allowance}): the capture time was changed in one place and not the other, or typed in by hand`);
}

/** A time the file was written at, which cannot be before the shot (allowing a day for zones). */
function compareWrite(capture: Moment, captureName: string, source: Source, other: Moment): Finding | null {
  const { seconds, zoned } = secondsBetween(capture, other);
  const tolerance = zoned ? SAME_MOMENT_SECONDS : DAY_SECONDS;
  if (seconds >= -tolerance) return null;
  const allowance = zoned ? "" : "; a day was allowed for time zones";
  return finding("medium", `${source.name}, ${showTime(other)}, is ${showGap(seconds)} before ${captureName}, ${showTime(capture)}: a file cannot be saved before it was shot${allowance}`);
}

/**
 * The GPS fix carries UTC; a capture time without a zone is local time somewhere between UTC−12
 * and UTC+14. A fix older than the photo is normal (phones reuse their last fix); one later than
 * any zone allows is not.
 */
function compareGps(capture: Moment, captureName: string, gps: Moment): Finding | null {
  const gpsUtc = instant(gps);
  if (gpsUtc === null) return null;
  const captureUtc = instant(capture);
  const late = captureUtc === null ? (gpsUtc - capture.wall) / 1000 - MAX_ZONE_SECONDS : (gpsUtc - captureUtc) / 1000;
  if (late <= GPS_LATE_SECONDS) return null;
  // Said in the order a reader checks it: the two times, the gap, then what the zone allowed.
  const allowance = captureUtc === null
    ? ` in any time zone (it gives none, so 14 hours were allowed for one)`
    : "";
  return finding("medium", `the GPS time, ${showTime(gps)}, is ${showGap(late)} later than ${captureName}, ${showTime(capture)}${allowance === "" ? "" : `,${allowance}`}: the capture time was moved, or the camera's clock was wrong`);
}

export const dateConsistencyRule: Rule = ({ evidence }) => {
  if (evidence === undefined) return [];
  const { dates } = evidence;
  const capture = captureMoment(dates);
  if (capture === null) return [];
  const findings: Finding[] = [];
  for (const source of CAPTURE_SOURCES) {
    if (source.key === "createDate" && capture.name === "CreateDate") continue;
    const value = dates[source.key];
    if (value === null || isPlaceholder(value)) continue;
    const other = moment(value);
    const result = other === null ? null : compareCapture(capture.moment, capture.name, source, other);
    if (result !== null) findings.push(result);
  }
  for (const source of WRITE_SOURCES) {
    const value = dates[source.key];
    const other = value === null || isPlaceholder(value) ? null : moment(value);
    const result = other === null ? null : compareWrite(capture.moment, capture.name, source, other);
    if (result !== null) findings.push(result);
  }
  const gps = moment(dates.gps);
  const gpsFinding = gps === null ? null : compareGps(capture.moment, capture.name, gps);
  if (gpsFinding !== null) findings.push(gpsFinding);
  return findings;
};
