/**
 * Pure results of a string key, remembered. A photo dump repeats the same few values thousands of
 * times (one phone's Make, Model and Software on every photo it took), so work that depends on
 * such a value alone is done once per distinct value. Bounded: past `limit` distinct keys the
 * memory starts again, so a dump of all-different values costs one Map's worth, not one per photo.
 * Results are shared between callers, so they must not be changed.
 */
export class BoundedMemo<T> {
  #known = new Map<string, T>();

  constructor(readonly limit = 4096) {}

  /** The result for `key`: remembered, or `compute()`d now and remembered. */
  get(key: string, compute: () => T): T {
    const hit = this.#known.get(key);
    if (hit !== undefined || this.#known.has(key)) return hit as T;
    const value = compute();
    if (this.#known.size >= this.limit) this.#known = new Map();
    this.#known.set(key, value);
    return value;
  }

  /** Forgets `key`'s result if it is still `value` (a promise that failed, say), so the next get computes it again. */
  forget(key: string, value: T): void {
    if (this.#known.get(key) === value) this.#known.delete(key);
  }
}

/** `compute` of one string, remembered in a BoundedMemo. */
export function memoized<T>(compute: (key: string) => T, limit?: number): (key: string) => T {
  const memo = new BoundedMemo<T>(limit);
  return (key) => memo.get(key, () => compute(key));
}
