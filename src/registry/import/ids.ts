/**
 * The names `registry import` accepts, apart from the importers themselves: the CLI builds its
 * options from these at start-up and loads the importers only when the command runs.
 */
export const IMPORT_SOURCE_IDS = ["google-play", "endoflife", "lineage"] as const;
export type ImportSource = (typeof IMPORT_SOURCE_IDS)[number];

export const VENDOR_IDS = ["sony", "samsung", "google", "apple", "xiaomi", "oneplus", "motorola", "nothing"] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

export function isImportSource(name: string): name is ImportSource {
  return (IMPORT_SOURCE_IDS as readonly string[]).includes(name);
}

export function isVendorId(id: string): id is VendorId {
  return (VENDOR_IDS as readonly string[]).includes(id);
}
