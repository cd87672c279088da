/**
 * A saved scan (NDJSON, one schema-1 record a line) as an input: `exifhunt report` renders it
 * without scanning again. Each line is checked to be a record before anything is built from it.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { errnoCode, ExifhuntError } from "../errors.js";
import { SCHEMA_VERSION, VERDICTS_BY_RANK, type ScanRecord } from "../record.js";

/** A saved scan that cannot be read, or a line of it that is not a record. */
export class SavedScanError extends ExifhuntError {
  override name = "SavedScanError";
  /** 1-based line number; null when the file itself is the problem. */
  readonly line: number | null;

  constructor(message: string, line: number | null, options?: ErrorOptions) {
    super(message, options);
    this.line = line;
  }
}

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isNumber: Check = (value) => typeof value === "number" && Number.isFinite(value);
const nullable = (check: Check): Check => (value) => value === null || check(value);
const oneOf = (values: readonly string[]): Check => (value) => typeof value === "string" && values.includes(value);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first field of `value` (dotted path) that fails its check, or null when all pass. */
function firstBadField(value: Record<string, unknown>, shape: Record<string, Check>, prefix = ""): string | null {
  for (const [field, check] of Object.entries(shape)) {
    if (!check(value[field])) return `${prefix}${field}`;
  }
  return null;
}

const CAMERA_SHAPE: Record<string, Check> = {
  make: nullable(isString),
  model: nullable(isString),
  software: nullable(isString),
  captured: nullable(isString),
  width: nullable(isNumber),
  height: nullable(isNumber),
  megapixels: nullable(isNumber),
  focalLength: nullable(isNumber),
  focalLength35mm: nullable(isNumber),
  lens: nullable(isString),
  firmware: nullable((firmware) => isObject(firmware) && firstBadField(firmware, { vendor: isString, build: isString, suffix: nullable(isString) }) === null),
};

const DEVICE_SHAPE: Record<string, Check> = {
  vendor: isString,
  name: isString,
  codename: nullable(isString),
  announced: nullable(isString),
  released: nullable(isString),
  registry: isString,
};

const FINDING_SHAPE: Record<string, Check> = {
  code: isString,
  severity: oneOf(["high", "medium", "low", "info"]),
  message: isString,
};

/** An archive entry's custody: what `exifhunt report` follows to read the entry again. */
const ARCHIVE_SHAPE: Record<string, Check> = {
  container: isString,
  root: isString,
  format: oneOf(["zip", "tar", "tar.gz"]),
  entry: isString,
  position: (value) => Array.isArray(value) && value.every((index) => Number.isInteger(index) && (index as number) >= 0),
  size: isNumber,
};

/** A gallery-dl sidecar's evidence (record.sidecar), when a record has one. */
const SIDECAR_SHAPE: Record<string, Check> = {
  file: isString,
  tool: isString,
  site: nullable(isString),
  id: nullable(isString),
  uploader: nullable(isString),
  url: nullable(isString),
  title: nullable(isString),
  uploaded: nullable(isString),
};

const RECORD_SHAPE: Record<string, Check> = {
  source: isString,
  kind: oneOf(["file", "url", "archive-entry"]),
  bytes: nullable(isNumber),
  format: nullable(isString),
  sha256: nullable(isString),
  verdict: oneOf(VERDICTS_BY_RANK),
  findings: Array.isArray,
  error: nullable((error) => isObject(error) && isString(error["code"]) && isString(error["message"])),
};

/** Why a parsed value is not a schema-1 record; null when it is one. */
export function recordProblem(value: unknown): string | null {
  if (!isObject(value)) return "not a JSON object";
  if (value["schema"] !== SCHEMA_VERSION) {
    return `not a schema-${String(SCHEMA_VERSION)} record (schema is ${value["schema"] === undefined ? "missing" : JSON.stringify(value["schema"])})`;
  }
  const field = firstBadField(value, RECORD_SHAPE);
  if (field !== null) return `field "${field}" is missing or has the wrong type`;
  const camera = value["camera"];
  if (camera !== null) {
    if (!isObject(camera)) return `field "camera" must be an object or null`;
    const bad = firstBadField(camera, CAMERA_SHAPE, "camera.");
    if (bad !== null) return `field "${bad}" is missing or has the wrong type`;
  }
  const device = value["device"];
  if (device !== null) {
    if (!isObject(device)) return `field "device" must be an object or null`;
    const bad = firstBadField(device, DEVICE_SHAPE, "device.");
    if (bad !== null) return `field "${bad}" is missing or has the wrong type`;
  }
  const archive = value["archive"];
  if (archive !== undefined) {
    if (!isObject(archive)) return `field "archive" must be an object`;
    const bad = firstBadField(archive, ARCHIVE_SHAPE, "archive.");
    if (bad !== null) return `field "${bad}" is missing or has the wrong type`;
  }
  if (Object.hasOwn(value, "sidecar")) {
    const sidecar = value["sidecar"];
    if (!isObject(sidecar)) return `field "sidecar" must be an object when present`;
    const bad = firstBadField(sidecar, SIDECAR_SHAPE, "sidecar.");
    if (bad !== null) return `field "${bad}" is missing or has the wrong type`;
  }
  const findings = value["findings"] as unknown[];
  for (const [index, finding] of findings.entries()) {
    if (!isObject(finding)) return `findings.${String(index)} is not an object`;
    const bad = firstBadField(finding, FINDING_SHAPE, `findings.${String(index)}.`);
    if (bad !== null) return `field "${bad}" is missing or has the wrong type`;
  }
  return null;
}

/** One NDJSON line -> a record; throws SavedScanError naming the file and line. */
export function parseSavedRecord(line: string, lineNumber: number, file: string): ScanRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error: unknown) {
    throw new SavedScanError(`${file}, line ${String(lineNumber)}: not JSON (${error instanceof Error ? error.message : String(error)})`, lineNumber, { cause: error });
  }
  const problem = recordProblem(value);
  if (problem !== null) throw new SavedScanError(`${file}, line ${String(lineNumber)}: ${problem}`, lineNumber);
  // Checked field by field above; fields added by later versions of schema 1 are kept as they are.
  return value as ScanRecord;
}

/** A saved scan written as one JSON array (`scan --format json`) -> its records, each checked. */
export function parseSavedArray(text: string, file: string): ScanRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new SavedScanError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`, null, { cause: error });
  }
  if (!Array.isArray(value)) throw new SavedScanError(`${file}: not a list of records`, null);
  return value.map((item: unknown, index) => {
    const problem = recordProblem(item);
    if (problem !== null) throw new SavedScanError(`${file}, record ${String(index + 1)}: ${problem}`, null);
    return item as ScanRecord;
  });
}

/**
 * Reads a saved scan (`-`: standard input), record by record: NDJSON (`--format ndjson`, blank
 * lines allowed) or a JSON array (`--format json`), told apart by the first character.
 */
export async function* readSavedScan(file: string, stdin: Readable = process.stdin): AsyncGenerator<ScanRecord> {
  const stream = file === "-" ? stdin.setEncoding("utf8") : createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  // Set once the first line opens a JSON array: the rest is gathered and parsed as one document.
  let array: string[] | null = null;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (array !== null) {
        array.push(line);
        continue;
      }
      if (line.trim() === "") continue;
      if (line.trimStart().startsWith("[")) {
        array = [line];
        continue;
      }
      yield parseSavedRecord(line, lineNumber, file);
    }
    if (array !== null) yield* parseSavedArray(array.join("\n"), file);
  } catch (error: unknown) {
    if (error instanceof SavedScanError) throw error;
    const code = errnoCode(error);
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : String(error);
    throw new SavedScanError(`${file}: cannot be read (${why})`, null, { cause: error });
  } finally {
    lines.close();
    if (stream !== stdin) stream.destroy();
  }
}
