export { DeviceRegistry, type RegistryLayer } from "./build.js";
export { captureDay, formatDay, parsePartialDate, type PartialDate } from "./dates.js";
export { BUNDLED_REGISTRIES, loadRegistry, readRegistryLayers, type LoadRegistryOptions } from "./load.js";
export type { DeviceEntry, FirmwareEntry, LookupResult, RegisteredDevice, RegistryFile, VendorInfo } from "./types.js";
export { normalizeModel, REGISTRY_SCHEMA_URL, validateRegistry } from "./validate.js";
