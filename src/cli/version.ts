/** exifhunt's version (src/version.ts): what a report says made it (report/provenance.ts). */
export { VERSION } from "../version.js";
