/**
 * A sighting's timeline drawn: captures, publications, announcement and release on one axis, as
 * an inline SVG for the self-contained HTML report. No script: each mark carries a <title> the
 * browser shows on hover, and the figure a text alternative. A pure function of the sighting; the
 * only text in it is escaped (escapeHtml: inline SVG is parsed by the HTML parser).
 */
import { captureDay, formatDay, parsePartialDate } from "../registry/index.js";
import type { Sighting } from "../sightings/index.js";
import { escapeHtml } from "./escape.js";

export type TimelineMarkKind = "captured" | "published" | "announced" | "released";

export interface TimelineMark {
  kind: TimelineMarkKind;
  /** Day number (days since 1970-01-01); a partial registry date spans firstDay..lastDay. */
  day: number;
  lastDay: number;
  /** What the hover title says. */
  label: string;
  /** For captures: whether the photo is flagged (drawn in the leak colour). */
  flagged: boolean;
}

const MS_PER_DAY = 86_400_000;
const WIDTH = 720;
const HEIGHT = 96;
const MARGIN = 28;
const AXIS_Y = 56;

/** Photos marked per sighting: a dump's thousand copies add nothing to the picture past this. */
export const MAX_MARKED_PHOTOS = 200;

/** The dated events of a sighting, in time order. */
export function timelineMarks(sighting: Sighting): TimelineMark[] {
  const marks: TimelineMark[] = [];
  const device = sighting.device;
  const label = sighting.vendor === null ? sighting.name : `${sighting.vendor} ${sighting.name}`;
  for (const [kind, text] of [["announced", device?.announced ?? null], ["released", device?.released ?? null]] as const) {
    const date = text === null ? null : parsePartialDate(text);
    if (date !== null) marks.push({ kind, day: date.firstDay, lastDay: date.lastDay, label: `${label} ${kind} ${date.text}`, flagged: false });
  }
  for (const photo of sighting.photoList.slice(0, MAX_MARKED_PHOTOS)) {
    const day = photo.captured === null ? null : captureDay(photo.captured);
    const name = photo.sources[0] ?? "";
    if (day !== null) {
      marks.push({ kind: "captured", day, lastDay: day, label: `shot ${photo.captured?.replace("T", " ") ?? ""}: ${name} (${photo.verdict})`, flagged: photo.verdict === "leak" || photo.verdict === "suspicious" });
    }
    for (const publication of photo.publications) {
      const day = Math.floor(Date.parse(publication.time) / MS_PER_DAY);
      const how = publication.kind === "upload" ? `uploaded to ${publication.site ?? "a photo site"}` : `Last-Modified at ${publication.site ?? "a server"}`;
      marks.push({ kind: "published", day, lastDay: day, label: `${how} ${publication.time.slice(0, 10)}: ${name}`, flagged: false });
    }
  }
  return marks.sort((a, b) => a.day - b.day || a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));
}

/** First days of the months (or, over long spans, of the years) between two days. */
function ticks(from: number, to: number, everyMonths: number): { day: number; year: boolean }[] {
  const start = new Date(from * MS_PER_DAY);
  const found: { day: number; year: boolean }[] = [];
  for (let month = start.getUTCFullYear() * 12 + start.getUTCMonth(); ; month += 1) {
    const day = Date.UTC(Math.floor(month / 12), month % 12, 1) / MS_PER_DAY;
    if (day > to) break;
    if (day >= from && month % everyMonths === 0) found.push({ day, year: month % 12 === 0 });
  }
  return found;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The SVG for a sighting, or null when nothing in it is dated. Marks: captures as dots (filled red
 * when flagged), publications as diamonds, announcement and release as labelled vertical bars
 * (a band for a partial date such as `2014-01`).
 */
export function timelineSvg(sighting: Sighting): string | null {
  const marks = timelineMarks(sighting);
  const first = marks[0];
  if (first === undefined) return null;
  const last = Math.max(...marks.map((mark) => mark.lastDay));
  // A fortnight either side, so that a single day still has an axis around it.
  const from = first.day - 14;
  const to = last + 14;
  const x = (day: number): number => MARGIN + ((day - from) / (to - from)) * (WIDTH - 2 * MARGIN);
  const parts: string[] = [];
  parts.push(`<line class="axis" x1="${String(MARGIN)}" y1="${String(AXIS_Y)}" x2="${String(WIDTH - MARGIN)}" y2="${String(AXIS_Y)}"/>`);
  // Month ticks over spans up to four years, quarters up to twelve, years beyond; years labelled.
  const span = (to - from) / 365;
  for (const tick of ticks(from, to, span <= 4 ? 1 : span <= 12 ? 3 : 12)) {
    const at = round(x(tick.day));
    const reach = tick.year ? 5 : 2;
    parts.push(`<line class="tick" x1="${at}" y1="${String(AXIS_Y - reach)}" x2="${at}" y2="${String(AXIS_Y + reach)}"/>`);
    if (tick.year) parts.push(`<text class="year" x="${at}" y="${String(AXIS_Y + 18)}">${String(new Date(tick.day * MS_PER_DAY).getUTCFullYear())}</text>`);
  }
  // The span's ends, so that a single event still reads as a date.
  parts.push(`<text class="end" x="${String(MARGIN)}" y="${String(HEIGHT - 4)}">${formatDay(first.day)}</text><text class="end" x="${String(WIDTH - MARGIN)}" y="${String(HEIGHT - 4)}" text-anchor="end">${formatDay(last)}</text>`);
  for (const mark of marks) {
    const title = `<title>${escapeHtml(mark.label, 300)}</title>`;
    const at = round(x(mark.day));
    if (mark.kind === "announced" || mark.kind === "released") {
      const width = Math.max(2, x(mark.lastDay + 1) - x(mark.day));
      // Two rows of labels: an announcement and a release a few days apart must not overlap.
      const top = mark.kind === "announced" ? 14 : 28;
      parts.push(`<g class="milestone ${mark.kind}"><rect x="${at}" y="${String(top)}" width="${round(width)}" height="${String(AXIS_Y - top)}"/>${title}<text x="${round(x(mark.day) + width + 3)}" y="${String(top + 9)}">${mark.kind}</text></g>`);
    } else if (mark.kind === "published") {
      const y = AXIS_Y - 12;
      parts.push(`<g class="published"><path d="M${at} ${String(y - 6)} l6 6 l-6 6 l-6 -6 z"/>${title}</g>`);
    } else {
      parts.push(`<g class="captured${mark.flagged ? " flagged" : ""}"><circle cx="${at}" cy="${String(AXIS_Y)}" r="5"/>${title}</g>`);
    }
  }
  const counts = { captured: 0, published: 0 };
  for (const mark of marks) if (mark.kind === "captured" || mark.kind === "published") counts[mark.kind]++;
  const alt = `Timeline from ${formatDay(first.day)} to ${formatDay(last)}: ${String(counts.captured)} capture${counts.captured === 1 ? "" : "s"}, ${String(counts.published)} publication${counts.published === 1 ? "" : "s"}${marks.some((mark) => mark.kind === "announced") ? ", the announcement" : ""}${marks.some((mark) => mark.kind === "released") ? ", the release" : ""}`;
  return `<svg class="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" width="${String(WIDTH)}" height="${String(HEIGHT)}" role="img" aria-label="${escapeHtml(alt)}">${parts.join("")}</svg>`;
}

/** CSS for the timeline, for the report's style sheet. */
export const TIMELINE_STYLE = `
.timeline-svg { max-width: 100%; height: auto; display: block; margin: 8px 0; }
.timeline-svg .axis, .timeline-svg .tick { stroke: #5b6470; stroke-width: 1; }
.timeline-svg .year, .timeline-svg .end, .timeline-svg .milestone text { font: 11px system-ui, sans-serif; fill: #5b6470; }
.timeline-svg .milestone rect { fill: #0b57d0; fill-opacity: .35; }
.timeline-svg .released rect { fill: #2e6b30; }
.timeline-svg .captured circle { fill: #fff; stroke: #1b1f24; stroke-width: 1.5; }
.timeline-svg .captured.flagged circle { fill: #b3261e; stroke: #b3261e; }
.timeline-svg .published path { fill: #9a5b00; }
.timeline-legend { color: #5b6470; font-size: 13px; margin: 0 0 8px; }
`;
