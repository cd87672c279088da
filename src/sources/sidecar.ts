/**
 * Publication evidence beside a photo: the JSON sidecar gallery-dl writes with `--write-metadata`
 * (`NAME.jpg.json` next to `NAME.jpg`). For Flickr its `date` is the upload time in UTC, taken from
 * the site's API: public proof that the photo was on line then, far stronger than an EXIF date
 * anyone can type. The format is the same for gallery-dl's other sites (`category` names the site),
 * so any site's upload date is read the same way.
 * https://github.com/mikf/gallery-dl/blob/master/docs/configuration.rst (metadata post-processor)
 *
 * Read at the edge (here); parseGalleryDlSidecar is pure and tested with inline text.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { SidecarEvidence } from "../record.js";

/** Sidecars are a few KiB; a bigger "sidecar" is not gallery-dl's and is not read. */
export const MAX_SIDECAR_BYTES = 1024 * 1024;

/** gallery-dl writes datetimes as `2013-10-25 12:34:56` (UTC, no zone); ISO forms are accepted too. */
const GALLERY_DL_DATE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]00:?00)?$/;

/** The sidecar gallery-dl writes for a photo at `path`. */
export function sidecarPath(path: string): string {
  return `${path}.json`;
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `2013-10-25 12:34:56` -> `2013-10-25T12:34:56Z`; a Unix timestamp (seconds) is accepted too. */
export function uploadTime(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(".000Z", "Z");
  }
  if (typeof value !== "string") return null;
  const match = GALLERY_DL_DATE.exec(value.trim());
  if (match === null) return null;
  const iso = `${match[1] ?? ""}T${match[2] ?? ""}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/**
 * What a gallery-dl sidecar says about where and when the photo was published. Never throws: a
 * sidecar that is not gallery-dl's JSON is evidence with a `problem` and no date.
 */
export function parseGalleryDlSidecar(json: string, file: string): SidecarEvidence {
  const empty: SidecarEvidence = { file, tool: "gallery-dl", site: null, id: null, uploader: null, url: null, title: null, uploaded: null };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return { ...empty, problem: "the sidecar is not JSON" };
  }
  if (!isObject(data)) return { ...empty, problem: "the sidecar is not a JSON object" };
  const owner = isObject(data.owner) ? data.owner : null;
  const uploaded = uploadTime(data.date);
  const evidence: SidecarEvidence = {
    ...empty,
    site: text(data.category),
    id: text(data.id),
    uploader: text(owner?.username) ?? text(owner?.name) ?? text(data.uploader) ?? text(data.author),
    url: text(data.url),
    title: text(data.title),
    uploaded,
  };
  if (uploaded === null) evidence.problem = data.date === undefined ? "the sidecar gives no upload date" : "the sidecar's date cannot be read";
  return evidence;
}

/**
 * The sidecar beside a local photo, when there is one; null when there is none. Synchronous, as
 * local reads are (sources/file.ts): one failed open per photo when there is no sidecar.
 */
export function readSidecar(path: string): SidecarEvidence | null {
  const file = sidecarPath(path);
  let fd: number;
  try {
    // Non-blocking, as for photos: a FIFO named like a sidecar must not hang the scan.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null; // no sidecar (or none we may read): the photo simply has no publication evidence
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    if (stat.size > MAX_SIDECAR_BYTES) {
      return { file, tool: "gallery-dl", site: null, id: null, uploader: null, url: null, title: null, uploaded: null, problem: `the sidecar is ${String(stat.size)} bytes, more than the ${String(MAX_SIDECAR_BYTES)} read` };
    }
    const buffer = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < stat.size) {
      const read = readSync(fd, buffer, filled, stat.size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return parseGalleryDlSidecar(buffer.subarray(0, filled).toString("utf8"), file);
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException | null)?.code ?? "read error";
    return { file, tool: "gallery-dl", site: null, id: null, uploader: null, url: null, title: null, uploaded: null, problem: `the sidecar cannot be read (${code})` };
  } finally {
    closeSync(fd);
  }
}
