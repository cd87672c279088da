/** exifhunt's version, from package.json: the CLI's --version, the User-Agent, and what the hunt log notes records were made by. */
import { readFileSync } from "node:fs";

/**
 * The package's own package.json, looked for from this module's folder upwards: this code runs
 * from src/ (tests), from dist/ (the library) and from dist/bin/ (the command line's bundle).
 */
function ownPackage(): { name: string; version: string } {
  for (let folder = new URL("./", import.meta.url), depth = 0; depth < 4; folder = new URL("../", folder), depth++) {
    try {
      const found = JSON.parse(readFileSync(new URL("package.json", folder), "utf8")) as { name?: unknown; version?: unknown };
      if (found.name === "exifhunt" && typeof found.version === "string") return { name: found.name, version: found.version };
    } catch {
      // not here: one folder up
    }
  }
  throw new Error(`exifhunt's package.json was not found above ${import.meta.url}`);
}

export const VERSION = ownPackage().version;
