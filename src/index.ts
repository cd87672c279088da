/**
 * exifhunt as a library: `import { scan } from "exifhunt"`.
 */
export { analyze, rules, verdictFor, type Analysis, type AnalysisContext, type Rule } from "./analyze/index.js";
export { flickrResizedCopy, type FlickrResizedCopy, type Publication } from "./analyze/index.js";
export { ExifhuntError, RegistryError, UsageError, type RegistryProblem } from "./errors.js";
export { detectFormat, extractSample, metadataExtent, MetadataError, type Extraction, type ImageFormat } from "./extract/index.js";
export { compareBuilds, firmwareSchemes, readFirmware, type FirmwareScheme, type ParsedBuild } from "./firmware/index.js";
export * from "./record.js";
export {
  DeviceRegistry,
  loadRegistry,
  normalizeModel,
  parsePartialDate,
  validateRegistry,
  type DeviceEntry,
  type LoadRegistryOptions,
  type LookupResult,
  type RegisteredDevice,
  type RegistryFile,
} from "./registry/index.js";
export { FORMATS, reporters, type Format, type Reporter, type Sink } from "./report/index.js";
export {
  scan,
  scanStream,
  type ScanEvent,
  type ScanOptions,
  type ScanProgress,
  type ScanResult,
  type ScanSummary,
} from "./scan.js";
export { expandInputs, fileSource, type OpenedSource, type PhotoSource } from "./sources/index.js";
export {
  DEFAULT_HTTP_OPTIONS,
  DEFAULT_URL_MAX_BYTES,
  HttpClient,
  isUrlInput,
  readInputList,
  SourceError,
  urlSource,
  USER_AGENT,
  type ExpandOptions,
  type HttpOptions,
  type UrlSourceOptions,
} from "./sources/index.js";
