/**
 * The report's timeline: each flagged device's announcement and release beside the capture times
 * of its flagged photos, in the order they happened.
 */
import { captureDay, parsePartialDate } from "../registry/index.js";
import { compareText } from "../util/compare.js";
import type { DeviceReport, TimelineEntry, TimelineEvent } from "./model-types.js";
import { describePublication } from "./sightings.js";

const MS_PER_DAY = 86_400_000;

export function timelineOf(devices: readonly DeviceReport[]): TimelineEntry[] {
  // Sort keys beside each entry: the day, then announced < released < captured < published on the same day.
  const entries: { entry: TimelineEntry; day: number; order: number }[] = [];
  const undated: TimelineEntry[] = [];
  for (const device of devices) {
    if (device.flagged.length === 0) continue;
    const label = device.vendor === null ? device.name : `${device.vendor} ${device.name}`;
    const milestones: [TimelineEvent, string | null][] = [["announced", device.registry.announced], ["released", device.registry.released]];
    for (const [event, text] of milestones) {
      const date = text === null ? null : parsePartialDate(text);
      if (date === null) continue;
      // A partial date (`2014-01`) sits at its middle: before its first day it would precede an
      // announcement made within the same month.
      const day = (date.firstDay + date.lastDay) / 2;
      const entry: TimelineEntry = { date: date.text, event, device: label, deviceAnchor: device.anchor, photo: null, note: "" };
      entries.push({ entry, day, order: event === "announced" ? 0 : 1 });
    }
    for (const photo of device.flagged) {
      const day = photo.captured === null ? null : captureDay(photo.captured);
      const entry: TimelineEntry = {
        date: photo.captured?.replace("T", " ") ?? "capture time unknown",
        event: "captured",
        device: label,
        deviceAnchor: device.anchor,
        photo: { source: photo.source, anchor: photo.anchor, verdict: photo.verdict },
        note: photo.captured === null ? "" : photo.timing.join("; "),
      };
      if (day === null) undated.push(entry);
      else entries.push({ entry, day, order: 2 });
    }
    // When the flagged photos were public: a photo site's upload, a server's Last-Modified.
    const cards = new Map(device.flagged.map((photo) => [photo.source, photo]));
    for (const photo of device.sighting.photoList) {
      const card = cards.get(photo.sources[0] ?? "");
      if (card === undefined) continue;
      for (const publication of photo.publications) {
        const entry: TimelineEntry = {
          date: `${publication.time.slice(0, 10)} ${publication.time.slice(11, 19)} UTC`,
          event: "published",
          device: label,
          deviceAnchor: device.anchor,
          photo: { source: card.source, anchor: card.anchor, verdict: card.verdict },
          note: describePublication(publication),
        };
        entries.push({ entry, day: Date.parse(publication.time) / MS_PER_DAY, order: 3 });
      }
    }
  }
  entries.sort((a, b) =>
    a.day - b.day ||
    a.order - b.order ||
    compareText(a.entry.date, b.entry.date) ||
    compareText(a.entry.device, b.entry.device) ||
    compareText(a.entry.photo?.source ?? "", b.entry.photo?.source ?? ""),
  );
  return [...entries.map(({ entry }) => entry), ...undated];
}
