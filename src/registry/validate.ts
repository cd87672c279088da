/**
 * Registry validation: the JSON Schema (schema/registry.schema.json, published with the package)
 * for shape, then the checks a schema cannot say (regexes compile, days exist, no model listed
 * twice, release not before announcement). Every problem is reported, with the field's path.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject } from "ajv";
import type { RegistryProblem } from "../errors.js";
import { isFirmwareSchemeId } from "../firmware/index.js";
import { parsePartialDate } from "./dates.js";
import { compactModel, normalizeModel } from "./match.js";
import { checkPattern } from "./pattern.js";
import type { DeviceEntry, RegistryFile } from "./types.js";

export { normalizeModel } from "./match.js";

export const REGISTRY_SCHEMA_URL = new URL("../../schema/registry.schema.json", import.meta.url);

let compiled: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;

function schemaValidator(): NonNullable<typeof compiled> {
  if (compiled === undefined) {
    const schema: unknown = JSON.parse(readFileSync(REGISTRY_SCHEMA_URL, "utf8"));
    // Loaded on first use: a scan with only the bundled registries never validates, and ajv
    // plus the schema compilation cost more start-up time than the rest of a small scan.
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema as object);
  }
  return compiled;
}

/** `/devices/3/announced` -> `devices.3.announced`. */
function dottedPath(instancePath: string): string {
  return instancePath.split("/").filter((part) => part !== "").join(".");
}

function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "additionalProperties") {
    return `unknown field "${String(params["additionalProperty"])}"`;
  }
  if (error.keyword === "required") return `missing required field "${String(params["missingProperty"])}"`;
  if (error.keyword === "pattern" && error.schemaPath.includes("partialDate")) {
    return "must be a date: YYYY, YYYY-MM or YYYY-MM-DD";
  }
  if (error.keyword === "enum") {
    const allowed = Array.isArray(params["allowedValues"]) ? (params["allowedValues"] as unknown[]).map(String).join(", ") : "";
    return `must be one of: ${allowed}`;
  }
  return error.message ?? error.keyword;
}

function semanticProblems(file: string, data: RegistryFile): RegistryProblem[] {
  const problems: RegistryProblem[] = [];
  const problem = (path: string, message: string): void => {
    problems.push({ file, path, message });
  };
  // Every pattern runs over strangers' Models: it must compile and be in the safe subset (pattern.ts).
  const compiles = (path: string, source: string): RegExp | null => {
    const safe = checkPattern(source);
    if (!safe.ok) {
      problem(path, `pattern outside the safe subset, so a crafted Model could make matching backtrack for hours: ${safe.reason}`);
      return null;
    }
    try {
      return new RegExp(source);
    } catch (error: unknown) {
      problem(path, `not a valid regular expression (${String(error)})`);
      return null;
    }
  };
  if (data.coverage !== undefined) compiles("coverage.modelPattern", data.coverage.modelPattern);
  if (data.modelVariants !== undefined) {
    const variants = compiles("modelVariants.pattern", data.modelVariants.pattern);
    // One capture group at least: the base model number that variants share.
    if (variants !== null && (new RegExp(`${data.modelVariants.pattern}|`).exec("")?.length ?? 0) < 2) {
      problem("modelVariants.pattern", "needs a capture group: the base model number that variants share");
    }
  }
  data.generations?.forEach((scheme, index) => {
    const path = `generations.${String(index)}.pattern`;
    if (compiles(path, scheme.pattern) !== null && (new RegExp(`${scheme.pattern}|`).exec("")?.length ?? 0) < 2) {
      problem(path, "needs a capture group: the generation");
    }
  });
  if (data.firmwareScheme !== undefined && !isFirmwareSchemeId(data.firmwareScheme)) {
    problem("firmwareScheme", `unknown firmware scheme "${data.firmwareScheme}"`);
  }
  const seen = new Map<string, number>();
  data.devices.forEach((device, index) => {
    const at = `devices.${String(index)}`;
    const announced = device.announced === undefined ? null : parsePartialDate(device.announced);
    const released = device.released === undefined ? null : parsePartialDate(device.released);
    if (device.announced !== undefined && announced === null) problem(`${at}.announced`, `no such day: ${device.announced}`);
    if (device.released !== undefined && released === null) problem(`${at}.released`, `no such day: ${device.released}`);
    if (announced !== null && released !== null && released.lastDay < announced.firstDay) {
      problem(`${at}.released`, `released (${released.text}) before it was announced (${announced.text})`);
    }
    device.firmware?.forEach((build, buildIndex) => {
      if (build.date !== undefined && parsePartialDate(build.date) === null) {
        problem(`${at}.firmware.${String(buildIndex)}.date`, `no such day: ${build.date}`);
      }
    });
    device.models.forEach((model, modelIndex) => {
      const key = normalizeModel(model);
      const first = seen.get(key);
      if (first !== undefined) {
        const where = first === index ? "this device" : `devices.${String(first)}`;
        problem(`${at}.models.${String(modelIndex)}`, `model "${model}" is already listed by ${where}`);
      }
      seen.set(key, index);
    });
    device.unverified?.forEach((field, fieldIndex) => {
      if (!describesEntry(device, field)) {
        problem(`${at}.unverified.${String(fieldIndex)}`, `"${field}" is neither a field this entry sets nor one of its models`);
      }
    });
  });
  // Aliases are compared as cameras write models: one naming two devices, or another's model, matches neither.
  const claimed = new Map<string, string>();
  data.devices.forEach((device, index) => {
    for (const model of device.models) claimed.set(compactModel(model), `devices.${String(index)}`);
  });
  data.devices.forEach((device, index) => {
    device.aliases?.forEach((alias, aliasIndex) => {
      const key = compactModel(alias);
      const owner = claimed.get(key);
      const here = `devices.${String(index)}`;
      if (owner !== undefined && owner !== here) {
        problem(`${here}.aliases.${String(aliasIndex)}`, `alias "${alias}" is already a model or alias of ${owner}`);
      }
      claimed.set(key, here);
    });
  });
  return problems;
}

/** The fields `unverified` may name (dotted, as in the entry) or one of the entry's models. */
function describesEntry(device: DeviceEntry, field: string): boolean {
  const fields: Record<string, unknown> = {
    name: device.name,
    codename: device.codename,
    announced: device.announced,
    released: device.released,
    status: device.status,
    "camera.megapixels": device.camera?.megapixels,
    "camera.modes": device.camera?.modes,
    "camera.focalLength": device.camera?.focalLength,
  };
  if (fields[field] !== undefined) return true;
  return device.models.some((model) => normalizeModel(model) === normalizeModel(field));
}

/** Every problem with a parsed registry file; an empty list means it is valid. */
export function validateRegistry(file: string, data: unknown): RegistryProblem[] {
  const validate = schemaValidator();
  if (!validate(data)) {
    return (validate.errors ?? []).map((error) => ({
      file,
      path: dottedPath(error.instancePath),
      message: describeSchemaError(error),
    }));
  }
  return semanticProblems(file, data as RegistryFile);
}
