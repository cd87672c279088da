export { fileSource } from "./file.js";
export { memorySource } from "./memory.js";
export type { OpenedSource, PhotoSource } from "./types.js";
export { expandInputs } from "./walk.js";
export { openRecordSource, ReopenUnsupportedError } from "./reopen.js";
export { parseSavedRecord, readSavedScan, recordProblem, SavedScanError } from "./saved.js";
