/**
 * An unknown model's firmware against the vendor's known devices. A prototype runs its family's
 * software: Sony's builds begin with a software line shared by a device family (32 for the Z5
 * family, domain/sony-xperia.md), and a prototype often runs the very build a released sibling
 * shipped. The staged E9999 runs 32.1.A.1.185, the Xperia Z5 Compact's public build: the unknown
 * model belongs to the Z5 family, and most likely is a Z5 Compact variant. Context for the
 * journalist, never a verdict by itself (severity low).
 */
import type { Finding } from "../record.js";
import type { RegisteredDevice } from "../registry/index.js";
import type { Rule } from "./context.js";
import { knownBuilds } from "./known-builds.js";

/** Devices named in one sentence; the rest are counted. */
const MAX_NAMED = 4;

export interface FirmwareLink {
  /** The build as compared (no camera-app suffix). */
  build: string;
  /** The software line, when the scheme has one. */
  line: string | null;
  /** Devices that list this very build among their public builds, in registry order. */
  sameBuild: RegisteredDevice[];
  /** The other devices with public builds on the same software line, in registry order. */
  sameLine: RegisteredDevice[];
}

/**
 * Which of the vendor's devices list the build itself, and which list builds on its software
 * line; null when none does or the vendor has no firmware scheme. Pure: the devices come from the
 * registry.
 */
export function firmwareLink(software: string, model: string | null, devices: readonly RegisteredDevice[]): FirmwareLink | null {
  const scheme = devices[0]?.vendor.firmware ?? null;
  if (scheme === null) return null;
  const build = scheme.parse(software, model === null ? [] : [model]);
  if (build === null) return null;
  const sameBuild: RegisteredDevice[] = [];
  const sameLine: RegisteredDevice[] = [];
  for (const device of devices) {
    const known = knownBuilds(device);
    if (known.some((parsed) => parsed.build === build.build)) sameBuild.push(device);
    else if (build.line !== undefined && known.some((parsed) => parsed.line === build.line)) sameLine.push(device);
  }
  if (sameBuild.length === 0 && sameLine.length === 0) return null;
  return { build: build.build, line: build.line ?? null, sameBuild, sameLine };
}

/** `Xperia Z5, Xperia Z5 Compact and Xperia Z5 Premium`; past MAX_NAMED, the rest are counted. */
export function deviceNames(devices: readonly RegisteredDevice[]): string {
  const named = devices.slice(0, MAX_NAMED).map((device) => device.entry.name);
  const more = devices.length - named.length;
  const all = more > 0 ? [...named, `${String(more)} more`] : named;
  return all.length <= 1 ? (all[0] ?? "") : `${all.slice(0, -1).join(", ")} and ${all.at(-1) ?? ""}`;
}

export function describeFirmwareLink(link: FirmwareLink, model: string): string {
  if (link.sameBuild.length > 0) {
    const line = link.line === null ? "" : link.sameLine.length === 0
      ? ` (software line ${link.line})`
      : ` (software line ${link.line}, which ${deviceNames(link.sameLine)} also run${link.sameLine.length === 1 ? "s" : ""})`;
    return `firmware ${link.build} is a public build of ${deviceNames(link.sameBuild)}${line}: the unknown model ${model} runs that software, so it belongs to that family`;
  }
  return `firmware ${link.build} is on software line ${link.line ?? "?"}, the line of ${deviceNames(link.sameLine)}: the unknown model ${model} belongs to that family`;
}

/** For unknown models of a registered vendor: the known devices its firmware links it to. */
export const firmwareLinkRule: Rule = ({ sample, lookup, vendorDevices }) => {
  if (lookup.kind !== "unknown-model" || sample.software === null || sample.model === null || vendorDevices === undefined) return [];
  const link = firmwareLink(sample.software, sample.model, vendorDevices);
  if (link === null) return [];
  const finding: Finding = { code: "firmware-of-known-device", severity: "low", message: describeFirmwareLink(link, sample.model) };
  return [finding];
};
