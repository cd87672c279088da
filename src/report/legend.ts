/**
 * The report's legend: finding codes and verdicts in words, and verdict counts as one phrase.
 */
import { VERDICTS_BY_RANK, type FindingCode, type Verdict } from "../record.js";

/** Finding codes in words, for headings; a code with no title here is shown as the code itself. */
export const FINDING_TITLES: Readonly<Record<FindingCode, string>> = {
  "unknown-model": "Unknown model number",
  "captured-before-announcement": "Shot before the announcement",
  "captured-before-release": "Shot before the release",
  "prerelease-firmware": "Pre-launch firmware",
  "unknown-firmware": "Firmware nobody has seen",
  edited: "Edited after capture",
  "date-inconsistent": "Dates disagree",
  "inconsistent-camera": "Camera does not match the device",
  "no-camera-metadata": "No camera metadata",
  "published-before-announcement": "Published before the announcement",
  "resized-copy": "A resized copy without EXIF",
  "firmware-of-known-device": "Firmware of a known device",
  "uploaded-before-announcement": "Uploaded before the announcement",
};

/** Saved scans may carry codes a later version added: those are shown as written. */
export function findingTitle(code: string): string {
  return Object.hasOwn(FINDING_TITLES, code) ? FINDING_TITLES[code as FindingCode] : code;
}

/** What each verdict means, in one line (the report's legend). */
export const VERDICT_MEANINGS: Readonly<Record<Verdict, string>> = {
  leak: "evidence of an unannounced or unreleased device, or firmware nobody has seen",
  suspicious: "leak evidence, but the metadata shows signs of editing or contradicts itself",
  unregistered: "a camera no registry covers: not evidence of anything by itself",
  known: "a released device on public firmware",
  "no-metadata": "no camera metadata (photo sites strip it from resized copies)",
  error: "could not be read",
};

/** `2 leak, 5 known`: the verdicts that occur, in rank order; `nothing` when none do. */
export function verdictSummary(counts: Record<Verdict, number>): string {
  const parts = VERDICTS_BY_RANK.filter((verdict) => counts[verdict] > 0).map((verdict) => `${String(counts[verdict])} ${verdict}`);
  return parts.length === 0 ? "nothing" : parts.join(", ");
}
