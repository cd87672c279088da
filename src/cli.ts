#!/usr/bin/env node
// The `exifhunt` binary (package.json "bin"): the command line itself is src/cli/main.ts, which
// takes its streams, environment and signals as arguments so tests can run it in-process.
import { main } from "./cli/main.js";
import { processIo } from "./cli/io.js";
import { setFlagsFromString } from "node:v8";

// TurboFan without inlining, for the whole process (V8's flags are per process, so the triage
// workers too). Each thread compiles the same few hundred functions for itself, most of a small
// scan runs while they compile, and without inlining they compile in about two thirds of the
// time for code hardly slower. Interleaved pairs of whole processes (docs/benchmarks.md, round
// ten): 5,000 photos wall 0.93, CPU 0.86; 100,000 wall 0.95 to 0.99.
// And each young-generation collection in the thread that needs it, not split into tasks for
// V8's helper threads: with a worker both cores already run JavaScript, and a scavenge split in
// parts waits for helpers that wait for a core. Round eleven: 100,000 photos wall 0.973 (shared)
// and 0.977 (cameras), 8 pairs each; 5,000 photos (one thread) 0.996, 16 pairs. Unlike
// --single-threaded-gc (which stops V8 when set at run time, its concurrent marker already made)
// it is read at each collection, so it can be set once the process runs.
// Set here, in the binary only: a program that uses the library keeps its own V8 flags. No
// function is hot yet, so every optimizing compile of the scan sees it.
setFlagsFromString("--no-turbo-inlining");
setFlagsFromString("--no-parallel-scavenge");

const code = await main(process.argv.slice(2), processIo());
// Interrupted: main has said what was kept and removed what was not; work it stopped waiting
// for (a request, a thumbnail) must not hold the process open past Ctrl-C.
if (code === 130 || code === 143) process.exit(code);
process.exitCode = code;
