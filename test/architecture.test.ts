/**
 * The house rules of src/, checked on the source text: no import cycle anywhere, the renderers
 * (report/) and the workers (parallel/) never import the orchestrator (scan.ts), and no file grows
 * past MAX_LINES (a file that long holds more than one job; split it by what its parts do).
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { findCycles, importSpecifiers, resolveSpecifier } from "./support/imports.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const MAX_LINES = 400;
/** Rooms that must not depend on the orchestrator: it depends on them. */
const BELOW_SCAN = ["report/", "parallel/"];

/**
 * The rooms of src/ (a folder, or a top-level file) and the rooms each may import: the pipeline's
 * one-way flow (README "For contributors"). A room not listed may import nothing from src/; "*"
 * is the entry points', which may import anything. An import that is not here is either a
 * mistake or a change of design, and then this table and the README change with it.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[] | "*">> = {
  "record.ts": [],
  "errors.ts": [],
  util: [],
  firmware: ["record.ts", "util"],
  registry: ["errors.ts", "firmware", "util"],
  extract: ["firmware", "record.ts"],
  analyze: ["extract", "firmware", "record.ts", "registry", "util"],
  // util/ imports nothing: its helpers (GrowingBytes for archive entries) cannot turn the flow back.
  sources: ["errors.ts", "record.ts", "util", "version.ts"],
  "events.ts": ["analyze", "record.ts"],
  triage: ["analyze", "errors.ts", "events.ts", "extract", "record.ts", "registry", "sources", "util"],
  parallel: ["events.ts", "record.ts", "registry", "sources", "triage"],
  "scan.ts": ["errors.ts", "events.ts", "parallel", "record.ts", "registry", "sources", "triage", "util"],
  // Sightings (issue 18): records grouped by device, copies merged; pure, for reports and commands.
  sightings: ["analyze", "events.ts", "record.ts", "registry", "util"],
  report: ["events.ts", "record.ts", "registry", "sightings", "util"],
  "config.ts": ["errors.ts"],
  "lookup.ts": ["analyze", "extract", "firmware", "record.ts", "registry"],
  "output.ts": ["errors.ts", "report"],
  "progress.ts": ["scan.ts", "sources"],
  "photo-evidence.ts": ["errors.ts", "extract", "record.ts", "report", "sources"],
  "version.ts": [],
  // The hunt log: records and scan events in, SQLite out; a scan's reuse hook takes sources.
  db: ["errors.ts", "events.ts", "record.ts", "registry", "sources"],
  "watch.ts": ["db", "errors.ts", "events.ts", "registry", "scan.ts", "sources"],
  // The registry subcommands take the CLI's streams (cli/io.ts, a type) from main.
  // `sightings` (commands/sightings.ts) reads saved scans (sources/), hashes possible copies again
  // (photo-evidence.ts) and groups the records (sightings/).
  commands: ["cli", "db", "errors.ts", "lookup.ts", "output.ts", "photo-evidence.ts", "record.ts", "registry", "report", "sightings", "sources", "watch.ts"],
  cli: ["commands", "config.ts", "db", "errors.ts", "events.ts", "extract", "output.ts", "photo-evidence.ts", "progress.ts", "record.ts", "registry", "report", "scan.ts", "sources", "version.ts"],
  "cli.ts": "*",
  "index.ts": "*",
};

/** The room of a src/ file: its folder, or the file itself at the top level. */
function roomOf(file: string): string {
  const slash = file.indexOf("/");
  return slash === -1 ? file : file.slice(0, slash);
}

/** Every .ts file under src/, relative to it, with its text. */
async function sources(): Promise<Map<string, string>> {
  const files = (await readdir(SRC, { recursive: true })).filter((file) => file.endsWith(".ts")).sort();
  const texts = await Promise.all(files.map((file) => readFile(`${SRC}${file}`, "utf8")));
  return new Map(files.map((file, index) => [file.split("\\").join("/"), texts[index] ?? ""]));
}

/** Module -> the src/ modules it imports. */
function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = importSpecifiers(text)
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

describe("the import parser", () => {
  it("finds static, re-export, side-effect and dynamic imports, multi-line and type-only ones too", () => {
    const text = [
      'import { a,\n  b } from "./a.js";',
      'import type { C } from "../c.js";',
      'import d, { e } from "./d.js";',
      'import * as f from "node:fs";',
      'export { g } from "./g.js";',
      'export * from "./h.js";',
      'export type { I } from "./i.js";',
      'import "./side.js";',
      'const j = await import("./j.js");',
      '/** not this: import { x } from "./comment.js" */',
      '// nor this: export * from "./line.js"',
      'export const k = "from \\"./string.js\\"";',
    ].join("\n");
    assert.deepEqual(importSpecifiers(text), ["./a.js", "../c.js", "./d.js", "node:fs", "./g.js", "./h.js", "./i.js", "./side.js", "./j.js"]);
  });

  it("resolves relative specifiers to src/ paths and leaves packages alone", () => {
    assert.equal(resolveSpecifier("report/table.ts", "../scan.js"), "scan.ts");
    assert.equal(resolveSpecifier("scan.ts", "./parallel/pool.js"), "parallel/pool.ts");
    assert.equal(resolveSpecifier("extract/index.ts", "./jpeg.js"), "extract/jpeg.ts");
    assert.equal(resolveSpecifier("cli.ts", "commander"), null);
  });

  it("finds a cycle and only a cycle", () => {
    assert.deepEqual(findCycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]])), [["a", "b", "c", "a"]]);
    assert.deepEqual(findCycles(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]])), []);
  });
});

describe("src/ architecture", () => {
  it("has no import cycle", async () => {
    const graph = importGraph(await sources());
    assert.ok(graph.has("scan.ts") && graph.has("cli.ts"), "src/ was read");
    const cycles = findCycles(graph);
    assert.deepEqual(cycles.map((cycle) => cycle.join(" -> ")), [], "import cycles in src/");
  });

  it("keeps report/ and parallel/ from importing scan.ts", async () => {
    const offenders = [...importGraph(await sources())]
      .filter(([file, targets]) => BELOW_SCAN.some((room) => file.startsWith(room)) && targets.includes("scan.ts"))
      .map(([file]) => file);
    assert.deepEqual(offenders, []);
  });

  it("keeps each room to the rooms it may import (the pipeline flows one way)", async () => {
    const graph = importGraph(await sources());
    const unknown = [...new Set([...graph.keys()].map(roomOf))].filter((room) => !(room in MAY_IMPORT));
    assert.deepEqual(unknown, [], "rooms missing from MAY_IMPORT (add them, and to the README)");
    const offences: string[] = [];
    for (const [file, targets] of graph) {
      const allowed = MAY_IMPORT[roomOf(file)] ?? [];
      if (allowed === "*") continue;
      for (const target of targets) {
        const room = roomOf(target);
        if (room !== roomOf(file) && !allowed.includes(room)) offences.push(`${file} imports ${target}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it(`has no file over ${String(MAX_LINES)} lines`, async () => {
    const long = [...(await sources())]
      .map(([file, text]) => ({ file, lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${String(lines)} lines`);
    assert.deepEqual(long, []);
  });
});
