/**
 * Searches in one text that never scan the same characters twice for the same needle. A reader
 * that asks "where is the next `>`" once for each of n candidates walks O(n²) characters when the
 * answer is far away (or absent), as an XMP packet of `<xmp:CreateDate ` repeated without a `>`
 * makes it. The answer to `indexOf(needle, from)` is the same for every `from` between the last
 * query and its answer, so it is remembered per needle: queries in increasing order then cost one
 * pass over the text per needle in all. Pure.
 */

/** Counts the characters a reader examines, so tests can check that work grows linearly with input. */
export interface WorkMeter {
  steps: number;
}

export class TextSearch {
  private readonly last = new Map<string, { from: number; at: number }>();

  constructor(
    readonly text: string,
    readonly meter: WorkMeter = { steps: 0 },
  ) {}

  get length(): number {
    return this.text.length;
  }

  /** `text.indexOf(needle, from)`, reusing the previous answer for this needle when it still holds. */
  indexOf(needle: string, from: number): number {
    const previous = this.last.get(needle);
    if (previous !== undefined && from >= previous.from && (previous.at === -1 || from <= previous.at)) return previous.at;
    const at = this.text.indexOf(needle, from);
    this.meter.steps += (at === -1 ? this.text.length : at + needle.length) - from;
    this.last.set(needle, { from, at });
    return at;
  }

  /** `text.slice(start, end)`, counted as work. */
  slice(start: number, end: number): string {
    this.meter.steps += Math.max(0, end - start);
    return this.text.slice(start, end);
  }

  /** The first index at or after `from` whose character is not white space. */
  skipSpace(from: number): number {
    let i = from;
    while (i < this.text.length && isSpaceCode(this.text.charCodeAt(i))) i++;
    this.meter.steps += i - from;
    return i;
  }
}

/**
 * Whether a UTF-16 code unit is white space as JavaScript's `\s` takes it: tab to carriage return,
 * space, no-break space, U+1680, U+2000 to U+200A, the line and paragraph separators, U+202F,
 * U+205F, U+3000 and the byte-order mark. By code rather than by the pattern: the XMP reader asks
 * for every character it skips, and a regex test of a one-character string cost more than the rest.
 */
export function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}
