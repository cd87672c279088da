/**
 * One vendor's registry file from the public sources and the hand-kept overrides. Pure and
 * deterministic: the same inputs give the same file, byte for byte (see scripts/registry/build.ts).
 *
 * Order of trust: an override (a hand-kept fact with its citation) wins over every source; Google
 * Play's list gives model numbers and names; endoflife.date gives release dates with links; the
 * LineageOS wiki gives codenames and, where nothing else does, a release month.
 */
import { compactModel, stripVendorPrefix } from "../match.js";
import type { DeviceEntry, RegistryFile } from "../types.js";
import type { EolRelease, LineageDevice, PlayDevice } from "./sources.js";
import { cleanName, nameKey } from "./names.js";
import type { VendorSpec } from "./vendors.js";

export interface SourceRef {
  repository: string;
  commit: string;
  licence: string;
  files?: string[];
  note?: string;
}

export interface VendorInputs {
  play?: { rows: readonly PlayDevice[]; ref: SourceRef };
  endoflife?: { releases: readonly EolRelease[]; ref: SourceRef; file: string };
  lineage?: { devices: readonly LineageDevice[]; ref: SourceRef };
}

/** A hand-kept device: any DeviceEntry fields, each backed by `sources`. */
export type DeviceOverride = Partial<DeviceEntry> & { name: string };

export interface OverridesFile {
  vendor: string;
  version?: string;
  notes?: string;
  devices: DeviceOverride[];
}


const short = (commit: string): string => commit.slice(0, 12);

class Devices {
  readonly list: DeviceEntry[] = [];
  readonly #byModel = new Map<string, DeviceEntry>();
  readonly #byName = new Map<string, DeviceEntry>();

  add(entry: DeviceEntry): DeviceEntry {
    this.list.push(entry);
    this.#byName.set(nameKey(entry.name), entry);
    for (const model of entry.models) this.#byModel.set(compactModel(model), entry);
    return entry;
  }

  addModel(entry: DeviceEntry, model: string): void {
    if (this.#byModel.has(compactModel(model))) return;
    entry.models.push(model);
    this.#byModel.set(compactModel(model), entry);
  }

  byModel(model: string): DeviceEntry | undefined {
    return this.#byModel.get(compactModel(model));
  }

  byName(name: string): DeviceEntry | undefined {
    return this.#byName.get(nameKey(name));
  }

  /** Whether a string is another device's model, name or alias (so it cannot be this one's alias). */
  claimedElsewhere(text: string, entry: DeviceEntry): boolean {
    const key = compactModel(text);
    return this.list.some((other) => other !== entry
      && [other.name, ...other.models, ...(other.aliases ?? [])].some((value) => compactModel(value) === key));
  }
}

function addSource(entry: DeviceEntry, source: string): void {
  entry.sources ??= [];
  if (!entry.sources.includes(source)) entry.sources.push(source);
}

/** Builds one vendor's registry file. */
export function assembleVendor(spec: VendorSpec, inputs: VendorInputs, overrides: OverridesFile | null): RegistryFile {
  const devices = new Devices();
  // Overrides first: their names and model lists are the curated ones the sources add to.
  for (const override of overrides?.devices ?? []) {
    const copy: DeviceEntry = structuredClone({ ...override, models: [...(override.models ?? [])] });
    devices.add(copy);
  }
  const pendingAliases: [DeviceEntry, string][] = [];

  if (inputs.endoflife !== undefined && spec.endoflife?.model !== undefined) {
    // Vendors whose EXIF Model is the marketing name (Pixel, iPhone): every release is a device.
    const toModel = spec.endoflife.model;
    for (const release of inputs.endoflife.releases) {
      const model = toModel(release.label);
      if (model === null || devices.byModel(model) !== undefined || devices.byName(model) !== undefined) continue;
      devices.add({ name: model, models: [model] });
    }
  }

  if (inputs.play !== undefined) {
    const play = spec.play;
    const ref = inputs.play.ref;
    const rows = inputs.play.rows
      .filter((row) => play !== undefined && play.brands.some((brand) => brand.toLowerCase() === row.brand.toLowerCase()) && play.phone(row))
      .map((row) => ({ row, name: play?.name?.(row) ?? cleanName(row.name), marketing: cleanName(row.name) }))
      .filter(({ name }) => name !== "")
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.row.model < b.row.model ? -1 : a.row.model > b.row.model ? 1 : 0));
    const playSource = `models: Google Play supported devices (${ref.repository}@${short(ref.commit)})`;
    const prefixes = [spec.vendor, ...spec.makes];
    // AT&T's phones write "SAMSUNG-SGH-I747": the phone whose list has SGH-I747.
    const known = (model: string): DeviceEntry | undefined => {
      const bare = stripVendorPrefix(model, prefixes);
      return devices.byModel(model) ?? (bare === null ? undefined : devices.byModel(bare));
    };
    // A name whose listed models all belong to one known device is that device (Galaxy S20 5G's
    // Japanese SCG01 joins the Galaxy S20 that lists SM-G981B): decided before any row is added.
    const byGroup = new Map<string, DeviceEntry | null>();
    for (const { row, name } of rows) {
      const found = known(row.model);
      if (found === undefined) continue;
      const key = nameKey(name);
      const seen = byGroup.get(key);
      byGroup.set(key, seen === undefined || seen === found ? found : null);
    }
    for (const { row, name, marketing } of rows) {
      let entry = known(row.model) ?? byGroup.get(nameKey(name)) ?? undefined;
      if (entry !== undefined && devices.byModel(row.model) === undefined) {
        devices.addModel(entry, row.model);
        addSource(entry, playSource);
      }
      if (entry === undefined) {
        entry = devices.byName(name) ?? devices.add({ name, models: [] });
        devices.addModel(entry, row.model);
        addSource(entry, playSource);
      }
      if (marketing !== "" && nameKey(marketing) !== nameKey(entry.name)) pendingAliases.push([entry, marketing]);
    }
  }

  if (inputs.endoflife !== undefined && spec.endoflife !== undefined) {
    const { ref, file } = inputs.endoflife;
    for (const release of inputs.endoflife.releases) {
      const name = spec.endoflife.name(release.label);
      if (name === null) continue;
      const linked = release.link === null ? undefined : spec.endoflife.linkModel?.exec(release.link)?.[1];
      let entry = devices.byName(name) ?? devices.byModel(name) ?? (linked === undefined ? undefined : devices.byModel(linked));
      if (linked !== undefined) {
        // The vendor's own document for the phone names one of its model numbers.
        entry ??= devices.add({ name: cleanName(name), models: [] });
        if (devices.byModel(linked) === undefined) {
          devices.addModel(entry, linked);
          addSource(entry, `models: ${release.link ?? ""}`);
        }
      }
      if (entry === undefined || release.releaseDate === null) continue;
      // Only where nothing more trusted dated the phone: the source is cited only for what it gave.
      if (entry.released === undefined) {
        entry.released = release.releaseDate;
        addSource(entry, `released: ${release.dateSource ?? release.link ?? `${ref.repository}@${short(ref.commit)}:${file}`}`);
        addSource(entry, `name, released: ${ref.repository}@${short(ref.commit)}:${file} (${release.cycle})`);
      }
    }
  }

  if (inputs.lineage !== undefined) {
    const ref = inputs.lineage.ref;
    const mine = inputs.lineage.devices
      .filter((device) => device.vendor.toLowerCase() === (spec.lineageVendor ?? spec.vendor).toLowerCase())
      .sort((a, b) => (a.codename < b.codename ? -1 : a.codename > b.codename ? 1 : 0));
    for (const device of mine) {
      const fullName = spec.lineageName?.(device.name) ?? device.name;
      const where = `${ref.repository}@${short(ref.commit)}:_data/devices/${device.codename}.yml`;
      let entry = device.models.map((model) => devices.byModel(model)).find((found) => found !== undefined) ?? devices.byName(fullName);
      let used = false;
      if (entry === undefined) {
        // A phone only the wiki lists (newer than Google Play's list): its models are the wiki's.
        if (device.models.length === 0 || (device.type !== null && device.type !== "phone")) continue;
        entry = devices.add({ name: cleanName(fullName), models: [] });
      }
      for (const model of device.models) {
        if (devices.byModel(model) === undefined) {
          devices.addModel(entry, model);
          addSource(entry, `models: ${where}`);
        }
      }
      if (entry.codename === undefined) {
        entry.codename = device.codename;
        used = true;
      }
      // The wiki's release is sometimes the announcement: used only where no other source dates the device.
      if (entry.released === undefined && entry.announced === undefined && device.release !== null) {
        entry.released = device.release;
        addSource(entry, `released (LineageOS wiki; may be the announcement): ${where}`);
        used = true;
      }
      if (used) addSource(entry, `codename: ${where}`);
    }
  }

  for (const [entry, alias] of pendingAliases) {
    // Already one of the device's own strings (a model written as its name, "Mi 4c"): nothing to add.
    if ([entry.name, ...entry.models, ...(entry.aliases ?? [])].some((own) => nameKey(own) === nameKey(alias))) continue;
    if (devices.claimedElsewhere(alias, entry)) continue;
    entry.aliases = [...(entry.aliases ?? []), alias];
  }

  const provenance = [inputs.play?.ref, inputs.endoflife?.ref, inputs.lineage?.ref].filter((ref): ref is SourceRef => ref !== undefined);
  const file: RegistryFile = {
    $schema: "../schema/registry.schema.json",
    vendor: spec.vendor,
    ...(overrides?.version === undefined ? {} : { version: overrides.version }),
    makes: spec.makes,
    ...(spec.firmwareScheme === undefined ? {} : { firmwareScheme: spec.firmwareScheme }),
    ...(spec.coverage === undefined ? {} : { coverage: spec.coverage }),
    ...(spec.modelVariants === undefined ? {} : { modelVariants: spec.modelVariants }),
    ...(spec.generations === undefined ? {} : { generations: spec.generations }),
    provenance: [
      ...provenance,
      ...(overrides === null ? [] : [{ repository: "exifhunt", commit: "-", licence: "the project's", files: [`scripts/registry/overrides/${spec.file}`], note: "hand-kept facts, each with its citation in the device's sources" }]),
    ],
    notes: [spec.notes, overrides?.notes].filter((note) => note !== undefined && note !== "").join(" "),
    devices: devices.list.filter((entry) => entry.models.length > 0).map(tidy),
  };
  return file;
}

/** Fields in one fixed order, so the output does not depend on where each fact came from. */
function tidy(entry: DeviceEntry): DeviceEntry {
  const order: (keyof DeviceEntry)[] = ["name", "codename", "models", "aliases", "status", "announced", "released", "camera", "firmware", "firmwareFrom", "sources", "unverified", "notes"];
  const out: Record<string, unknown> = {};
  for (const key of order) if (entry[key] !== undefined) out[key] = entry[key];
  return out as unknown as DeviceEntry;
}

/** JSON as the bundled files are written: two-space indent, arrays of plain values on one line. */
export function formatRegistry(file: RegistryFile): string {
  const render = (value: unknown, indent: string): string => {
    if (Array.isArray(value)) {
      if (value.every((item) => typeof item !== "object" || item === null || (Array.isArray(item) && item.every((x) => typeof x !== "object")))) {
        return JSON.stringify(value).replace(/,(?=\S)/g, ", ");
      }
      const inner = indent + "  ";
      return `[\n${value.map((item) => inner + render(item, inner)).join(",\n")}\n${indent}]`;
    }
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      const simple = entries.every(([, v]) => typeof v !== "object" || v === null);
      if (simple && indent.length >= 6) return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")}}`;
      const inner = indent + "  ";
      return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(",\n")}\n${indent}}`;
    }
    return JSON.stringify(value);
  };
  return `${render(file, "")}\n`;
}
