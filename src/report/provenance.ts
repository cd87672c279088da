/**
 * Where a report came from: the exifhunt version, the command and the time it was made (the
 * registry versions are the model's registryVersion). Made by the CLI (cli/provenance.ts), which
 * injects the time, so a report rebuilt from the same inputs at a fixed time is the same.
 */

export interface Provenance {
  /** exifhunt's version (package.json). */
  version: string;
  /** The command line that made the report, as typed (`exifhunt scan photos --format html`). */
  command: string;
  /** When the report was made, ISO 8601 in UTC, to the second. */
  madeAt: string;
}
