/**
 * Requests that are given up end at once and free their host slot: a server dripping a byte a
 * second can hold a request only as long as the scan lets it. Against a real loopback server;
 * every wait is on a readiness signal (the server saw the request, the connection closed), never a sleep.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { scan, scanStream } from "../src/scan.js";
import { HttpClient } from "../src/sources/http.js";
import type { Trace } from "../src/sources/http-response.js";
import { SourceError } from "../src/sources/types.js";
import { urlSource } from "../src/sources/url.js";
import { FIXTURES } from "./helpers.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

let server: LoopbackServer;

before(async () => {
  server = await startLoopbackServer({ roots: { fixtures: FIXTURES } });
});

after(async () => {
  await server.close();
});

const trace = (): Trace => ({ requests: 0, bytesRead: 0, redirects: [], url: "" });
const url = (path: string): URL => new URL(`${server.origin}${path}`);
const givenUp = (): SourceError => new SourceError("timeout", "gave up after 0.2 s reading it");

describe("HTTP requests given up", () => {
  it("end a dripping body at once, close its connection and free its host slot", { timeout: 10_000 }, async () => {
    server.reset();
    const client = new HttpClient({ perHost: 1, timeoutMs: 30_000 });
    try {
      const controller = new AbortController();
      const drip = await client.get(url("/drip?every=50"), { trace: trace(), signal: controller.signal });
      const reading = drip.read(1_000_000);
      const entry = await server.arrival("/drip");
      controller.abort(givenUp());
      await assert.rejects(reading, (error: unknown) => error instanceof SourceError && error.code === "timeout");
      await server.closure(entry);
      // The only slot of the host is free again: a healthy request goes through.
      const healthy = await client.get(url("/files/fixtures/sony-d5503-prelaunch.jpg"), { trace: trace() });
      assert.equal(healthy.status, 200);
      healthy.close();
    } finally {
      client.close();
    }
  });

  it("leave the queue for a host slot when given up while waiting", { timeout: 10_000 }, async () => {
    server.reset();
    const client = new HttpClient({ perHost: 1, timeoutMs: 30_000 });
    try {
      const holder = new AbortController();
      const drip = await client.get(url("/drip?every=50"), { trace: trace(), signal: holder.signal });
      const waiter = new AbortController();
      const queued = client.get(url("/files/fixtures/sony-d5503-prelaunch.jpg"), { trace: trace(), signal: waiter.signal });
      waiter.abort(givenUp());
      await assert.rejects(queued, /gave up/);
      holder.abort(givenUp());
      await assert.rejects(drip.read(10), /gave up/);
      // The slot went to no one who had left: the next request gets it.
      const healthy = await client.get(url("/files/fixtures/sony-d5503-prelaunch.jpg"), { trace: trace() });
      healthy.close();
      assert.equal(server.log.filter((entry) => entry.path.startsWith("/files/")).length, 1);
    } finally {
      client.close();
    }
  });

  it("stop the input's clock while a request waits for a host slot", { timeout: 10_000 }, async () => {
    server.reset();
    const client = new HttpClient({ perHost: 1, timeoutMs: 30_000 });
    try {
      const holder = new AbortController();
      const drip = await client.get(url("/drip?every=50"), { trace: trace(), signal: holder.signal });
      const clock = { running: true, pauses: 0, pause: () => undefined as unknown as () => void };
      clock.pause = () => {
        clock.running = false;
        clock.pauses++;
        return () => {
          clock.running = true;
        };
      };
      const queued = client.get(url("/files/fixtures/sony-d5503-prelaunch.jpg"), { trace: trace(), clock });
      assert.equal(clock.running, false, "stopped while queued behind the dripping request");
      holder.abort(givenUp());
      await assert.rejects(drip.read(10), /gave up/);
      const healthy = await queued;
      healthy.close();
      assert.deepEqual([clock.running, clock.pauses], [true, 1]);
    } finally {
      client.close();
    }
  });

  it("end a request whose headers never come", { timeout: 10_000 }, async () => {
    server.reset();
    const client = new HttpClient({ timeoutMs: 30_000 });
    try {
      const controller = new AbortController();
      const waiting = client.get(url("/stall-headers"), { trace: trace(), signal: controller.signal });
      const entry = await server.arrival("/stall-headers");
      controller.abort(new Error("interrupted"));
      await assert.rejects(waiting, (error: unknown) => error instanceof SourceError && /stopped: interrupted/.test(error.message));
      await server.closure(entry);
    } finally {
      client.close();
    }
  });

  it("reach a URL source's reads through open's signal", { timeout: 10_000 }, async () => {
    server.reset();
    const client = new HttpClient({ timeoutMs: 30_000 });
    try {
      const controller = new AbortController();
      const source = urlSource(`${server.origin}/drip?every=50`, { client, maxBytes: 8 * 1024 * 1024 });
      const opened = await source.open({ signal: controller.signal });
      const reading = opened.read(0, 1_000_000);
      const entry = await server.arrival("/drip");
      controller.abort(givenUp());
      await assert.rejects(reading, /gave up/);
      await server.closure(entry);
      assert.equal(source.custody?.()?.requests, 1);
    } finally {
      client.close();
    }
  });
});

describe("a scan with slow URLs", () => {
  it("gives a dripping URL up at its time limit with its custody, and healthy URLs on the same host go through", { timeout: 30_000 }, async () => {
    server.reset();
    const drips = Array.from({ length: 4 }, (_, i) => `${server.origin}/drip?every=100&n=${String(i)}`);
    const healthy = Array.from({ length: 20 }, (_, i) => `${server.origin}/files/fixtures/sony-d6503-released.jpg?n=${String(i)}`);
    // Four slots for the host, all taken by the drips first: the others queue, their clocks stopped.
    const { records } = await scan([...drips, ...healthy], { timeoutMs: 1500, concurrency: 24, http: { perHost: 4, timeoutMs: 30_000 } });
    const bySource = new Map(records.map((record) => [record.source, record]));
    for (const url of drips) {
      const record = bySource.get(url);
      assert.equal(record?.error?.code, "timeout", url);
      assert.match(record.error.message, /gave up after 1\.5 s/);
      assert.equal(record.http?.status, 200, "the timeout record says how far the request got");
      assert.ok(record.http.bytesRead > 0);
    }
    const failed = healthy.filter((url) => bySource.get(url)?.error !== null);
    assert.deepEqual(failed, []);
    // Every dripping connection was closed by the client when it gave up.
    await Promise.all(server.log.filter((entry) => entry.path.startsWith("/drip")).map((entry) => server.closure(entry)));
  });

  it("ends at once when its signal aborts, with every request in flight closed", { timeout: 10_000 }, async () => {
    server.reset();
    const drips = Array.from({ length: 4 }, (_, i) => `${server.origin}/drip?every=100&a=${String(i)}`);
    const controller = new AbortController();
    const events: ScanRecord[] = [];
    const arrived = Promise.all(drips.map((_, i) => server.arrival(`/drip?every=100&a=${String(i)}`)));
    void arrived.then(() => {
      controller.abort();
    });
    // The drips never end: the scan ending at all shows it did not wait for them.
    for await (const event of scanStream(drips, { signal: controller.signal, http: { timeoutMs: 30_000 } })) {
      if (event.type === "record") events.push(event.record);
    }
    assert.deepEqual(events, []);
    await Promise.all((await arrived).map((entry) => server.closure(entry)));
  });
});
