/**
 * Where the command line finds user registries besides `--registry`: a config file and the
 * EXIFHUNT_REGISTRY environment variable. I/O at the edge: the library takes explicit file lists.
 *
 * Every source adds layers over the bundled registries, in this order (later files win):
 *   1. $XDG_CONFIG_HOME/exifhunt/config.json (XDG_CONFIG_HOME defaults to ~/.config)
 *   2. .exifhuntrc.json in the working directory
 *   3. EXIFHUNT_REGISTRY: paths separated by the platform's delimiter (":" on POSIX, ";" on Windows)
 *   4. --registry FILE, in command-line order
 * So the most specific source wins: a project's file over a user's, the environment over both, the
 * command line over everything. A file named twice is layered once, at its last place.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { errnoCode, UsageError } from "./errors.js";

export const PROJECT_CONFIG = ".exifhuntrc.json";
export const REGISTRY_ENV = "EXIFHUNT_REGISTRY";

export interface RegistrySourceOptions {
  /** `--registry` values, in order. */
  flags?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The config files exifhunt reads, user-wide first. */
export function configFiles(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string[] {
  const xdg = env["XDG_CONFIG_HOME"];
  const base = xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".config");
  return [join(base, "exifhunt", "config.json"), join(cwd, PROJECT_CONFIG)];
}

/**
 * The registries a config file names, resolved against the file's folder; [] when there is no
 * such file. A file that exists but is not a valid config is a usage error naming it.
 */
export async function readConfigRegistries(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error: unknown) {
    if (errnoCode(error) === "ENOENT") return [];
    throw new UsageError(`${path}: cannot be read (${String(error)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error: unknown) {
    throw new UsageError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError(`${path}: must be a JSON object such as {"registries": ["my-registry.json"]}`);
  }
  const registries = (data as Record<string, unknown>)["registries"];
  if (registries === undefined) return [];
  if (!Array.isArray(registries) || !registries.every((entry): entry is string => typeof entry === "string" && entry !== "")) {
    throw new UsageError(`${path}: registries: must be a list of registry file paths`);
  }
  return registries.map((entry) => resolve(dirname(path), entry));
}

/** Every user registry file, in layering order (see the module comment). */
export async function resolveRegistryFiles(options: RegistrySourceOptions = {}): Promise<string[]> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fromConfig = (await Promise.all(configFiles(env, cwd).map(readConfigRegistries))).flat();
  const fromEnv = (env[REGISTRY_ENV] ?? "").split(delimiter).filter((entry) => entry !== "");
  const all = [...fromConfig, ...fromEnv, ...(options.flags ?? [])];
  // Keep each file once, at its last place, so the source that names it last decides its rank.
  const lastPlace = new Map(all.map((file, index) => [resolve(cwd, file), index]));
  return all.filter((file, index) => lastPlace.get(resolve(cwd, file)) === index);
}
