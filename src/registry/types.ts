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

export interface DeviceEntry {
  name: string;
  codename?: string;
  models: string[];
  status?: "rumoured" | "announced" | "released";
  announced?: string;
  released?: string;
  camera?: {
    megapixels?: number;
    modes?: [number, number][];
    focalLength?: number[];
  };
  firmware?: FirmwareEntry[];
  sources?: string[];
  notes?: string;
}

export interface RegistryFile {
  $schema?: string;
  vendor: string;
  version?: string;
  makes?: string[];
  firmwareScheme?: string;
  coverage?: { modelPattern: string; note?: string };
  devices: DeviceEntry[];
}

export interface VendorInfo {
  vendor: string;
  /** Lower-cased EXIF Make values. */
  makes: readonly string[];
  coverage: RegExp | null;
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
}

export type LookupResult =
  | { kind: "device"; device: RegisteredDevice }
  /** The Make belongs to a registered vendor but the model is not listed. */
  | { kind: "unknown-model"; vendor: VendorInfo; inCoverage: boolean }
  | { kind: "unregistered" };
