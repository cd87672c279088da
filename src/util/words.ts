/**
 * Counts in English, for messages and reports alike.
 */

/** `1 photo`, `3 photos`. */
export function plural(count: number, word: string): string {
  return `${String(count)} ${word}${count === 1 ? "" : "s"}`;
}
