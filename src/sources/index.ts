export { fileSource } from "./file.js";
export { memorySource } from "./memory.js";
export { openRecordSource, ReopenUnsupportedError } from "./reopen.js";
export { parseSavedRecord, readSavedScan, recordProblem, SavedScanError } from "./saved.js";
export { DEFAULT_HTTP_OPTIONS, HttpClient, USER_AGENT, type HttpOptions } from "./http.js";
export { parseByteCount, parseInputLine, readInputList, withInputLists } from "./list.js";
export { SourceError, type OpenedSource, type PhotoSource } from "./types.js";
export { DEFAULT_URL_MAX_BYTES, isUrlInput, urlSource, type UrlSourceOptions } from "./url.js";
export { expandInputs, type ExpandOptions } from "./walk.js";
