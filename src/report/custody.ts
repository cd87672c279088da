/**
 * A URL photo's chain of custody in sentences, for the evidence block of HTML and Markdown
 * reports: what was asked for, what the server answered (status, type, Last-Modified, ETag), when,
 * and, for the report's own second fetch, the same again. Strings from servers are untrusted: the
 * renderers escape them.
 */
import type { HttpCustody } from "../record.js";

function answered(custody: HttpCustody): string {
  if (custody.status === null) return "no response";
  const parts = [`HTTP ${String(custody.status)}`];
  if (custody.contentType !== null) parts.push(`Content-Type ${custody.contentType}`);
  parts.push(custody.lastModified === null ? "no Last-Modified" : `Last-Modified ${custody.lastModified}`);
  if (custody.etag !== null) parts.push(`ETag ${custody.etag}`);
  return parts.join(", ");
}

/** The scan's fetch of a URL, line by line. */
export function httpCustodyLines(custody: HttpCustody): string[] {
  const lines: string[] = [];
  if (custody.redirects.length > 0) {
    lines.push(`redirected ${custody.redirects.map((hop) => `(${String(hop.status)}) to ${hop.location}`).join(", then ")}`);
  }
  if (custody.final !== custody.requested) lines.push(`served from ${custody.final}`);
  lines.push(`answered ${answered(custody)}`);
  const download = custody.deepDownload ? "; the whole file was downloaded for its SHA-256" : "";
  lines.push(`fetched at ${custody.fetchedAt} in ${String(custody.requests)} request${custody.requests === 1 ? "" : "s"}, ${String(custody.bytesRead)} bytes read${download}`);
  return lines;
}

/** The report's second fetch of a URL (for the thumbnail and tag dump), in one line. */
export function refetchLine(custody: HttpCustody): string {
  const from = custody.final === custody.requested ? "" : ` from ${custody.final}`;
  return `fetched again for this report at ${custody.fetchedAt}${from}: ${answered(custody)}`;
}
