import { hasCameraIdentity } from "../record.js";
import type { Rule } from "./context.js";

/**
 * An unknown model is news only where the vendor's registry claims to be complete (its coverage):
 * elsewhere (a Cyber-shot, a phone from before the registry's years) it is merely unregistered.
 * The strongest case is a model that follows a vendor's numbering one generation past every device
 * the registry lists (XQ-HA54 after the XQ-G… phones, SM-S958B after the S26's SM-S94x, "Pixel 12"):
 * no list can be incomplete about a generation that has not been announced.
 */
export const unknownModelRule: Rule = ({ sample, lookup }) => {
  if (lookup.kind !== "unknown-model" || sample.model === null) return [];
  const vendor = lookup.vendor.vendor;
  const { beyond } = lookup;
  if (beyond !== undefined) {
    return [
      {
        code: "unknown-model",
        severity: "high",
        message: `model ${sample.model} is not a known ${vendor} device, and it is numbered a generation past every ${vendor} phone the registry knows: in the ${beyond.scheme}, its generation is ${beyond.generation} and the latest known is ${beyond.latest}: an unannounced next-generation device`,
      },
    ];
  }
  if (!lookup.inCoverage) return [];
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
