/**
 * Model strings as cameras write them, matched to registry entries. Pure.
 *
 * Phones write the same model in many ways: `SM-G975F`, `sm-g975f`, `SAMSUNG-SM-N900A` (AT&T's
 * prefix), `Galaxy S24 FE` (newer Samsungs write the marketing name), `SM-G965W` (a region variant
 * of a listed model). Every rule here only ever finds a device whose own data names the string
 * (or, for variants, its base model number) unambiguously: a string that two devices could claim,
 * or that only resembles a listed one, matches nothing, because a wrong device is worse than none.
 */
import { MAX_PATTERN_INPUT } from "./pattern.js";
import type { MatchKind, RegisteredDevice } from "./types.js";

/** Model strings compare case-insensitively, with runs of white space folded. */
export function normalizeModel(model: string): string {
  return model.trim().replace(/\s+/g, " ").toUpperCase();
}

/**
 * The comparison key: no case, no white space, hyphens or underscores (`SM G975F` = `sm-g975f`).
 * Everything else counts: `Galaxy S24+` is not `Galaxy S24`.
 */
export function compactModel(model: string): string {
  return model.trim().toUpperCase().replace(/[\s_-]+/g, "");
}

/**
 * The model without a leading vendor name or Make followed by a separator (`SAMSUNG-SM-N900A`,
 * `Samsung Galaxy S24 FE`); null when it has none.
 */
export function stripVendorPrefix(model: string, prefixes: readonly string[]): string | null {
  const normalized = normalizeModel(model);
  for (const prefix of prefixes) {
    const wanted = prefix.trim().toUpperCase();
    if (wanted === "" || !normalized.startsWith(wanted)) continue;
    const separator = /^[\s_-]+/.exec(normalized.slice(wanted.length));
    if (separator === null) continue;
    const rest = normalized.slice(wanted.length + separator[0].length);
    if (rest !== "") return rest;
  }
  return null;
}

export interface Match {
  device: RegisteredDevice;
  match: MatchKind;
}

/** Adds key -> device, remembering a key two devices claim as ambiguous (null). */
function claim(map: Map<string, RegisteredDevice | null>, key: string, device: RegisteredDevice): void {
  if (key === "") return;
  const existing = map.get(key);
  if (existing === undefined) map.set(key, device);
  else if (existing !== device) map.set(key, null);
}

/** One vendor's devices, indexed for the ways cameras write models. */
export class ModelIndex {
  readonly #models = new Map<string, RegisteredDevice | null>();
  readonly #aliases = new Map<string, RegisteredDevice | null>();
  readonly #names = new Map<string, RegisteredDevice | null>();
  readonly #bases = new Map<string, RegisteredDevice | null>();
  readonly #prefixes: readonly string[];
  readonly #variants: RegExp | null;

  constructor(devices: Iterable<RegisteredDevice>, options: { prefixes: readonly string[]; variants: RegExp | null }) {
    this.#prefixes = options.prefixes;
    this.#variants = options.variants;
    for (const device of devices) {
      for (const model of device.entry.models) {
        claim(this.#models, compactModel(model), device);
        const base = this.#baseOf(normalizeModel(model));
        if (base !== null) claim(this.#bases, base, device);
      }
      for (const alias of device.entry.aliases ?? []) claim(this.#aliases, compactModel(alias), device);
      claim(this.#names, compactModel(device.entry.name), device);
    }
  }

  #baseOf(model: string): string | null {
    // A longer string is no model number, and no pattern runs over it (pattern.ts).
    if (model.length > MAX_PATTERN_INPUT) return null;
    // The first capture group that took part: a pattern may list one alternative per numbering scheme.
    const groups: (string | undefined)[] = this.#variants?.exec(model)?.slice(1) ?? [];
    const base = groups.find((group) => group !== undefined);
    return base === undefined ? null : compactModel(base);
  }

  /** The device a model string names, or null when none does unambiguously. */
  find(model: string): Match | null {
    const stripped = stripVendorPrefix(model, this.#prefixes);
    const forms = stripped === null ? [model] : [model, stripped];
    const tables: [Map<string, RegisteredDevice | null>, MatchKind][] = [
      [this.#models, "model"],
      [this.#aliases, "alias"],
      [this.#names, "name"],
    ];
    for (const [table, match] of tables) {
      for (const form of forms) {
        const device = table.get(compactModel(form));
        if (device !== undefined && device !== null) return { device, match };
      }
    }
    // A model number the registry does not list, whose base a listed model of exactly one device
    // shares (SM-G965W beside SM-G965F): the same phone for another region or carrier.
    for (const form of forms) {
      const base = this.#baseOf(normalizeModel(form));
      const device = base === null ? undefined : this.#bases.get(base);
      if (device !== undefined && device !== null) return { device, match: "variant" };
    }
    return null;
  }
}

/**
 * Devices a person means by a query (`registry show`): a model string as cameras write it, a
 * codename or a name, exactly (without case or spacing); failing that, devices whose name contains it.
 */
export function searchDevices(devices: readonly RegisteredDevice[], query: string, byModel: (model: string) => RegisteredDevice | null): RegisteredDevice[] {
  const key = compactModel(query);
  if (key === "") return [];
  const found = byModel(query);
  if (found !== null) return [found];
  const exact = devices.filter(
    (device) => compactModel(device.entry.name) === key || (device.entry.codename !== undefined && compactModel(device.entry.codename) === key),
  );
  if (exact.length > 0) return exact;
  return devices.filter((device) => compactModel(device.entry.name).includes(key));
}
