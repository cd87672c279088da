/**
 * What the commands share: option parsers, the output format, the table's width, input lists.
 */
import { createReadStream } from "node:fs";
import { access, constants, stat } from "node:fs/promises";
import { extname } from "node:path";
import type { Readable } from "node:stream";
import { InvalidArgumentError } from "commander";
import { errnoCode, UsageError } from "../errors.js";
import { VERDICTS_BY_RANK, type Verdict } from "../record.js";
import { photoEvidence } from "../photo-evidence.js";
import { reportProvenance } from "./provenance.js";
import { VERSION } from "./version.js";
import type { DeviceRegistry } from "../registry/index.js";
import type { Format, ReporterOptions } from "../report/index.js";
import { parseByteCount } from "../sources/index.js";
import type { CliIo } from "./io.js";

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return number;
}

export function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError("must be a whole number, 0 or more");
  return number;
}

export function positiveSeconds(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError("must be a number of seconds above 0");
  return number;
}

export function byteCount(value: string): number {
  const bytes = parseByteCount(value);
  if (bytes === null || bytes < 1) throw new InvalidArgumentError("must be a byte count such as 4194304, 512K or 4M");
  return bytes;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function isVerdict(name: string): name is Verdict {
  return (VERDICTS_BY_RANK as readonly string[]).includes(name);
}

/** `--only leak,suspicious`: verdicts separated by commas (repeating the option adds more). */
export function verdictList(value: string, previous: Verdict[] | undefined): Verdict[] {
  const names = value.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name !== "");
  const unknown = names.filter((name) => !isVerdict(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`${unknown.length > 0 ? `"${unknown.join(", ")}" is not a verdict; ` : ""}name verdicts separated by commas, from: ${VERDICTS_BY_RANK.join(", ")}`);
  }
  return [...new Set([...(previous ?? []), ...names.filter(isVerdict)])];
}

/** File extensions that name a format; `.htm`, `.markdown` and `.jsonl` as people write them. */
const EXTENSION_FORMATS: Readonly<Record<string, Format>> = {
  json: "json",
  ndjson: "ndjson",
  jsonl: "ndjson",
  csv: "csv",
  html: "html",
  htm: "html",
  md: "md",
  markdown: "md",
};

/**
 * --format, else the extension of --out (refusing one it does not know rather than guessing),
 * else a table on a terminal and NDJSON in a pipe.
 */
export function chooseFormat(format: Format | undefined, out: string | undefined, io: CliIo): Format {
  if (format !== undefined) return format;
  if (out !== undefined) {
    const extension = extname(out).slice(1).toLowerCase();
    const known = Object.hasOwn(EXTENSION_FORMATS, extension) ? EXTENSION_FORMATS[extension] : undefined;
    if (known !== undefined) return known;
    const list = Object.keys(EXTENSION_FORMATS).map((name) => `.${name}`).join(", ");
    throw new UsageError(
      `cannot tell the format of --out ${out} from ${extension === "" ? "a name without an extension" : `the extension .${extension}`}; name the file with one of ${list}, or give --format (a plain-text table is --format table)`,
    );
  }
  return io.stdout.isTTY === true ? "table" : "ndjson";
}

/** Below this the table cannot show its columns; a smaller COLUMNS is taken as this. */
const MIN_COLUMNS = 40;
const DEFAULT_COLUMNS = 100;

/** The width the table fits: COLUMNS, else the terminal's width, else 100. */
export function tableColumns(io: CliIo): number {
  const fromEnv = Number(io.env["COLUMNS"]);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(MIN_COLUMNS, fromEnv);
  const terminal = io.stdout.isTTY === true ? io.stdout.columns : undefined;
  if (terminal !== undefined && terminal > 0) return Math.max(MIN_COLUMNS, terminal);
  return DEFAULT_COLUMNS;
}

/**
 * What every reporter of a command is given: colour only on a terminal (and not with NO_COLOR),
 * the table's width, --only, the registry (html and md show each device's entry) and the evidence
 * provider (html reads flagged photos again for thumbnails).
 */
export function reporterOptions(io: CliIo, out: string | undefined, only: readonly Verdict[] | undefined, registry: DeviceRegistry, signal?: AbortSignal): ReporterOptions {
  return {
    color: out === undefined && io.stdout.isTTY === true && !("NO_COLOR" in io.env),
    columns: tableColumns(io),
    ...(only === undefined ? {} : { only }),
    registry,
    // With the command's signal, Ctrl-C stops the photos being read again, not only the waiting.
    evidence: photoEvidence(signal === undefined ? {} : { signal }),
    // html and md say which exifhunt made them, with which command, and when (SOURCE_DATE_EPOCH pins it).
    provenance: reportProvenance(VERSION, io.argv ?? [], io.env, new Date()),
  };
}

/** Opens each input list (`-` is standard input), failing before the scan starts if one cannot be read. */
export async function openInputLists(files: readonly string[], stdin: Readable): Promise<Readable[]> {
  const streams: Readable[] = [];
  for (const file of files) {
    if (file === "-") {
      streams.push(stdin);
      continue;
    }
    try {
      await access(file, constants.R_OK);
      if ((await stat(file)).isDirectory()) {
        throw new UsageError(`cannot read the input list ${file}: it is a folder (to scan a folder, name it without -i)`);
      }
    } catch (error: unknown) {
      if (error instanceof UsageError) throw error;
      const code = errnoCode(error);
      const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? String(error));
      throw new UsageError(`cannot read the input list ${file}: ${why}`, { cause: error });
    }
    streams.push(createReadStream(file));
  }
  return streams;
}
