#!/usr/bin/env node
// The `exifhunt` binary (package.json "bin"): the command line itself is src/cli/main.ts, which
// takes its streams, environment and signals as arguments so tests can run it in-process.
import { main } from "./cli/main.js";
import { processIo } from "./cli/io.js";

const code = await main(process.argv.slice(2), processIo());
// Interrupted: main has said what was kept and removed what was not; work it stopped waiting
// for (a request, a thumbnail) must not hold the process open past Ctrl-C.
if (code === 130 || code === 143) process.exit(code);
process.exitCode = code;
