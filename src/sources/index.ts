export { fileSource } from "./file.js";
export { memorySource } from "./memory.js";
export type { OpenedSource, PhotoSource } from "./types.js";
export { expandInputs } from "./walk.js";
