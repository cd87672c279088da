/**
 * Error mapping: what went wrong reading an input, as the record's error code and one sentence.
 */
import { describeError, errnoCode } from "../errors.js";
import { MetadataError } from "../extract/index.js";
import type { ErrorCode } from "../record.js";
import { SourceError, type PhotoSource } from "../sources/index.js";

export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof SourceError) return error.code;
  if (error instanceof MetadataError) return "corrupt-metadata";
  const code = errnoCode(error);
  if (code === "ENOENT" || code === "ENOTDIR") return "not-found";
  if (code === "EACCES" || code === "EPERM" || code === "EISDIR") return "unreadable";
  return "read-failed";
}

export function errorMessageOf(error: unknown, source: PhotoSource): string {
  const code = errorCodeOf(error);
  if (code === "not-found") return `${source.id}: no such file or folder`;
  if (code === "corrupt-metadata") return `metadata cannot be read: ${describeError(error)}`;
  return describeError(error);
}
