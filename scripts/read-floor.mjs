// The floor the benchmark measures exifhunt against: walk a folder and, for every file, open it,
// read its first 64 KiB into one reused buffer and close it, one file after another in one thread.
// No parsing, no output but the count: what any reader of these files pays before it does any work.
import { Buffer } from "node:buffer";
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";

const buffer = Buffer.allocUnsafe(64 * 1024);
let files = 0;
let bytes = 0;

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path);
      continue;
    }
    const fd = openSync(path, "r");
    try {
      bytes += readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
    files++;
  }
}

walk(process.argv[2]);
console.log(`${String(files)} files, ${String(bytes)} bytes`);
