/**
 * The deep pass: SHA-256 of the whole input, for the chain of custody of a flagged photo.
 */
import { createHash } from "node:crypto";
import type { OpenedSource } from "../sources/index.js";

export async function sha256Of(opened: OpenedSource, counter: { bytes: number }): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of opened.chunks()) {
    hash.update(chunk);
    counter.bytes += chunk.length;
  }
  return hash.digest("hex");
}
