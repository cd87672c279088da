/**
 * The deep pass: SHA-256 of the whole input, for the chain of custody of a flagged photo.
 * A local file of a photo's usual size is read and hashed in libuv's thread pool (fs.read and
 * WebCrypto's digest both run there), so hashing a flagged photo does not hold up the triage of
 * the files behind it in the scan's thread; other inputs, and very large files, are hashed as
 * their chunks arrive.
 */
import { createHash, webcrypto } from "node:crypto";
import { read } from "node:fs";
import { promisify } from "node:util";
import pLimit from "p-limit";
import { OpenedFile } from "../sources/file.js";
import type { OpenedSource } from "../sources/index.js";

/** Files up to this size are hashed off the thread, whole in memory … */
const OFF_THREAD_MAX_BYTES = 16 * 1024 * 1024;
/** … this many at once, so that a dump full of flagged photos holds a bounded number of them in memory. */
const offThread = pLimit(2);
const readAt = promisify(read);

async function sha256InPool(file: OpenedFile): Promise<string> {
  const bytes = Buffer.allocUnsafe(file.size);
  let filled = 0;
  while (filled < bytes.length) {
    const { bytesRead } = await readAt(file.fd, bytes, filled, bytes.length - filled, filled);
    if (bytesRead === 0) break; // the file shrank while we read it
    filled += bytesRead;
  }
  return Buffer.from(await webcrypto.subtle.digest("SHA-256", bytes.subarray(0, filled))).toString("hex");
}

export async function sha256Of(opened: OpenedSource, counter: { bytes: number }): Promise<string> {
  if (opened instanceof OpenedFile && opened.size <= OFF_THREAD_MAX_BYTES) {
    const hex = await offThread(() => sha256InPool(opened));
    counter.bytes += opened.size;
    return hex;
  }
  const hash = createHash("sha256");
  for await (const chunk of opened.chunks()) {
    hash.update(chunk);
    counter.bytes += chunk.length;
  }
  return hash.digest("hex");
}
