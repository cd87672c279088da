/**
 * Reading registry files: the bundled ones under the package's `registry/` folder, then the
 * user's (--registry), validated before anything is built from them.
 */
import { readFile } from "node:fs/promises";
import { errnoCode, RegistryError, type RegistryProblem } from "../errors.js";
import { DeviceRegistry, type RegistryLayer } from "./build.js";
import type { RegistryFile } from "./types.js";
import { validateRegistry } from "./validate.js";

/** The bundled registries, one per vendor, by file name (explicit: nothing registers itself). */
export const BUNDLED_REGISTRIES = ["sony.json", "samsung.json", "google.json", "apple.json", "xiaomi.json", "oneplus.json", "motorola.json", "nothing.json"] as const;

const BUNDLED_DIR = new URL("../../registry/", import.meta.url);

/**
 * Reads and validates one registry file: its layer, or every problem with it. `trusted` skips
 * validation: for the bundled files only, which the test suite validates on every change.
 */
export async function readRegistryFile(file: string, location: string | URL = file, trusted = false): Promise<RegistryLayer | RegistryProblem[]> {
  let text: string;
  try {
    text = await readFile(location, "utf8");
  } catch (error: unknown) {
    const code = errnoCode(error);
    const message = code === "ENOENT" ? "no such file" : `cannot be read (${String(error)})`;
    return [{ file, path: "", message }];
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error: unknown) {
    return [{ file, path: "", message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }];
  }
  const problems = trusted ? [] : validateRegistry(file, data);
  return problems.length > 0 ? problems : { file, data: data as RegistryFile };
}

/** Reads and validates registry files; throws one RegistryError listing every problem in every file. */
export async function readRegistryLayers(
  files: readonly { file: string; location: string | URL; origin?: RegistryLayer["origin"] }[],
): Promise<RegistryLayer[]> {
  const results = await Promise.all(
    files.map(async ({ file, location, origin }) => {
      const result = await readRegistryFile(file, location, origin === "bundled");
      return Array.isArray(result) || origin === undefined ? result : { ...result, origin };
    }),
  );
  const problems = results.flatMap((result) => (Array.isArray(result) ? result : []));
  if (problems.length > 0) throw new RegistryError(problems);
  return results.filter((result): result is RegistryLayer => !Array.isArray(result));
}

export interface LoadRegistryOptions {
  /** User registry files, layered over the bundled ones in this order (later files win). */
  files?: readonly string[];
  /** Leave the bundled registries out (tests, or a user who brings a complete registry). */
  bundled?: boolean;
}

export async function loadRegistry(options: LoadRegistryOptions = {}): Promise<DeviceRegistry> {
  const bundled = options.bundled === false
    ? []
    : BUNDLED_REGISTRIES.map((name) => ({ file: `bundled:${name}`, location: new URL(name, BUNDLED_DIR), origin: "bundled" as const }));
  // User files: a device one introduces with no dates counts as rumoured (see RegistryLayer.origin).
  const user = (options.files ?? []).map((file) => ({ file, location: file, origin: "user" as const }));
  const layers = await readRegistryLayers([...bundled, ...user]);
  return DeviceRegistry.build(layers);
}
