import { hasCameraIdentity } from "../record.js";
import type { Rule } from "./context.js";

/**
 * An unknown model is news only where the vendor's registry claims to be complete (its coverage):
 * elsewhere (a Cyber-shot, a phone from before the registry's years) it is merely unregistered.
 */
export const unknownModelRule: Rule = ({ sample, lookup }) => {
  if (lookup.kind !== "unknown-model" || !lookup.inCoverage || sample.model === null) return [];
  const vendor = lookup.vendor.vendor;
  return [
    {
      code: "unknown-model",
      severity: "high",
      // Plain words for the coverage: its regular expression means nothing to a reader.
      message: `model ${sample.model} is not a known ${vendor} device, yet it is numbered like the ${vendor} models the registry lists completely: an unannounced device`,
    },
  ];
};

export const noCameraMetadataRule: Rule = ({ sample }) => {
  if (hasCameraIdentity(sample)) return [];
  return [
    {
      code: "no-camera-metadata",
      severity: "info",
      message: "no camera make or model in the file: photo sites strip metadata from resized copies, so this is evidence of nothing",
    },
  ];
};
