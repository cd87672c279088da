/**
 * The photo's firmware build against the device's public builds: below the first public build is a
 * pre-launch build; above the last known one is firmware nobody has seen.
 */
import { compareBuilds } from "../firmware/index.js";
import type { Finding } from "../record.js";
import type { Rule } from "./context.js";
import { capturedAfterRelease } from "./dates.js";
import { knownBuilds } from "./known-builds.js";

export const firmwareRule: Rule = ({ sample, lookup }) => {
  if (lookup.kind !== "device" || sample.software === null) return [];
  const { device } = lookup;
  const scheme = device.vendor.firmware;
  const known = device.entry.firmware ?? [];
  if (scheme === null || known.length === 0) return [];
  const models = [...(sample.model === null ? [] : [sample.model]), ...device.entry.models];
  const build = scheme.parse(sample.software, models);
  if (build === null) return [];
  const publicBuilds = knownBuilds(device)
    .filter((parsed) => compareBuilds(parsed, build) !== null)
    .sort((a, b) => compareBuilds(a, b) ?? 0);
  const first = publicBuilds[0];
  const last = publicBuilds.at(-1);
  if (first === undefined || last === undefined) return [];
  const name = device.entry.name;
  const findings: Finding[] = [];
  // With no source for the first public build, a lower build may be an earlier public one.
  const firstKnown = device.entry.firmwareFrom !== "partial";
  if (firstKnown && (compareBuilds(build, first) ?? 0) < 0) {
    // After release, a build older than the first one we know more likely means our list is
    // incomplete than that a prototype was still in use: say so, and do not call it a leak.
    const afterRelease = capturedAfterRelease(device, sample.captured);
    findings.push({
      code: "prerelease-firmware",
      severity: afterRelease ? "low" : "high",
      message: afterRelease
        ? `firmware ${build.build} is older than ${name}'s first public build known to the registry (${first.build}), but the photo was shot after release: likely a build the registry does not list`
        : `firmware ${build.build} is older than ${name}'s first public build (${first.build}): a pre-launch build`,
    });
  } else if ((compareBuilds(build, last) ?? 0) > 0) {
    findings.push({
      code: "unknown-firmware",
      severity: "high",
      message: `firmware ${build.build} is newer than every public build of ${name} the registry knows (latest ${last.build}): firmware nobody has seen`,
    });
  }
  return findings;
};
