/**
 * `exifhunt registry import <source> <path>`: a user registry layer from a local checkout of a
 * public source, so a user can refresh the registry without waiting for a release. Pure: the
 * source files' text in, registry files out (the command reads the files).
 */
import type { RegistryFile } from "../types.js";
import { assembleVendor, type SourceRef, type VendorInputs } from "./assemble.js";
import { parseEndoflife, parseLineageDevice, parsePlayDevices, SourceFormatError, type LineageDevice } from "./sources.js";
import type { ImportSource, VendorId } from "./ids.js";
import { VENDORS, type VendorSpec } from "./vendors.js";

export { assembleVendor, formatRegistry, type OverridesFile, type SourceRef, type VendorInputs } from "./assemble.js";
export { decodeText, parseEndoflife, parseLineageDevice, parsePlayDevices, SourceFormatError } from "./sources.js";
export { IMPORT_SOURCE_IDS, isImportSource, isVendorId, VENDOR_IDS, type ImportSource, type VendorId } from "./ids.js";
export { VENDORS, type VendorSpec } from "./vendors.js";

/** The sources `registry import` reads, and the files of a checkout each one needs. */
export const IMPORT_SOURCES = {
  "google-play": { describe: "Google Play's supported_devices.csv (e.g. a checkout of pajawa/android-devices)", wants: (path: string) => /(^|\/)supported_devices\.csv$/.test(path) },
  endoflife: { describe: "a checkout of endoflife-date/endoflife.date (products/*.md)", wants: (path: string) => /(^|\/)products\/[^/]+\.md$/.test(path) },
  lineage: { describe: "a checkout of LineageOS/lineage_wiki (_data/devices/*.yml)", wants: (path: string) => /(^|\/)_data\/devices\/[^/]+\.yml$/.test(path) },
} satisfies Record<ImportSource, { describe: string; wants: (path: string) => boolean }>;

export interface SourceFile {
  /** Path inside the checkout, with forward slashes. */
  path: string;
  text: string;
}

/** The inputs one source gives (for the build script and the import command alike). */
export function sourceInputs(source: ImportSource, files: readonly SourceFile[], ref: SourceRef, vendor: VendorId): VendorInputs {
  const wanted = files.filter((file) => IMPORT_SOURCES[source].wants(file.path));
  if (source === "google-play") {
    const csv = wanted[0];
    if (csv === undefined) throw new SourceFormatError("no supported_devices.csv found");
    return { play: { rows: parsePlayDevices(csv.text), ref } };
  }
  if (source === "endoflife") {
    const spec: VendorSpec = VENDORS[vendor];
    const product = spec.endoflife?.product;
    const page = wanted.find((file) => file.path.endsWith(`products/${product ?? ""}.md`));
    if (product === undefined || page === undefined) return {};
    return { endoflife: { releases: parseEndoflife(page.text), ref, file: `products/${product}.md` } };
  }
  const devices = wanted.map((file) => parseLineageDevice(file.text)).filter((device): device is LineageDevice => device !== null);
  return { lineage: { devices, ref } };
}

/**
 * A user layer for one vendor from one source. Every device it lists is on sale (Google Play
 * certifies devices for sale; the other sources list released phones), so each dateless device is
 * marked released: a user layer's dateless device would otherwise count as rumoured.
 */
export function importLayer(source: ImportSource, files: readonly SourceFile[], ref: SourceRef, vendor: VendorId): RegistryFile {
  const spec = VENDORS[vendor];
  // The numbering rules (coverage, variants, generations) stay with the bundled files: a layer adds facts.
  const assembled = assembleVendor(spec, sourceInputs(source, files, ref, vendor), null);
  const layer: RegistryFile = { ...assembled };
  delete layer.coverage;
  delete layer.modelVariants;
  delete layer.generations;
  return {
    ...layer,
    provenance: (assembled.provenance ?? []).filter((entry) => entry.repository !== "exifhunt"),
    $schema: "https://exifhunt.dev/schema/registry.schema.json",
    version: `${source}@${ref.commit.slice(0, 12)}`,
    notes: `Imported by exifhunt registry import ${source} from ${ref.repository}@${ref.commit}.`,
    devices: layer.devices.map((device) => (device.announced === undefined && device.released === undefined ? { ...device, status: "released" } : device)),
  };
}
