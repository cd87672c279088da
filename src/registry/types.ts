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
  /** Where the build was seen (a URL, or repository@commit:path). */
  source?: string;
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
  /**
   * "first-public" (the default): the lowest listed build is the first public one, so a lower
   * build is pre-launch. "partial": no source shows the first public build, so a lower build says
   * nothing (older public builds exist that the list lacks).
   */
  firmwareFrom?: "first-public" | "partial";
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
  generations?: GenerationScheme[];
  /** Where the file's facts come from: each source's repository, commit and licence. */
  provenance?: { repository: string; commit: string; licence: string; files?: string[]; note?: string }[];
  notes?: string;
  devices: DeviceEntry[];
}

/**
 * A numbering scheme with a generation in it (Sony XQ-AT52: A = 2020; Samsung SM-S931B: 3 = S25;
 * "Pixel 9 Pro": 9). `pattern`'s first capture group is the generation; generations compare as
 * numbers when both are digits, else by length then alphabetically (A < B … < Z).
 */
export interface GenerationScheme {
  pattern: string;
  /** What the scheme is called in messages ("Sony XQ numbering: second letter = year"). */
  name: string;
  /**
   * A generation known to exist though no listed model has it yet (a year letter of the current
   * year, a family announced after the sources were taken): models up to it are never "past".
   */
  latest?: string;
  note?: string;
}

export interface VendorGenerations {
  name: string;
  pattern: RegExp;
  /** The latest generation any listed model of the scheme has, and one such model. */
  latest: string;
  latestModel: string;
}

export interface VendorInfo {
  vendor: string;
  /** Lower-cased EXIF Make values. */
  makes: readonly string[];
  coverage: RegExp | null;
  /** Splits a model into the base its region and carrier variants share (first capture group). */
  variants: RegExp | null;
  firmware: FirmwareScheme | null;
  /** Numbering schemes with generations, as the layers declare them (settled in DeviceRegistry.build). */
  generationSchemes: readonly { name: string; pattern: RegExp; latest: string | null }[];
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
  | { readonly kind: "device"; readonly device: RegisteredDevice; readonly match: MatchKind }
  /** The Make belongs to a registered vendor but the model is not listed. */
  | {
      readonly kind: "unknown-model";
      readonly vendor: VendorInfo;
      readonly inCoverage: boolean;
      /** Set when the model follows a numbering scheme one or more generations past every listed model. */
      readonly beyond?: { readonly scheme: string; readonly generation: string; readonly latest: string; readonly latestModel: string };
    }
  | { readonly kind: "unregistered" };
