/**
 * A pure function of a string, remembered. A photo dump repeats the same few values thousands of
 * times (one phone's Make, Model and Software on every photo it took), so work that depends on
 * such a value alone is done once per distinct value. Bounded: past `limit` distinct values the
 * memory starts again, so a dump of all-different values costs one Map's worth, not one per photo.
 */
export function memoized<T>(compute: (key: string) => T, limit = 4096): (key: string) => T {
  let known = new Map<string, T>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined || known.has(key)) return hit as T;
    const value = compute(key);
    if (known.size >= limit) known = new Map();
    known.set(key, value);
    return value;
  };
}
