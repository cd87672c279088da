/** The hunt log (docs/database.md): what the CLI, watch and the library use of it. */
export { busyTimeoutFrom, DatabaseError, DEFAULT_BUSY_TIMEOUT_MS } from "./errors.js";
export { HuntLog, migrate } from "./huntlog.js";
export { deviceKey } from "./records.js";
export { APPLICATION_ID, LATEST_VERSION, MIGRATIONS, type Migration } from "./schema.js";
export { madeWith, ScanLog, type ScanLogOptions } from "./scan-log.js";
export { BATCH_MS, BATCH_RECORDS, ScanSession, type ScanInfo, type ScanStatus, type ScanTotals } from "./session.js";
export { loggedRecords, type LoggedRecord } from "./logged.js";
