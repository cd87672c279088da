/**
 * Orderings that are the same on every machine: strings compare by UTF-16 code units, never by
 * locale, so sorted output does not depend on where it was made.
 */

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
