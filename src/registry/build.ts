/**
 * Layers validated registry files into one DeviceRegistry. Pure: files in, registry out.
 * Vendors merge by name; devices merge by model number, later layers winning field by field, so a
 * user file can correct one date of a bundled device by naming one of its models.
 */
import { RegistryError } from "../errors.js";
import { firmwareSchemes, isFirmwareSchemeId } from "../firmware/index.js";
import { parsePartialDate, type PartialDate } from "./dates.js";
import { ModelIndex, normalizeModel } from "./match.js";
import { checkPattern, MAX_PATTERN_INPUT } from "./pattern.js";
import { BoundedMemo } from "../util/memo.js";

export { MAX_PATTERN_INPUT } from "./pattern.js";
import type { DeviceEntry, DeviceStatus, LookupResult, RegisteredDevice, RegistryFile, VendorGenerations, VendorInfo } from "./types.js";


/**
 * Compiles a registry pattern, refusing one outside the safe subset (pattern.ts). Validation refuses
 * them first for user files; this holds for layers built without validation too (library callers).
 */
function safePattern(source: string, file: string, path: string, trusted: boolean): RegExp {
  // The bundled files' patterns are checked by the test suite (registry-patterns.test.ts), not on every start.
  if (trusted) return new RegExp(source);
  const verdict = checkPattern(source);
  if (!verdict.ok) throw new RegistryError([{ file, path, message: `pattern outside the safe subset: ${verdict.reason}` }]);
  return new RegExp(source);
}

/** Negative when generation a is earlier than b. Digits compare as numbers, letters by length then alphabet. */
export function compareGenerations(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function generationOf(pattern: RegExp, model: string): string | null {
  const text = model.trim();
  if (text.length > MAX_PATTERN_INPUT) return null;
  return pattern.exec(text)?.[1]?.toUpperCase() ?? null;
}

/** Each scheme's latest generation among the vendor's listed model strings. */
function settleGenerations(info: VendorInfo, devices: Iterable<RegisteredDevice>): VendorGenerations[] {
  const settled: VendorGenerations[] = [];
  const all = [...devices];
  for (const scheme of info.generationSchemes) {
    let latest: { generation: string; model: string } | null = scheme.latest === null
      ? null
      : { generation: scheme.latest.toUpperCase(), model: `generation ${scheme.latest} (declared by the registry)` };
    for (const device of all) {
      for (const model of [...device.entry.models, ...(device.entry.aliases ?? []), device.entry.name]) {
        const generation = generationOf(scheme.pattern, model);
        if (generation !== null && (latest === null || compareGenerations(generation, latest.generation) > 0)) latest = { generation, model };
      }
    }
    if (latest !== null) settled.push({ name: scheme.name, pattern: scheme.pattern, latest: latest.generation, latestModel: latest.model });
  }
  return settled;
}

export interface RegistryLayer {
  /** "bundled:sony.json" or the user file's path. */
  file: string;
  data: RegistryFile;
  /**
   * "user" for files a user layers over the bundled ones: a device such a file introduces with no
   * dates and no status counts as rumoured. Anything else is taken as a curated registry, where a
   * device with no dates is released with dates unknown. Default "bundled".
   */
  origin?: "bundled" | "user";
}

interface VendorState {
  info: VendorInfo;
  devices: Map<string, RegisteredDevice>;
  /** Whether each device was introduced by a user layer (decides what "no dates" means). */
  introducedByUser: Map<RegisteredDevice, boolean>;
}

/**
 * The index and the generations are built on a vendor's first lookup that needs them: the registry
 * loads on every scan's start, and most scans meet only a few vendors (and mostly exact model numbers).
 */
interface Vendor {
  info: VendorInfo;
  readonly generations: VendorGenerations[];
  /** By normalized model number. */
  devices: Map<string, RegisteredDevice>;
  readonly index: ModelIndex;
}

function lazyVendor(info: VendorInfo, devices: Map<string, RegisteredDevice>): Vendor {
  let index: ModelIndex | undefined;
  let generations: VendorGenerations[] | undefined;
  return {
    info,
    devices,
    get index() {
      index ??= new ModelIndex(new Set(devices.values()), { prefixes: [info.vendor, ...info.makes], variants: info.variants });
      return index;
    },
    get generations() {
      generations ??= settleGenerations(info, new Set(devices.values()));
      return generations;
    },
  };
}

function vendorKey(name: string): string {
  return name.trim().toLowerCase();
}

function effectiveStatus(entry: DeviceEntry, introducedByUser: boolean): DeviceStatus | null {
  if (entry.status !== undefined) return entry.status;
  if (entry.announced !== undefined || entry.released !== undefined) return null;
  return introducedByUser ? "rumoured" : null;
}

export class DeviceRegistry {
  readonly #vendors: Map<string, Vendor>;
  /** The validated files it was built from: plain data, so a worker thread can rebuild it. */
  readonly layers: readonly RegistryLayer[];

  private constructor(vendors: Map<string, Vendor>, layers: readonly RegistryLayer[]) {
    this.#vendors = vendors;
    this.layers = layers;
  }

  static build(layers: readonly RegistryLayer[]): DeviceRegistry {
    const states = new Map<string, VendorState>();
    for (const layer of layers) addLayer(states, layer);
    const vendors = new Map<string, Vendor>();
    for (const [key, state] of states) {
      const devices = new Map<string, RegisteredDevice>();
      const finished = new Map<RegisteredDevice, RegisteredDevice>();
      for (const [model, device] of state.devices) {
        let done = finished.get(device);
        if (done === undefined) {
          done = { ...device, status: effectiveStatus(device.entry, state.introducedByUser.get(device) ?? false) };
          finished.set(device, done);
        }
        devices.set(model, done);
      }
      vendors.set(key, lazyVendor(state.info, devices));
    }
    return new DeviceRegistry(vendors, layers);
  }

  get vendors(): VendorInfo[] {
    return [...this.#vendors.values()].map((vendor) => vendor.info);
  }

  #devices: readonly RegisteredDevice[] | undefined;
  readonly #lookups = new BoundedMemo<LookupResult>();
  readonly #byVendor = new Map<string, readonly RegisteredDevice[]>();

  /** Every device once, in registry order. Built once: a registry does not change after build(). */
  get devices(): readonly RegisteredDevice[] {
    this.#devices ??= [...this.#vendors.values()].flatMap((vendor) => [...new Set(vendor.devices.values())]);
    return this.#devices;
  }

  /**
   * Every device of one vendor (by name), in registry order. Asked for each photo of a model the
   * registry does not know, so it is kept: a scan of 100,000 such photos spent 2.4 s rebuilding it.
   */
  devicesOf(vendor: string): readonly RegisteredDevice[] {
    let devices = this.#byVendor.get(vendor);
    if (devices === undefined) {
      devices = this.devices.filter((device) => device.vendor.vendor === vendor);
      this.#byVendor.set(vendor, devices);
    }
    return devices;
  }

  /** `sony.json@2026-11-21, my.json` — what a report cites as the registry it used. */
  get version(): string {
    return this.vendors.flatMap((vendor) => vendor.versions).join(", ");
  }

  /**
   * The device a photo's Make and Model name. Exact model numbers first, then the ways cameras
   * write models (see match.ts). With no Make, a match must be unique across vendors.
   */
  lookup(make: string | null, model: string | null): LookupResult {
    // A dump repeats one phone's Make and Model on every photo it took: each pair is looked up
    // once. Results are shared, so they are never changed (LookupResult's fields are read only).
    return this.#lookups.get(`${make ?? "\u0001"}\u0000${model ?? "\u0001"}`, () => this.#lookup(make, model));
  }

  #lookup(make: string | null, model: string | null): LookupResult {
    const makeKey = make?.trim().toLowerCase() ?? null;
    const vendors = [...this.#vendors.values()];
    const byMake = makeKey === null ? [] : vendors.filter((vendor) => vendor.info.makes.includes(makeKey));
    if (model === null) return { kind: "unregistered" };
    const modelKey = normalizeModel(model);
    // With no Make, a model number that some registry lists still identifies the phone.
    const candidates = makeKey === null ? vendors : byMake;
    for (const vendor of candidates) {
      const device = vendor.devices.get(modelKey);
      if (device !== undefined) return { kind: "device", device, match: "model" };
    }
    const matches = candidates.flatMap((vendor) => {
      const found = vendor.index.find(model);
      return found === null ? [] : [found];
    });
    const [only] = matches;
    if (only !== undefined && matches.length === 1) return { kind: "device", device: only.device, match: only.match };
    const vendor = byMake[0];
    if (vendor === undefined) return { kind: "unregistered" };
    const text = model.trim();
    const inCoverage = text.length <= MAX_PATTERN_INPUT && (vendor.info.coverage?.test(text) ?? false);
    for (const scheme of vendor.generations) {
      const generation = generationOf(scheme.pattern, text);
      if (generation !== null && compareGenerations(generation, scheme.latest) > 0) {
        return {
          kind: "unknown-model",
          vendor: vendor.info,
          inCoverage,
          beyond: { scheme: scheme.name, generation, latest: scheme.latest, latestModel: scheme.latestModel },
        };
      }
    }
    return { kind: "unknown-model", vendor: vendor.info, inCoverage };
  }
}

function addLayer(vendors: Map<string, VendorState>, layer: RegistryLayer): void {
  const { data, file } = layer;
  const fromUser = layer.origin === "user";
  const trusted = layer.origin === "bundled";
  // Many devices share a date (one launch, several phones): each text is parsed once.
  const dates = new Map<string, PartialDate | null>();
  const date = (text: string | undefined): PartialDate | null => {
    if (text === undefined) return null;
    let parsed = dates.get(text);
    if (parsed === undefined) {
      parsed = parsePartialDate(text);
      dates.set(text, parsed);
    }
    return parsed;
  };
  const key = vendorKey(data.vendor);
  const existing = vendors.get(key);
  const previous = existing?.info;
  const scheme = data.firmwareScheme !== undefined && isFirmwareSchemeId(data.firmwareScheme)
    ? firmwareSchemes[data.firmwareScheme]
    : null;
  const info: VendorInfo = {
    vendor: data.vendor,
    makes: [...new Set([...(previous?.makes ?? []), ...(data.makes ?? [data.vendor]).map((make) => make.trim().toLowerCase())])],
    coverage: data.coverage === undefined ? (previous?.coverage ?? null) : safePattern(data.coverage.modelPattern, file, "coverage.modelPattern", trusted),
    variants: data.modelVariants === undefined ? (previous?.variants ?? null) : safePattern(data.modelVariants.pattern, file, "modelVariants.pattern", trusted),
    firmware: scheme ?? previous?.firmware ?? null,
    // A later layer's scheme of the same name replaces the earlier one.
    generationSchemes: data.generations === undefined
      ? (previous?.generationSchemes ?? [])
      : [
          ...(previous?.generationSchemes ?? []).filter((old) => !data.generations?.some((g) => g.name === old.name)),
          ...data.generations.map((g, i) => ({ name: g.name, pattern: safePattern(g.pattern, file, `generations.${String(i)}.pattern`, trusted), latest: g.latest ?? null })),
        ],
    versions: [...(previous?.versions ?? []), data.version === undefined ? file : `${file}@${data.version}`],
  };
  const devices = new Map<string, RegisteredDevice>();
  const introducedByUser = new Map<RegisteredDevice, boolean>();
  // Re-point every existing device at the merged vendor info.
  const rebased = new Map<RegisteredDevice, RegisteredDevice>();
  for (const [model, device] of existing?.devices ?? []) {
    let moved = rebased.get(device);
    if (moved === undefined) {
      moved = { ...device, vendor: info };
      rebased.set(device, moved);
      introducedByUser.set(moved, existing?.introducedByUser.get(device) ?? false);
    }
    devices.set(model, moved);
  }
  for (const entry of data.devices) {
    const keys = entry.models.map(normalizeModel);
    let overridden: RegisteredDevice | undefined;
    for (const modelKey of keys) {
      overridden = devices.get(modelKey);
      if (overridden !== undefined) break;
    }
    const merged: DeviceEntry = overridden === undefined
      ? entry
      : {
          ...overridden.entry,
          ...entry,
          models: [...new Set([...overridden.entry.models, ...entry.models])],
          ...mergedAliases(overridden.entry, entry),
        };
    const device: RegisteredDevice = {
      entry: merged,
      vendor: info,
      announced: date(merged.announced),
      released: date(merged.released),
      registryFile: file,
      registryFiles: [...(overridden?.registryFiles ?? []), file],
      // Settled once every layer is in (DeviceRegistry.build).
      status: null,
    };
    introducedByUser.set(device, overridden === undefined ? fromUser : (introducedByUser.get(overridden) ?? false));
    for (const model of overridden === undefined ? keys : merged.models.map(normalizeModel)) devices.set(model, device);
  }
  vendors.set(key, { info, devices, introducedByUser });
}

/** Aliases add up across layers like model numbers do. */
function mergedAliases(earlier: DeviceEntry, later: DeviceEntry): { aliases?: string[] } {
  const aliases = [...new Set([...(earlier.aliases ?? []), ...(later.aliases ?? [])])];
  return aliases.length === 0 ? {} : { aliases };
}
