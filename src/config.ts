/**
 * Where the command line finds user registries besides `--registry`: a config file and the
 * EXIFHUNT_REGISTRY environment variable. I/O at the edge: the library takes explicit file lists.
 *
 * Every source adds layers over the bundled registries, in this order (later files win):
 *   1. $XDG_CONFIG_HOME/exifhunt/config.json (XDG_CONFIG_HOME defaults to ~/.config)
 *   2. EXIFHUNT_REGISTRY: paths separated by the platform's delimiter (":" on POSIX, ";" on Windows)
 *   3. --registry FILE, in command-line order
 * So the most specific source wins: the environment over the user's file, the command line over
 * everything. A file named twice is layered once, at its last place.
 *
 * Configuration only ever comes from the user: a `.exifhuntrc.json` in the working directory is
 * NOT read, because the working directory is often the dump being scanned (`cd dump && exifhunt
 * scan .`), and a registry shipped inside it would choose how its own photos are judged. When
 * one is there the CLI says that it was ignored and how to use its registries on purpose.
 */
import { access, readFile } from "node:fs/promises";
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

  /** Told about a configuration file that was found and deliberately not read. */
  onNotice?: (text: string) => void;
}

/** The config files exifhunt reads: the user's own. */
export function configFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const xdg = env["XDG_CONFIG_HOME"];
  const base = xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".config");
  return [join(base, "exifhunt", "config.json")];
}

/** Keys a config file may hold; anything else is a mistake worth a word (a misspelt "registries"). */
const CONFIG_KEYS: readonly string[] = ["registries", "$schema"];

/**
 * The notice for a `.exifhuntrc.json` in the working directory, which is never read (see the
 * module comment); null when there is none.
 */
export async function ignoredProjectConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const path = join(cwd, PROJECT_CONFIG);
  try {
    await access(path);
  } catch {
    return null;
  }
  return `ignoring ${path}: configuration is read only from your config folder (${configFiles(env).join(", ")}), EXIFHUNT_REGISTRY and --registry, never from the folder you are in; to use a registry it names, pass it with --registry`;
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
  const unknown = Object.keys(data).filter((key) => !CONFIG_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new UsageError(`${path}: unknown key${unknown.length === 1 ? "" : "s"} ${unknown.map((key) => JSON.stringify(key)).join(", ")}; a config file may hold ${CONFIG_KEYS.map((key) => JSON.stringify(key)).join(", ")}`);
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
  const fromConfig = (await Promise.all(configFiles(env).map(readConfigRegistries))).flat();
  if (options.onNotice !== undefined) {
    const notice = await ignoredProjectConfig(cwd, env);
    if (notice !== null) options.onNotice(notice);
  }
  const fromEnv = (env[REGISTRY_ENV] ?? "").split(delimiter).filter((entry) => entry !== "");
  const all = [...fromConfig, ...fromEnv, ...(options.flags ?? [])];
  // Keep each file once, at its last place, so the source that names it last decides its rank.
  const lastPlace = new Map(all.map((file, index) => [resolve(cwd, file), index]));
  return all.filter((file, index) => lastPlace.get(resolve(cwd, file)) === index);
}
