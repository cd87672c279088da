/**
 * The hashing thread (file-hasher.ts): SHA-256 of local files by descriptor. Descriptors belong to
 * the process, so the file hashed is the one triage opened and judged, even if its name has since
 * been given to another file; the scan's thread keeps it open until the answer comes back.
 */
import { parentPort } from "node:worker_threads";
import { errnoCode } from "../errors.js";
import type { HashAnswer, HashJob } from "./file-hasher.js";
import { sha256OfDescriptor } from "./sha256.js";

const port = parentPort;
port?.on("message", (job: HashJob) => {
  let answer: HashAnswer;
  try {
    answer = { id: job.id, ...sha256OfDescriptor(job.fd) };
  } catch (error: unknown) {
    const code = errnoCode(error);
    answer = { id: job.id, error: { message: error instanceof Error ? error.message : String(error), ...(code === undefined ? {} : { code }) } };
  }
  port.postMessage(answer);
});
