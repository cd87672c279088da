/**
 * The registry files a command layers: --registry, EXIFHUNT_REGISTRY and the user's config file
 * (config.ts says in which order), with the notice about a working-directory config that is ignored.
 */
import { resolveRegistryFiles } from "../config.js";
import { warn, type CliIo } from "./io.js";

export async function registryFiles(flags: readonly string[], io: CliIo, quiet = false): Promise<string[]> {
  return resolveRegistryFiles({
    flags,
    env: io.env,
    cwd: io.cwd,
    onNotice: (text) => {
      if (!quiet) warn(io, `exifhunt: ${text}`);
    },
  });
}
