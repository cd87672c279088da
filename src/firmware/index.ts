import type { FirmwareBuild } from "../record.js";
import type { FirmwareScheme, ParsedBuild } from "./scheme.js";
import { sonyFirmware } from "./sony.js";

export type { FirmwareScheme, ParsedBuild } from "./scheme.js";
export { compareBuilds } from "./scheme.js";

/** Every vendor scheme, by id. Registry files name theirs with `firmwareScheme`. */
export const firmwareSchemes = {
  sony: sonyFirmware,
} satisfies Record<string, FirmwareScheme>;

export type FirmwareSchemeId = keyof typeof firmwareSchemes;

export function isFirmwareSchemeId(id: string): id is FirmwareSchemeId {
  return Object.hasOwn(firmwareSchemes, id);
}

/** The scheme that reads Software strings for a Make, if any. */
export function schemeForMake(make: string | null): FirmwareScheme | null {
  if (make === null) return null;
  const wanted = make.trim().toLowerCase();
  return Object.values(firmwareSchemes).find((scheme) => scheme.makes.includes(wanted)) ?? null;
}

/** Reads the firmware build in a Software tag for the given Make; null when no scheme knows it. */
export function readFirmware(make: string | null, software: string | null): FirmwareBuild | null {
  if (software === null) return null;
  const scheme = schemeForMake(make);
  const parsed: ParsedBuild | null = scheme?.parse(software) ?? null;
  if (scheme === null || parsed === null) return null;
  return { vendor: scheme.id, build: parsed.build, suffix: parsed.suffix };
}
