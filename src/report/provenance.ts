/**
 * Where a report came from: the exifhunt version, the registry versions, the command and the time
 * it was made. The time is injected (the CLI reads SOURCE_DATE_EPOCH, the reproducible-builds
 * convention, else the clock), so a report rebuilt from the same inputs at a fixed time is
 * byte-for-byte the same. https://reproducible-builds.org/specs/source-date-epoch/
 */
import { UsageError } from "../errors.js";

export interface Provenance {
  /** exifhunt's version (package.json). */
  version: string;
  /** The command line that made the report, as typed (`exifhunt scan photos --format html`). */
  command: string;
  /** When the report was made, ISO 8601 in UTC, to the second. */
  madeAt: string;
}

/** A shell word as a user could type it again: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** `exifhunt scan photos/ --format html`, from the arguments after the program. */
export function commandLine(args: readonly string[]): string {
  return ["exifhunt", ...args].map(shellWord).join(" ");
}

/**
 * The time a report says it was made: SOURCE_DATE_EPOCH (seconds since 1970) when set and valid,
 * else `now`. An invalid value is an error, not silently the clock: it was set to pin the time.
 */
export function reportTime(env: Readonly<Record<string, string | undefined>>, now: Date): string {
  const epoch = env["SOURCE_DATE_EPOCH"];
  if (epoch !== undefined && epoch !== "") {
    if (!/^\d{1,12}$/.test(epoch.trim())) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not ${JSON.stringify(epoch)}`);
    return new Date(Number(epoch.trim()) * 1000).toISOString().replace(".000Z", "Z");
  }
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function reportProvenance(version: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, now: Date): Provenance {
  return { version, command: commandLine(args), madeAt: reportTime(env, now) };
}
