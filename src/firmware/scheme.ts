/**
 * Firmware build schemes, one module per vendor behind one interface, so that a new vendor is a new
 * module and a registry file, never a change to the analysis.
 */
import { BoundedMemo } from "../util/memo.js";

export interface ParsedBuild {
  /** The comparable build, without any camera-app suffix. */
  readonly build: string;
  /** Text a camera app appended to the build (kept as evidence, never compared); null when none. */
  readonly suffix: string | null;
  /** Sort key: builds compare field by field as numbers. */
  readonly key: readonly number[];
  /** Build families whose keys can be compared (Sony: all; a vendor may separate lines). */
  readonly family: string;
  /**
   * The software line a device family shares (Sony: the first number, `32` for the Z5 family),
   * for schemes that have one: an unknown model on a known line belongs to that family.
   */
  readonly line?: string;
  /**
   * When the build was made, as a partial date (`2014-07`, or `2012` when the code gives no month),
   * for schemes whose build codes carry one (Samsung); absent otherwise (Sony).
   */
  readonly date?: string;
  /** The build's parts decoded for people (`bootloader: "7"`, `major: "C"` …), in display order. */
  readonly details?: Readonly<Record<string, string>>;
}

export interface FirmwareScheme {
  readonly id: string;
  /** EXIF Make values (lower case) whose Software field this scheme reads. */
  readonly makes: readonly string[];
  /**
   * The build in a Software string, or null when the string is not one of this vendor's builds.
   * `models`: model strings the build may begin with (the photo's EXIF Model, the matched device's
   * model numbers). Schemes whose build codes embed the model (Samsung) need them to split the code
   * reliably; others ignore them.
   */
  parse(software: string, models?: readonly string[]): ParsedBuild | null;
}

/** Negative when a < b, positive when a > b, 0 when equal; null when the builds cannot be compared. */
export function compareBuilds(a: ParsedBuild, b: ParsedBuild): number | null {
  if (a.family !== b.family) return null;
  const length = Math.max(a.key.length, b.key.length);
  for (let i = 0; i < length; i++) {
    const difference = (a.key[i] ?? 0) - (b.key[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The scheme, with each parse kept: one phone's Software string is on every photo it took, and
 * three rules and the extraction read it. A parse depends on its arguments alone, and callers
 * never change what it returns (ParsedBuild is read-only).
 */
export function rememberingParses(scheme: FirmwareScheme): FirmwareScheme {
  const kept = new BoundedMemo<ParsedBuild | null>();
  return {
    id: scheme.id,
    makes: scheme.makes,
    parse(software, models = []) {
      const key = models.length === 0 ? software : `${software}\u0000${models.join("\u0000")}`;
      return kept.get(key, () => scheme.parse(software, models));
    },
  };
}
