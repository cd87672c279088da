/**
 * Capture time against a device's announcement and release dates.
 * EXIF capture times usually carry no time zone, so a photo counts as before a date only when it
 * is more than a day before it: a day of tolerance, which every message states.
 */
import type { Finding, Severity } from "../record.js";
import { captureDay, formatDay, type PartialDate, type RegisteredDevice } from "../registry/index.js";
import { plural } from "../util/words.js";
import type { Rule } from "./context.js";

export const TOLERANCE_DAYS = 1;

/** How many whole days the capture day lies before the first day of a date (negative: after). */
export function daysBefore(day: number, date: PartialDate): number {
  return date.firstDay - day;
}

export function describeDate(date: PartialDate): string {
  return date.firstDay === date.lastDay ? date.text : `${date.text}, taken as no earlier than ${formatDay(date.firstDay)}`;
}

export const TOLERANCE_NOTE = "EXIF times carry no time zone, so a day of tolerance was allowed";

/**
 * A date finding's severity. A milestone the registry marks unverified (no source confirmed it)
 * cannot carry a headline: the finding stays, low, and says why, so the photo is not called a leak
 * on a date nobody can cite.
 */
function dateSeverity(device: RegisteredDevice, field: "announced" | "released", severity: Severity): { severity: Severity; caveat: string } {
  return device.entry.unverified?.includes(field) === true
    ? { severity: "low", caveat: `; no source confirms the ${field === "announced" ? "announcement" : "release"} date, so this alone does not make a leak` }
    : { severity, caveat: "" };
}

export function beforeAnnouncement(device: RegisteredDevice, captured: string, day: number): Finding | null {
  const name = device.entry.name;
  if (device.status === "rumoured" && device.announced === null) {
    const listed = device.entry.status === "rumoured"
      ? "which the registry lists as rumoured"
      : `which ${device.registryFile} lists with no dates, so it counts as rumoured`;
    return {
      code: "captured-before-announcement",
      severity: "high",
      message: `shot ${captured.slice(0, 10)} on ${name}, ${listed}: not announced yet`,
    };
  }
  if (device.announced === null) return null;
  const days = daysBefore(day, device.announced);
  if (days <= TOLERANCE_DAYS) return null;
  const { severity, caveat } = dateSeverity(device, "announced", "high");
  return {
    code: "captured-before-announcement",
    severity,
    message: `shot ${formatDay(day)}, ${plural(days, "day")} before ${name} was announced (${describeDate(device.announced)}); ${TOLERANCE_NOTE}${caveat}`,
  };
}

export function beforeRelease(device: RegisteredDevice, day: number): Finding | null {
  if (device.released === null) return null;
  const days = daysBefore(day, device.released);
  if (days <= TOLERANCE_DAYS) return null;
  const announced = device.announced === null ? "" : `, after its announcement (${device.announced.text})`;
  const { severity, caveat } = dateSeverity(device, "released", "medium");
  return {
    code: "captured-before-release",
    severity,
    message: `shot ${formatDay(day)}, ${plural(days, "day")} before ${device.entry.name} went on sale (${describeDate(device.released)})${announced}: a pre-release unit; ${TOLERANCE_NOTE}${caveat}`,
  };
}

/** captured-before-announcement, else captured-before-release: the earlier milestone says more. */
export const captureDateRule: Rule = ({ sample, lookup }) => {
  if (lookup.kind !== "device" || sample.captured === null) return [];
  const day = captureDay(sample.captured);
  if (day === null) return [];
  const finding = beforeAnnouncement(lookup.device, sample.captured, day) ?? beforeRelease(lookup.device, day);
  return finding === null ? [] : [finding];
};

/** Whether a capture time lies after the device's release (plus tolerance). */
export function capturedAfterRelease(device: RegisteredDevice, captured: string | null): boolean {
  if (captured === null || device.released === null) return false;
  const day = captureDay(captured);
  return day !== null && day > device.released.lastDay + TOLERANCE_DAYS;
}
