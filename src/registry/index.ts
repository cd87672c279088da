export { DeviceRegistry, type RegistryLayer } from "./build.js";
export { captureDay, formatDay, parsePartialDate, type PartialDate } from "./dates.js";
export { BUNDLED_REGISTRIES, loadRegistry, readRegistryFile, readRegistryLayers, type LoadRegistryOptions } from "./load.js";
export { compactModel, ModelIndex, searchDevices, stripVendorPrefix, type Match } from "./match.js";
export type { DeviceEntry, DeviceStatus, FirmwareEntry, LookupResult, MatchKind, RegisteredDevice, RegistryFile, VendorInfo } from "./types.js";
export { normalizeModel, REGISTRY_SCHEMA_URL, validateRegistry } from "./validate.js";
