import type { Evidence } from "../extract/evidence.js";
import type { CameraSample, Finding } from "../record.js";
import type { LookupResult } from "../registry/index.js";

/** What every rule sees: the photo's camera metadata and what the registry says about it. */
export interface AnalysisContext {
  sample: CameraSample;
  lookup: LookupResult;
  /** The file's authenticity evidence (dates, XMP trail, maker note, pixels); absent: not read. */
  evidence?: Evidence;
}

/** A rule is a pure function from the context to zero or more findings. */
export type Rule = (context: AnalysisContext) => Finding[];
