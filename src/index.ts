/**
 * exifhunt as a library: `import { scan } from "exifhunt"`.
 */
export { analyze, rules, verdictFor, withDoubts, type Analysis, type AnalysisContext, type AnalysisInputs, type Rule } from "./analyze/index.js";
export { flickrResizedCopy, type FlickrResizedCopy, type Publication } from "./analyze/index.js";
export { siblingFindings, withSiblingFindings } from "./analyze/siblings.js";
export { resolveRegistryFiles, type RegistrySourceOptions } from "./config.js";
export { ExifhuntError, RegistryError, UsageError, type RegistryProblem } from "./errors.js";
export { detectFormat, extractSample, metadataExtent, MetadataError, type Extraction, type ImageFormat } from "./extract/index.js";
export { fromHttpDate, type Evidence, type EvidenceDates } from "./extract/authenticity.js";
export { compareBuilds, firmwareSchemes, readFirmware, type FirmwareScheme, type ParsedBuild } from "./firmware/index.js";
export * from "./record.js";
export {
  DeviceRegistry,
  loadRegistry,
  normalizeModel,
  parsePartialDate,
  readRegistryFile,
  validateRegistry,
  type DeviceEntry,
  type DeviceStatus,
  type LoadRegistryOptions,
  type LookupResult,
  type MatchKind,
  type RegisteredDevice,
  type RegistryFile,
  type RegistryLayer,
} from "./registry/index.js";
export { lookupPair, type LookupAnswer, type LookupQuery } from "./lookup.js";
export { FORMATS, reporters, type Format, type Reporter, type Sink } from "./report/index.js";
export { scan, scanSourceBatches, scanSources, scanStream, type ScanOptions, type ScanProgress, type ScanResult, type ScanSources } from "./scan.js";
export { RecordText, recordHead, recordJson, withScanWideChecks, withScanWideChecksInBatches, type RecordEvent, type RecordHead, type ScanEvent, type ScanSummary } from "./events.js";
export { expandInputChunks, expandInputs, fileSource, memorySource, type OpenedSource, type PhotoSource } from "./sources/index.js";
// Reports (html, md): the model, its renderers, the evidence they read, saved scans.
export { photoEvidence, type PhotoEvidenceOptions } from "./photo-evidence.js";
export {
  buildReportModel,
  escapeHtml,
  escapeMarkdown,
  renderHtml,
  renderMarkdown,
  type Evidence as ReportEvidence,
  type EvidenceProvider,
  type ReportInputs,
  type ReportModel,
} from "./report/index.js";
export { openRecordSource, readSavedScan, SavedScanError } from "./sources/index.js";
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
// The hunt log (docs/database.md): a scan's `reuse` hook and newness from a SQLite file.
export { DatabaseError, HuntLog, madeWith, ScanLog, ScanSession, type ScanLogOptions, type ScanTotals } from "./db/index.js";
// Sightings (docs/sightings.md): records grouped by device, copies merged, first publication.
export { buildSightings, SightingsBuilder, type Publication as SightingPublication, type Sighting, type SightingPhoto } from "./sightings/index.js";
export { parseGalleryDlSidecar, readSidecar } from "./sources/index.js";
