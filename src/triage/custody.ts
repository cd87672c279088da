/**
 * What a URL input's chain of custody tells the triage: where and when it was published, and what
 * the server said its body was. Files have no custody, so both come out empty for them.
 */
import type { Publication } from "../analyze/index.js";
import type { PhotoSource } from "../sources/index.js";

/** What the server said a URL's body was, for a not-an-image message; empty for files. */
export function servedAs(source: PhotoSource): string {
  const type = source.custody?.()?.contentType;
  return type === undefined || type === null ? "" : `; the server sent it as ${type}`;
}

/** Where and when a URL input was published, for the analysis rules that read it. */
export function publicationOf(source: PhotoSource): Publication | undefined {
  const custody = source.custody?.();
  if (custody === undefined || custody === null) return undefined;
  return { requested: custody.requested, final: custody.final, lastModified: custody.lastModified };
}
