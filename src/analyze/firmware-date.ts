/**
 * The build date some vendors' firmware codes carry (Samsung: G975FXXU7CTF1 was built in June 2020)
 * against the photo and the device. A build dated after the photo's capture time means the clock or
 * the metadata is wrong; a build dated before the device's announcement is pre-launch software.
 * Dates compare as registry dates do: partial dates by their first and last day, with the day of
 * tolerance EXIF times need (dates.ts).
 */
import { schemeForMake } from "../firmware/index.js";
import type { Finding } from "../record.js";
import { captureDay, formatDay, parsePartialDate, type PartialDate, type RegisteredDevice } from "../registry/index.js";
import type { Rule } from "./context.js";
import { daysBefore, describeDate, TOLERANCE_DAYS, TOLERANCE_NOTE } from "./dates.js";

function describeBuilt(built: PartialDate): string {
  return built.text.length === 4 ? `${built.text} (its code gives no month)` : built.text;
}

function announcement(device: RegisteredDevice, announced: PartialDate): string {
  const unverified = device.entry.unverified?.includes("announced") === true ? ", a date no source confirmed" : "";
  return `${describeDate(announced)}${unverified}`;
}

export const firmwareDateRule: Rule = ({ sample, lookup }) => {
  if (sample.software === null) return [];
  const device = lookup.kind === "device" ? lookup.device : null;
  const scheme = device?.vendor.firmware ?? schemeForMake(sample.make);
  if (scheme === null) return [];
  // The photo's Model and the device's model numbers: what a build code may begin with.
  const models = [...(sample.model === null ? [] : [sample.model]), ...(device?.entry.models ?? [])];
  const build = scheme.parse(sample.software, models);
  const built = build?.date === undefined ? null : parsePartialDate(build.date);
  if (build === null || built === null) return [];
  const findings: Finding[] = [];
  const day = sample.captured === null ? null : captureDay(sample.captured);
  if (day !== null && daysBefore(day, built) > TOLERANCE_DAYS) {
    findings.push({
      code: "date-inconsistent",
      severity: "medium",
      message: `firmware ${build.build} was built in ${describeBuilt(built)}, after the photo's capture time (${formatDay(day)}): the camera's clock or the metadata is wrong, so the capture time proves nothing; ${TOLERANCE_NOTE}`,
    });
  }
  const announced = device?.announced ?? null;
  if (device !== null && announced !== null && daysBefore(built.lastDay, announced) > TOLERANCE_DAYS) {
    const name = device.entry.name;
    // Launch firmware is routinely built weeks before the announcement, and retail phones carry it:
    // the build is evidence only for a photo shot before the phone went on sale.
    const launch = device.released ?? announced;
    const beforeLaunch = day !== null && daysBefore(day, launch) > TOLERANCE_DAYS;
    const onSale = device.released === null ? "was announced" : "went on sale";
    const context = day === null
      ? "; the photo has no capture time, and launch firmware is often built weeks before the announcement: on its own no evidence of a leak"
      : beforeLaunch
        ? `, and the photo was shot ${formatDay(day)}, before ${name} ${onSale} (${describeDate(launch)}): a pre-launch build`
        : `, but the photo was shot ${formatDay(day)}, not before ${name} ${onSale} (${describeDate(launch)}), and launch firmware is often built weeks before the announcement: on its own no evidence of a leak`;
    findings.push({
      code: "prerelease-firmware",
      severity: beforeLaunch ? "high" : "low",
      message: `firmware ${build.build} was built in ${describeBuilt(built)}, before ${name} was announced (${announcement(device, announced)})${context}`,
    });
  }
  return findings;
};
