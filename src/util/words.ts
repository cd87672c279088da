/**
 * Counts in English, for messages and reports alike.
 */

/** `1 photo`, `3 photos`; `words` for the irregular ones (`copy`, `copies`). */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${String(count)} ${count === 1 ? word : words}`;
}
