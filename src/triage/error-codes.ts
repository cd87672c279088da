/**
 * Error mapping: what went wrong reading an input, as the record's error code and one sentence.
 */
import { describeError, errnoCode } from "../errors.js";
import { MetadataError } from "../extract/index.js";
import type { ErrorCode } from "../record.js";
import { SourceError, type PhotoSource } from "../sources/index.js";

/**
 * A name that is not a file and looks like a URL exifhunt does not read: `ftp://…`, or `http:/…`
 * with a slash missing. Said as such instead of "no such file" (a real file of that name wins:
 * this is asked only once the file was not found).
 */
function urlProblem(name: string): string | null {
  if (/^https?:(?!\/\/)/i.test(name)) return `${name} is not a valid URL: http: and https: are followed by //`;
  // Two letters at least: `C:\photos` is a Windows path, not a scheme.
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(name)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) return `${name}: ${scheme.toLowerCase()}:// URLs are not read; exifhunt reads files, folders and http:// or https:// URLs`;
  return null;
}

export function errorCodeOf(error: unknown, source?: PhotoSource): ErrorCode {
  if (error instanceof SourceError) return error.code;
  if (error instanceof MetadataError) return "corrupt-metadata";
  const code = errnoCode(error);
  if ((code === "ENOENT" || code === "ENOTDIR") && source !== undefined && urlProblem(source.id) !== null) return "bad-url";
  if (code === "ENOENT" || code === "ENOTDIR") return "not-found";
  if (code === "EACCES" || code === "EPERM" || code === "EISDIR") return "unreadable";
  return "read-failed";
}

export function errorMessageOf(error: unknown, source: PhotoSource): string {
  const code = errorCodeOf(error, source);
  if (code === "bad-url") return urlProblem(source.id) ?? describeError(error);
  if (code === "not-found") return `${source.id}: no such file or folder`;
  if (code === "corrupt-metadata") return `metadata cannot be read: ${describeError(error)}`;
  return describeError(error);
}
