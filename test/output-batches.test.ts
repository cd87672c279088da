/**
 * Output batches: one is written while the next fills, in order, and never more than that, so a
 * slow reader holds the scan back instead of the scan holding its whole output in memory.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { stdoutOutput } from "../src/output.js";

describe("output batches", () => {
  it("reach a slow reader complete and in order, with at most two batches waiting for it", async () => {
    const received: Buffer[] = [];
    let mostQueued = 0;
    const reader = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(Buffer.from(chunk));
        // A slow reader: each chunk is taken a turn of the event loop later.
        setImmediate(done);
      },
    });
    const output = stdoutOutput(reader, () => assert.fail("the reader did not go away"));
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const line = `{"record":${String(i)},"text":"${"x".repeat(i % 300)}"}\n`;
      lines.push(line);
      await output.write(line);
      mostQueued = Math.max(mostQueued, reader.writableLength);
    }
    await output.commit();
    assert.equal(Buffer.concat(received).toString("utf8"), lines.join(""));
    // 3.2 MB went through; the stream never held more than the batch being written and the next.
    assert.ok(mostQueued <= 2 * 128 * 1024, `${String(mostQueued)} bytes queued`);
    assert.ok(received.length > 20, `${String(received.length)} writes`);
  });
});
