/**
 * Shared test plumbing: where the project and ../shared are, running the built CLI, temp folders.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";

export { CLI, ROOT, runCli, spawnCli, type CliResult } from "./support/cli.js";
export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));

/** Tests that read ../shared skip cleanly when it is absent (a clone without the shared corpus). */
export const sharedSkip: string | false = existsSync(`${SHARED}corpus/expected.json`)
  ? false
  : "../shared is not present beside the project";

/** Parses NDJSON output into objects, failing on any line that is not complete JSON. */
export function parseNdjson<T = unknown>(text: string): T[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as T);
}

const temporary: string[] = [];

/** A fresh folder under the system temp dir, removed when the test file ends (hard links too). */
export async function tempDir(prefix = "exifhunt-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

after(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The report time every rebuild test pins (SOURCE_DATE_EPOCH): 2026-12-01 12:00:00 UTC. */
export const MADE_AT = { SOURCE_DATE_EPOCH: "1796126400" };

/** A report without the one line in which a scan's and a rebuild's documents differ: the command that made each. */
export function withoutCommand(document: string): string {
  return document.replace(/<dt>Command<\/dt><dd class="provenance"><code>[^<]*<\/code><\/dd>/, "").replace(/^- Command: .*$/m, "");
}
