/**
 * The registry as files write it (RegistryFile, validated against schema/registry.schema.json)
 * and as exifhunt uses it (DeviceRegistry: layered, indexed, dates parsed).
 */
import type { FirmwareScheme } from "../firmware/index.js";
import type { PartialDate } from "./dates.js";

export interface FirmwareEntry {
  build: string;
  android?: string;
  date?: string;
  note?: string;
}

export type DeviceStatus = "rumoured" | "announced" | "released";

export interface DeviceEntry {
  name: string;
  codename?: string;
  models: string[];
  /** Other strings cameras write as EXIF Model for this device (marketing names, carrier strings). */
  aliases?: string[];
  status?: DeviceStatus;
  announced?: string;
  released?: string;
  camera?: {
    megapixels?: number;
    modes?: [number, number][];
    focalLength?: number[];
  };
  firmware?: FirmwareEntry[];
  sources?: string[];
  /** Fields of this entry (`announced`, `camera.megapixels` …) or model numbers no source backed. */
  unverified?: string[];
  notes?: string;
}

export interface RegistryFile {
  $schema?: string;
  vendor: string;
  version?: string;
  makes?: string[];
  firmwareScheme?: string;
  coverage?: { modelPattern: string; note?: string };
  modelVariants?: { pattern: string; note?: string };
  notes?: string;
  devices: DeviceEntry[];
}

export interface VendorInfo {
  vendor: string;
  /** Lower-cased EXIF Make values. */
  makes: readonly string[];
  coverage: RegExp | null;
  /** Splits a model into the base its region and carrier variants share (first capture group). */
  variants: RegExp | null;
  firmware: FirmwareScheme | null;
  /** `file@version` of every file that contributed, in layer order. */
  versions: readonly string[];
}

/** A device as analysis sees it: the merged entry, its vendor, parsed dates and its origin. */
export interface RegisteredDevice {
  entry: DeviceEntry;
  vendor: VendorInfo;
  announced: PartialDate | null;
  released: PartialDate | null;
  /** The registry file the (last layer of the) entry came from. */
  registryFile: string;
  /** Every registry file that contributed to the entry, in layer order. */
  registryFiles: readonly string[];
  /**
   * What the dates cannot say: the entry's status, else "rumoured" for a device with no dates that a
   * user registry introduced (it counts as unannounced); null when the dates speak, or when a bundled
   * entry has no dates (released, dates unknown).
   */
  status: DeviceStatus | null;
}

/**
 * How a model string as written found its device: listed as a model number or alias (compared
 * without case, spaces, hyphens or a vendor prefix such as `SAMSUNG-`), by the device's name, or as
 * an unlisted region or carrier variant of a listed model number.
 */
export type MatchKind = "model" | "alias" | "name" | "variant";

export type LookupResult =
  | { kind: "device"; device: RegisteredDevice; match: MatchKind }
  /** The Make belongs to a registered vendor but the model is not listed. */
  | { kind: "unknown-model"; vendor: VendorInfo; inCoverage: boolean }
  | { kind: "unregistered" };
