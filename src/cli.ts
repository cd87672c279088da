#!/usr/bin/env node
// The `exifhunt` binary (package.json "bin"): the command line itself is src/cli/main.ts, which
// takes its streams, environment and signals as arguments so tests can run it in-process.
import { main } from "./cli/main.js";
import { processIo } from "./cli/io.js";

process.exitCode = await main(process.argv.slice(2), processIo());
