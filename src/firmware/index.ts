import type { FirmwareBuild } from "../record.js";
import { memoized } from "../util/memo.js";
import { samsungFirmware } from "./samsung.js";
import { rememberingParses, type FirmwareScheme, type ParsedBuild } from "./scheme.js";
import { sonyFirmware } from "./sony.js";

export type { FirmwareScheme, ParsedBuild } from "./scheme.js";
export { compareBuilds } from "./scheme.js";

/** Every vendor scheme, by id. Registry files name theirs with `firmwareScheme`. */
export const firmwareSchemes = {
  sony: rememberingParses(sonyFirmware),
  samsung: rememberingParses(samsungFirmware),
} satisfies Record<string, FirmwareScheme>;

export type FirmwareSchemeId = keyof typeof firmwareSchemes;

export function isFirmwareSchemeId(id: string): id is FirmwareSchemeId {
  return Object.hasOwn(firmwareSchemes, id);
}

/** The scheme that reads Software strings for a Make, if any. */
export function schemeForMake(make: string | null): FirmwareScheme | null {
  return make === null ? null : knownScheme(make);
}

/** The schemes searched once per distinct Make, not for every photo of a dump (util/memo.ts). */
const knownScheme = memoized((make: string): FirmwareScheme | null => {
  const wanted = make.trim().toLowerCase();
  return Object.values(firmwareSchemes).find((scheme) => scheme.makes.includes(wanted)) ?? null;
});

/**
 * Reads the firmware build in a Software tag for the given Make; null when no scheme knows it.
 * `model` (the EXIF Model) helps schemes whose build codes begin with the model number (Samsung).
 */
export function readFirmware(make: string | null, software: string | null, model: string | null = null): FirmwareBuild | null {
  if (software === null) return null;
  const scheme = schemeForMake(make);
  const parsed: ParsedBuild | null = scheme?.parse(software, model === null ? [] : [model]) ?? null;
  if (scheme === null || parsed === null) return null;
  const build: FirmwareBuild = { vendor: scheme.id, build: parsed.build, suffix: parsed.suffix };
  // Only schemes whose codes carry a date add the key, so other vendors' records keep their shape.
  if (parsed.date !== undefined) build.date = parsed.date;
  return build;
}
