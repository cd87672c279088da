import type { FirmwareScheme, ParsedBuild } from "./scheme.js";

/**
 * Sony Xperia builds: `14.2.A.0.204`, `17.1.1.A.0.402`, `17.1.A.2.55_9_f300`.
 * A software line shared by a device family (14 = Z1 family), a minor number that rises with each
 * Android release, sometimes a third number, a stream letter (A global; others vary, no fixed
 * meaning, so it is not compared), then two counters. The camera app appends `_…` after the build
 * (domain/sony-xperia.md): kept as the suffix, never compared.
 */
const SONY_BUILD = /^(\d{1,4}(?:\.\d{1,4}){1,3})\.([A-Z])\.(\d{1,6})\.(\d{1,6})(?:_(.*))?$/s;

/** Version fields before the stream letter, padded so 17.1.A… and 17.1.1.A… line up. */
const VERSION_FIELDS = 3;

export const sonyFirmware: FirmwareScheme = {
  id: "sony",
  makes: ["sony"],
  parse(software: string): ParsedBuild | null {
    const match = SONY_BUILD.exec(software.trim());
    if (match === null) return null;
    const [, version = "", stream = "", first = "", second = "", suffix] = match;
    const versionFields = version.split(".").map(Number);
    while (versionFields.length < VERSION_FIELDS) versionFields.push(0);
    return {
      build: `${version}.${stream}.${first}.${second}`,
      suffix: suffix === undefined || suffix === "" ? null : suffix,
      key: [...versionFields, Number(first), Number(second)],
      family: "sony",
      line: String(versionFields[0]),
    };
  },
};
