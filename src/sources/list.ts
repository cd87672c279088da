/**
 * Input lists (`scan -i FILE`, `-i -` for standard input): one input per line, a path, a folder or
 * a URL. Read line by line as the scan pulls, so a list of a million URLs is never held whole.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

/** The input a list line names; null for blank lines and `#` comments. */
export function parseInputLine(line: string): string | null {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return null;
  return text;
}

/** The inputs of a list, in order. */
export async function* readInputList(stream: Readable): AsyncGenerator<string> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const input = parseInputLine(line);
      if (input !== null) yield input;
    }
  } finally {
    lines.close();
  }
}

/** Inputs named on the command line, then those of each list in turn. */
export async function* withInputLists(inputs: Iterable<string>, lists: Iterable<Readable>): AsyncGenerator<string> {
  yield* inputs;
  for (const list of lists) yield* readInputList(list);
}

/** Parses a byte count: `65536`, `512K`, `4M`, `1G` (binary multiples, as KiB, MiB, GiB); null if not one. */
export function parseByteCount(text: string): number | null {
  const match = /^(\d+)\s*([kmg]i?b?)?$/i.exec(text.trim());
  if (match === null) return null;
  const unit = (match[2] ?? "").charAt(0).toLowerCase();
  const factor = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  return Number(match[1]) * factor;
}
