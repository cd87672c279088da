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
  const { beyond } = lookup;
  if (beyond !== undefined) {
    return [
      {
        code: "unknown-model",
        severity: "high",
        message: `model ${sample.model} is not a known ${lookup.vendor.vendor} device, and its generation (${beyond.generation}) in the ${beyond.scheme} is past every listed one (latest ${beyond.latest}: ${beyond.latestModel}): an unannounced next-generation device`,
      },
    ];
  }
  if (!lookup.inCoverage) return [];
  const pattern = lookup.vendor.coverage?.source ?? "";
  return [
    {
      code: "unknown-model",
      severity: "high",
      message: `model ${sample.model} is not a known ${lookup.vendor.vendor} device, yet it follows the ${lookup.vendor.vendor} numbering the registry lists completely (${pattern}): an unannounced device`,
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
