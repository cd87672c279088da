export { fileSource } from "./file.js";
export type { OpenedSource, PhotoSource } from "./types.js";
export { expandInputs } from "./walk.js";
