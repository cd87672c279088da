/**
 * A report's provenance from the command line: exifhunt's version, the command as typed, and the
 * time, which SOURCE_DATE_EPOCH pins (the reproducible-builds convention, seconds since 1970), else
 * the clock: a report rebuilt at a fixed time from the same inputs is the same.
 * https://reproducible-builds.org/specs/source-date-epoch/
 */
import { UsageError } from "../errors.js";
import type { Provenance } from "../report/provenance.js";

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

/** The provenance a report made now by this command line shows. */
export function reportProvenance(version: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, now: Date): Provenance {
  return { version, command: commandLine(args), madeAt: reportTime(env, now) };
}
