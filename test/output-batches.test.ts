/**
 * Output batches: one is written while the next fills, in order, and never more than that, so a
 * slow reader holds the scan back instead of the scan holding its whole output in memory.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { stdoutOutput } from "../src/output.js";

/** Standard output to a reader that takes each chunk a turn of the event loop later, and what it took. */
function slowReader(): { received: Buffer[]; output: ReturnType<typeof stdoutOutput> } {
  const received: Buffer[] = [];
  const reader = new Writable({
    write(chunk: Buffer, _encoding, done) {
      received.push(Buffer.from(chunk));
      setImmediate(done);
    },
  });
  return { received, output: stdoutOutput(reader, () => assert.fail("the reader did not go away")) };
}

describe("output batches", () => {
  it("reach a slow reader complete and in order, with at most two batches waiting for it", async () => {
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let producedBytes = 0;
    let mostAhead = 0;
    const reader = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(Buffer.from(chunk));
        receivedBytes += chunk.length;
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
      producedBytes += Buffer.byteLength(line);
      // Everything written and not yet taken by the reader, wherever it waits (buffers, promises, the stream).
      mostAhead = Math.max(mostAhead, producedBytes - receivedBytes);
    }
    await output.commit();
    assert.equal(Buffer.concat(received).toString("utf8"), lines.join(""));
    // 3.2 MB went through; never more waited than the batch being written and the one filling.
    assert.ok(mostAhead <= 3 * 128 * 1024, `${String(mostAhead)} bytes ahead of the reader`);
    assert.ok(received.length > 20, `${String(received.length)} writes`);
  });

  it("ask to be waited for only when a batch is full, and keep every line and its order either way", async () => {
    const { received, output } = slowReader();
    const lines: string[] = [];
    let taken = 0;
    let waited = 0;
    for (let i = 0; i < 5_000; i++) {
      const line = `{"record":${String(i)},"text":"${"y".repeat(200 + (i % 100))}"}\n`;
      lines.push(line);
      const pending = output.write(line);
      if (pending === undefined) taken++;
      else {
        waited++;
        await pending;
      }
    }
    // 1.5 MB in 64 KiB batches: one wait per batch or so, every other line taken at once.
    assert.ok(waited >= 10 && waited <= 40, `${String(waited)} waits`);
    assert.equal(taken + waited, lines.length);
    // A line longer than a whole buffer goes by itself, after what is pending.
    const long = `${"z".repeat(300_000)}\n`;
    lines.push(long);
    await output.write(long);
    await output.commit();
    assert.equal(Buffer.concat(received).toString("utf8"), lines.join(""));
  });
});

describe("NDJSON lines", () => {
  it("reach a slow reader whole and in order, the newline written after its line", async () => {
    const { reporters } = await import("../src/report/index.js");
    const { received, output } = slowReader();
    const reporter = reporters.ndjson(output, {});
    // Lines of 50 to 1,050 bytes, 2.4 MB in all, and every 500th of 40 KB (a line the pending batch
    // has no room for waits for it to be written): batches fill between a line and its newline.
    const sources = Array.from({ length: 4_000 }, (_, i) => `${String(i)}-${"z".repeat(i % 500 === 499 ? 40_000 : (i * 37) % 1000)}.jpg`);
    let waited = 0;
    for (const source of sources) {
      const written = reporter.record({ type: "record", record: { source } as never });
      if (written !== undefined) {
        waited++;
        await written;
      }
    }
    await output.commit();
    assert.ok(waited > 0, "no write was waited for: the batches never filled");
    assert.equal(Buffer.concat(received).toString("utf8"), sources.map((source) => `${JSON.stringify({ source })}\n`).join(""));
  });
});
