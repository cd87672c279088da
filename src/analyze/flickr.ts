/**
 * Flickr serves every photo in several sizes from static URLs
 * (https://www.flickr.com/services/api/misc.urls.html): `{id}_{secret}_{size}.jpg`, where the
 * suffix names the size and `_o` is the original as uploaded. Flickr keeps EXIF on the original
 * only, so a resized copy says nothing about the camera: the record says so and names the URL of
 * the original, whose secret and format differ from the copy's and so cannot be guessed from it.
 */
import type { Rule } from "./context.js";

/** Flickr's size suffixes of resized copies, with what each means (longest side unless square). */
const RESIZED_SIZES = {
  s: "75 px square",
  q: "150 px square",
  t: "100 px",
  m: "240 px",
  n: "320 px",
  w: "400 px",
  "": "500 px (no suffix)",
  z: "640 px",
  c: "800 px",
  b: "1024 px",
  h: "1600 px",
  k: "2048 px",
  "3k": "3072 px",
  "4k": "4096 px",
  f: "4096 px (2:1)",
  "5k": "5120 px",
  "6k": "6144 px",
} satisfies Record<string, string>;

type ResizedSuffix = keyof typeof RESIZED_SIZES;

function isResizedSuffix(suffix: string): suffix is ResizedSuffix {
  return Object.hasOwn(RESIZED_SIZES, suffix);
}

export interface FlickrResizedCopy {
  photoId: string;
  /** The size suffix as written (`b`), or "" for the 500 px copy that has none. */
  suffix: string;
  size: string;
  /** The original's static URL, with the placeholders Flickr's API fills in. */
  originalPattern: string;
  /** Flickr's own redirect to the photo's page, where "All sizes" lists the original. */
  photoPage: string;
}

const STATIC_HOST = /(^|\.)(staticflickr\.com|static\.flickr\.com)$/i;
// {id}_{secret}[_{size}][_d].{ext}; `_d` asks for a download and changes nothing else.
const STATIC_FILE = /^(\d+)_([0-9a-f]+)(?:_([0-9a-z]+?))?(?:_d)?\.(jpe?g|png|gif)$/i;

/** A static Flickr URL of a resized copy, parsed; null for originals and for any other URL. */
export function flickrResizedCopy(url: string): FlickrResizedCopy | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!STATIC_HOST.test(parsed.hostname)) return null;
  const segments = parsed.pathname.split("/").filter((segment) => segment !== "");
  const file = segments.at(-1);
  const server = segments.at(-2);
  if (file === undefined || server === undefined || !/^\d+$/.test(server)) return null;
  const match = STATIC_FILE.exec(file);
  if (match === null) return null;
  const photoId = match[1] ?? "";
  const suffix = (match[3] ?? "").toLowerCase();
  if (!isResizedSuffix(suffix)) return null; // `_o` (the original), or a suffix Flickr has not documented
  return {
    photoId,
    suffix,
    size: RESIZED_SIZES[suffix],
    originalPattern: `https://live.staticflickr.com/${server}/${photoId}_{o-secret}_o.{o-format}`,
    photoPage: `https://www.flickr.com/photo.gne?id=${photoId}`,
  };
}

/** Notes a Flickr resized copy, naming where its original is: context, never a verdict. */
export const flickrRule: Rule = ({ published }) => {
  if (published === undefined) return [];
  const copy = flickrResizedCopy(published.final) ?? flickrResizedCopy(published.requested);
  if (copy === null) return [];
  const suffix = copy.suffix === "" ? "no size suffix" : `size suffix _${copy.suffix}`;
  return [
    {
      code: "resized-copy",
      severity: "info",
      message: `a Flickr resized copy (${suffix}, ${copy.size}): Flickr keeps EXIF on originals only; scan the original instead, ${copy.originalPattern}, whose secret and format differ from this copy's: the photo's page (${copy.photoPage}, All sizes, Original) or the API's flickr.photos.getSizes gives them`,
    },
  ];
};
