/**
 * Bounds on what one input may cost: time and bytes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PhotoSource } from "../src/sources/index.js";
import { memorySource } from "../src/sources/index.js";
import { scanSources } from "../src/scan.js";
import { loadRegistry } from "../src/registry/index.js";

describe("per-input limits", () => {
  it("turns an input that never answers into a timeout record, and the scan goes on", async () => {
    const stalled: PhotoSource = { id: "stalled.jpg", kind: "file", explicit: true, open: () => new Promise(() => undefined) };
    const registry = await loadRegistry();
    const events = [];
    for await (const event of scanSources([stalled, memorySource("after.txt", Buffer.from("not a photo"))], { registry, timeoutMs: 200 })) events.push(event);
    const records = events.flatMap((event) => (event.type === "record" ? [event.record] : []));
    assert.deepEqual(records.map((r) => [r.source, r.error?.code]).sort(), [["after.txt", "not-an-image"], ["stalled.jpg", "timeout"]]);
    assert.match(records.find((r) => r.source === "stalled.jpg")?.error?.message ?? "", /gave up after 0\.2 s/);
  });

  it("never reads more than maxBytes of an input for its metadata", async () => {
    // A TIFF header whose IFD offset points 8 MiB in: a reader that followed it would read it all.
    const tiff = Buffer.alloc(16 * 1024 * 1024);
    tiff.write("II*\0", 0, "latin1");
    tiff.writeUInt32LE(8 * 1024 * 1024, 4);
    const registry = await loadRegistry();
    let bytesRead = 0;
    for await (const event of scanSources([memorySource("huge.tif", tiff)], {
      registry,
      maxBytes: 64 * 1024,
      onProgress: (progress) => {
        bytesRead = progress.bytesRead;
      },
    })) {
      assert.equal(event.type, "record");
    }
    assert.ok(bytesRead <= 64 * 1024, `read ${String(bytesRead)} bytes`);
  });
});
