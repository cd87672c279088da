/** exifhunt's version, from package.json: the CLI's --version, and what the hunt log notes records were made by. */
import { readFileSync } from "node:fs";

export const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
