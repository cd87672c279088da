/**
 * Making untrusted strings (from photos and servers) safe for the output they land in.
 */

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex -- C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** For terminals: control characters (escape sequences start with ESC) become U+FFFD. */
export function stripControl(text: string): string {
  return text.replace(CONTROL, "\uFFFD");
}

/** Cuts a string to `max` characters and says how much was cut: for cells a reader may copy. */
export function truncateCounted(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${String(text.length - max)} more characters cut]`;
}

/** Cuts a string to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `3719126` -> `3,719,126`, the same on every machine (no locale). */
export function groupDigits(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
