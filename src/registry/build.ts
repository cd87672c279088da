/**
 * Layers validated registry files into one DeviceRegistry. Pure: files in, registry out.
 * Vendors merge by name; devices merge by model number, later layers winning field by field, so a
 * user file can correct one date of a bundled device by naming one of its models.
 */
import { firmwareSchemes, isFirmwareSchemeId } from "../firmware/index.js";
import { parsePartialDate } from "./dates.js";
import type { DeviceEntry, LookupResult, RegisteredDevice, RegistryFile, VendorInfo } from "./types.js";
import { normalizeModel } from "./validate.js";

export interface RegistryLayer {
  /** "bundled:sony.json" or the user file's path. */
  file: string;
  data: RegistryFile;
}

interface VendorState {
  info: VendorInfo;
  devices: Map<string, RegisteredDevice>;
}

function vendorKey(name: string): string {
  return name.trim().toLowerCase();
}

export class DeviceRegistry {
  readonly #vendors: Map<string, VendorState>;
  /** The validated files it was built from: plain data, so a worker thread can rebuild it. */
  readonly layers: readonly RegistryLayer[];

  private constructor(vendors: Map<string, VendorState>, layers: readonly RegistryLayer[]) {
    this.#vendors = vendors;
    this.layers = layers;
  }

  static build(layers: readonly RegistryLayer[]): DeviceRegistry {
    const vendors = new Map<string, VendorState>();
    for (const layer of layers) addLayer(vendors, layer);
    return new DeviceRegistry(vendors, layers);
  }

  get vendors(): VendorInfo[] {
    return [...this.#vendors.values()].map((state) => state.info);
  }

  /** Every device once, in registry order. */
  get devices(): RegisteredDevice[] {
    return [...this.#vendors.values()].flatMap((state) => [...new Set(state.devices.values())]);
  }

  /** `sony.json@2026-11-21, my.json` — what a report cites as the registry it used. */
  get version(): string {
    return this.vendors.flatMap((vendor) => vendor.versions).join(", ");
  }

  lookup(make: string | null, model: string | null): LookupResult {
    const makeKey = make?.trim().toLowerCase() ?? null;
    const states = [...this.#vendors.values()];
    const byMake = makeKey === null ? [] : states.filter((state) => state.info.makes.includes(makeKey));
    if (model === null) return { kind: "unregistered" };
    const modelKey = normalizeModel(model);
    // With no Make, a model number that some registry lists exactly still identifies the phone.
    const candidates = makeKey === null ? states : byMake;
    for (const state of candidates) {
      const device = state.devices.get(modelKey);
      if (device !== undefined) return { kind: "device", device };
    }
    const vendor = byMake[0];
    if (vendor === undefined) return { kind: "unregistered" };
    const inCoverage = vendor.info.coverage?.test(model.trim()) ?? false;
    return { kind: "unknown-model", vendor: vendor.info, inCoverage };
  }
}

function addLayer(vendors: Map<string, VendorState>, layer: RegistryLayer): void {
  const { data, file } = layer;
  const key = vendorKey(data.vendor);
  const existing = vendors.get(key);
  const previous = existing?.info;
  const scheme = data.firmwareScheme !== undefined && isFirmwareSchemeId(data.firmwareScheme)
    ? firmwareSchemes[data.firmwareScheme]
    : null;
  const info: VendorInfo = {
    vendor: data.vendor,
    makes: [...new Set([...(previous?.makes ?? []), ...(data.makes ?? [data.vendor]).map((make) => make.trim().toLowerCase())])],
    coverage: data.coverage === undefined ? (previous?.coverage ?? null) : new RegExp(data.coverage.modelPattern),
    firmware: scheme ?? previous?.firmware ?? null,
    versions: [...(previous?.versions ?? []), data.version === undefined ? file : `${file}@${data.version}`],
  };
  const devices = new Map<string, RegisteredDevice>();
  // Re-point every existing device at the merged vendor info.
  const rebased = new Map<RegisteredDevice, RegisteredDevice>();
  for (const [model, device] of existing?.devices ?? []) {
    let moved = rebased.get(device);
    if (moved === undefined) {
      moved = { ...device, vendor: info };
      rebased.set(device, moved);
    }
    devices.set(model, moved);
  }
  for (const entry of data.devices) {
    const overridden = entry.models.map((model) => devices.get(normalizeModel(model))).find((d) => d !== undefined);
    const merged: DeviceEntry = overridden === undefined
      ? entry
      : { ...overridden.entry, ...entry, models: [...new Set([...overridden.entry.models, ...entry.models])] };
    const device: RegisteredDevice = {
      entry: merged,
      vendor: info,
      announced: merged.announced === undefined ? null : parsePartialDate(merged.announced),
      released: merged.released === undefined ? null : parsePartialDate(merged.released),
      registryFile: file,
    };
    for (const model of merged.models) devices.set(normalizeModel(model), device);
  }
  vendors.set(key, { info, devices });
}
