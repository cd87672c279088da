/**
 * Sightings as text for a terminal (`exifhunt sightings`, and the end of `scan`'s table), and as
 * JSON. Pure functions of the sightings (src/sightings/). Strings from photos, sidecars and
 * servers are untrusted: control and invisible characters are shown as their code points
 * (visibleText), long values cut.
 */
import { VERDICTS_BY_RANK } from "../record.js";
import type { Publication, Seen, Sighting, SightingPhoto } from "../sightings/index.js";
import { plural } from "../util/words.js";
import { visibleText } from "./escape.js";
import { truncate } from "./text.js";

/** Photos listed per sighting in the terminal; the rest are counted. */
export const MAX_LISTED_PHOTOS = 20;

const MAX_VALUE = 80;

function safe(value: string): string {
  return truncate(visibleText(value), MAX_VALUE);
}


/** `3 photos (5 copies)`: copies only when some photo was found in more than one place. */
export function photoCount(sighting: Pick<Sighting, "photos" | "copies">): string {
  const photos = plural(sighting.photos, "photo");
  return sighting.copies > sighting.photos ? `${photos} (${plural(sighting.copies, "copy", "copies")})` : photos;
}

export function sightingLabel(sighting: Sighting): string {
  return sighting.vendor === null ? sighting.name : `${sighting.vendor} ${sighting.name}`;
}

function seen(values: readonly Seen[], max = 6): string {
  if (values.length === 0) return "none";
  const shown = values.slice(0, max).map((value) => `${safe(value.value)} (${plural(value.photos, "photo")})`);
  return values.length > max ? `${shown.join(", ")}, and ${String(values.length - max)} more` : shown.join(", ");
}

/** `2013-10-25T08:14:02Z` -> `2013-10-25 08:14:02 UTC`. */
export function utc(time: string): string {
  return `${time.slice(0, 10)} ${time.slice(11, 19)} UTC`;
}

/** One sentence: when the photo was public and what says so. */
export function describePublication(publication: Publication): string {
  if (publication.kind === "upload") {
    const site = publication.site === null ? "a photo site" : publication.site.charAt(0).toUpperCase() + publication.site.slice(1);
    const by = publication.uploader === null ? "" : ` by ${publication.uploader}`;
    return `uploaded to ${site}${by} on ${utc(publication.time)} (the site's upload date, from ${publication.evidence})`;
  }
  return `served with Last-Modified ${utc(publication.time)} by ${publication.evidence}`;
}

export function describeFamily(sighting: Sighting): string[] {
  return sighting.family.map((link) => {
    const line = link.line === null ? "" : `software line ${link.line}`;
    if (link.sameBuild.length > 0) {
      const also = link.sameLine.length === 0 ? "" : `; ${link.sameLine.join(", ")} on the same line`;
      return `firmware ${link.build} is a public build of ${link.sameBuild.join(", ")}${line === "" ? "" : ` (${line}${also})`}`;
    }
    return `firmware ${link.build} is on ${line}, the line of ${link.sameLine.join(", ")}`;
  });
}

/** `  builds:          …`: labels padded so values line up. */
function field(label: string, value: string): string {
  return `  ${`${label}:`.padEnd(17)}${value}`;
}

const VERDICT_WIDTH = 12;

function photoLine(photo: SightingPhoto): string[] {
  const [first = "", ...more] = photo.sources;
  const head = `    ${photo.verdict.padEnd(VERDICT_WIDTH)} ${(photo.captured?.replace("T", " ") ?? "-").padEnd(19)}  ${safe(photo.build ?? "-").padEnd(14)}  ${safe(first)}`;
  const lines = [head];
  for (const copy of more) lines.push(`    ${"".padEnd(VERDICT_WIDTH)} ${"".padEnd(19)}  ${"".padEnd(14)}  copy: ${safe(copy)}`);
  if (photo.published !== null) lines.push(`    ${"".padEnd(VERDICT_WIDTH)} ${"".padEnd(19)}  ${"".padEnd(14)}  ${visibleText(describePublication(photo.published))}`);
  return lines;
}

export interface SightingsTextOptions {
  /**
   * Every sighting in full, photos listed (the `sightings` command). Otherwise (the end of `scan`'s
   * table) sightings with nothing flagged get their heading line only: a dump from hundreds of
   * ordinary cameras must not bury the few that matter.
   */
  full?: boolean;
}

/** The sightings as indented text, most newsworthy first. */
export function renderSightingsText(sightings: readonly Sighting[], options: SightingsTextOptions = {}): string {
  const lines: string[] = [];
  for (const [index, sighting] of sightings.entries()) {
    const detailed = sighting.flagged > 0 || options.full === true;
    if (index > 0 && (detailed || (sightings[index - 1]?.flagged ?? 0) > 0 || options.full === true)) lines.push("");
    const verdicts = VERDICTS_BY_RANK.filter((verdict) => sighting.verdicts[verdict] > 0).map((verdict) => `${String(sighting.verdicts[verdict])} ${verdict}`).join(", ");
    const kind = sighting.kind === "registered" ? "" : sighting.kind === "unknown-model" ? " (unknown model)" : " (unregistered)";
    lines.push(`${safe(sightingLabel(sighting))}${kind}: ${photoCount(sighting)}, ${verdicts}`);
    if (!detailed) continue;
    const device = sighting.device;
    if (device !== null) {
      const dates = [device.announced === null ? null : `announced ${device.announced}`, device.released === null ? null : `released ${device.released}`].filter((part) => part !== null);
      lines.push(field("registry", `${dates.length === 0 ? "no dates" : dates.join(", ")} (${safe(device.registry)})`));
    }
    lines.push(field("builds", seen(sighting.builds)));
    if (sighting.modes.length > 0) lines.push(field("modes", seen(sighting.modes)));
    if (sighting.quantization.length > 0) lines.push(field("quantization", seen(sighting.quantization, 3)));
    if (sighting.firstCapture !== null) {
      const last = sighting.lastCapture !== null && sighting.lastCapture.captured !== sighting.firstCapture.captured ? `; last ${sighting.lastCapture.captured.replace("T", " ")}` : "";
      lines.push(field("first capture", `${sighting.firstCapture.captured.replace("T", " ")} (${safe(sighting.firstCapture.source)})${last}`));
    }
    if (sighting.firstPublication !== null) lines.push(field("first published", visibleText(describePublication(sighting.firstPublication))));
    for (const family of describeFamily(sighting)) lines.push(field("family", family));
    const listed = sighting.photoList.slice(0, MAX_LISTED_PHOTOS);
    for (const photo of listed) lines.push(...photoLine(photo));
    if (sighting.photoList.length > listed.length) lines.push(`    and ${plural(sighting.photoList.length - listed.length, "more photo")}`);
  }
  return lines.join("\n");
}
