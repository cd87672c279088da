// The command line as one bundle (dist/bin/), beside the library's per-module build (dist/, tsc).
// Node 20 pays about half a millisecond to resolve, load and link each ES module: the CLI's 130
// modules were a third of an empty scan's 0.19 s, and a bundle starts in 0.15 s
// (docs/benchmarks.md). Split at the dynamic imports, so that what a scan may never need (sharp
// for thumbnails, exifr for the full dump, SQLite, the archive readers) still loads on first use.
//
// Layout: every file lands in dist/bin/ itself, entry points by name. The worker threads' code
// finds its script beside it (`new URL("./worker.js", import.meta.url)`), from whichever chunk it
// ended up in, as it does beside parallel/pool.js in the per-module build.
import { chmodSync, rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names change with their content: last build's would stay beside this one's.
rmSync("dist/bin", { recursive: true, force: true });
await build({
  entryPoints: ["src/cli.ts", "src/parallel/worker.ts", "src/triage/hash-worker.ts"],
  outdir: "dist/bin",
  entryNames: "[name]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // npm packages stay packages: installed beside exifhunt, native modules among them.
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
chmodSync("dist/bin/cli.js", 0o755);
