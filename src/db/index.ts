export { BATCH_MS, busyTimeoutFrom, DEFAULT_BUSY_TIMEOUT_MS, BATCH_RECORDS, DatabaseError, deviceKey, HuntLog, migrate, recordDigest, ScanSession, type ScanInfo, type ScanStatus, type ScanTotals } from "./huntlog.js";
export { APPLICATION_ID, LATEST_VERSION, MIGRATIONS } from "./schema.js";
