/**
 * A registered device's public firmware builds, parsed by its vendor's scheme. The registry does
 * not change during a scan, so each device's list is parsed once, not once per photo: an unknown
 * Sony model's photo compares its build with every Sony device's list (firmware-link.ts).
 */
import type { ParsedBuild } from "../firmware/index.js";
import type { RegisteredDevice } from "../registry/index.js";

const parsed = new WeakMap<RegisteredDevice, readonly ParsedBuild[]>();

/** The device's public builds its vendor's scheme reads, in registry order; [] without a scheme. */
export function knownBuilds(device: RegisteredDevice): readonly ParsedBuild[] {
  let builds = parsed.get(device);
  if (builds === undefined) {
    const scheme = device.vendor.firmware;
    builds = scheme === null
      ? []
      : (device.entry.firmware ?? []).map((entry) => scheme.parse(entry.build, device.entry.models)).filter((build): build is ParsedBuild => build !== null);
    parsed.set(device, builds);
  }
  return builds;
}
