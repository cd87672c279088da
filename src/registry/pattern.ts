/**
 * The regular expressions a registry file may hold (coverage, model variants, generations) are run
 * against every photo's Model, and a Model is whatever a stranger's file says. JavaScript's engine
 * backtracks: `^(a|a)+$` on 33 `a`s and a `b` takes 2^33 steps, and one photo hangs the scan. So a
 * registry pattern must belong to a subset whose matching cost is bounded by a constant per input
 * position, which this module checks before a pattern is ever compiled. Pure.
 *
 * The subset: literals, escapes (`\d`, `\w`, `\s`, `\.` …), character classes, groups (capturing,
 * `(?:…)` and named), alternation, anchors, and only bounded quantifiers (`?`, `{n}`, `{n,m}`).
 * Refused: unbounded quantifiers (`*`, `+`, `{n,}`), backreferences and lookarounds. With every
 * repetition bounded, the language a pattern matches at one position is finite, and a backtracking
 * engine tries at most `cost(pattern)` paths from one start position (cost: a sequence multiplies, an
 * alternation adds, `x{n,m}` is (m+1)·cost(x)^m), so a match over a Model of length L takes at most
 * cost·(L+1) steps: linear in the input. Patterns whose cost passes MAX_PATTERN_COST are refused too.
 */

/** Per start position: generous for model numbers (`^(SM-[A-Z]\d{3})[A-Z0-9]{0,3}$` counts 16). */
export const MAX_PATTERN_COST = 10_000;

/**
 * Models longer than this are not model numbers or phone names: they are never in a vendor's
 * coverage or numbering, and no pattern runs over them (a second bound on a hostile Model's cost).
 */
export const MAX_PATTERN_INPUT = 256;

/** Longer patterns are not model-number patterns; refusing them keeps the cost analysis cheap. */
export const MAX_PATTERN_LENGTH = 1_000;

export type PatternVerdict = { ok: true; cost: number } | { ok: false; reason: string };

class Refused extends Error {}

/** Saturating arithmetic: the cost only needs to be compared with MAX_PATTERN_COST. */
const CAP = MAX_PATTERN_COST + 1;
const mul = (a: number, b: number): number => Math.min(CAP, a * b);
const add = (a: number, b: number): number => Math.min(CAP, a + b);

class Parser {
  #at = 0;
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  parse(): number {
    const cost = this.#alternation();
    if (this.#at < this.#source.length) throw new Refused(`unbalanced ")" at ${String(this.#at)}`);
    return cost;
  }

  #peek(): string | undefined {
    return this.#source[this.#at];
  }

  #alternation(): number {
    let cost = this.#sequence();
    while (this.#peek() === "|") {
      this.#at++;
      cost = add(cost, this.#sequence());
    }
    return cost;
  }

  #sequence(): number {
    let cost = 1;
    for (;;) {
      const char = this.#peek();
      if (char === undefined || char === "|" || char === ")") return cost;
      const atom = this.#atom();
      cost = mul(cost, this.#quantified(atom));
    }
  }

  #atom(): number {
    const char = this.#peek();
    if (char === "(") return this.#group();
    if (char === "[") return this.#characterClass();
    if (char === "\\") return this.#escape();
    if (char === "*" || char === "+" || char === "?" || char === "{") {
      throw new Refused(`quantifier "${char}" with nothing to repeat at ${String(this.#at)}`);
    }
    this.#at++;
    return 1;
  }

  #group(): number {
    const start = this.#at;
    this.#at++;
    if (this.#peek() === "?") {
      const next = this.#source[this.#at + 1];
      const after = this.#source[this.#at + 2];
      if (next === ":") this.#at += 2;
      else if (next === "<" && after !== "=" && after !== "!") {
        const close = this.#source.indexOf(">", this.#at);
        if (close < 0) throw new Refused(`unterminated group name at ${String(start)}`);
        this.#at = close + 1;
      } else throw new Refused(`lookaround or group modifier at ${String(start)}: not in the safe subset`);
    }
    const cost = this.#alternation();
    if (this.#peek() !== ")") throw new Refused(`unterminated group at ${String(start)}`);
    this.#at++;
    return cost;
  }

  #characterClass(): number {
    const start = this.#at;
    this.#at++;
    if (this.#peek() === "^") this.#at++;
    // A "]" first in the class is a literal.
    if (this.#peek() === "]") this.#at++;
    for (;;) {
      const char = this.#peek();
      if (char === undefined) throw new Refused(`unterminated character class at ${String(start)}`);
      this.#at++;
      if (char === "\\") this.#at++;
      else if (char === "]") return 1;
    }
  }

  #escape(): number {
    const start = this.#at;
    const next = this.#source[this.#at + 1];
    if (next === undefined) throw new Refused("pattern ends with a backslash");
    if (/[1-9]/.test(next) || (next === "k" && this.#source[this.#at + 2] === "<")) {
      throw new Refused(`backreference at ${String(start)}: not in the safe subset`);
    }
    this.#at += 2;
    // \xHH, \uHHHH, \u{…}, \cX, \p{…}: consume their arguments so they are not read as atoms.
    if (next === "x") this.#at += 2;
    else if (next === "u") this.#at += this.#peek() === "{" ? this.#source.indexOf("}", this.#at) + 1 - this.#at : 4;
    else if (next === "c") this.#at += 1;
    else if (next === "p" || next === "P") {
      const close = this.#source.indexOf("}", this.#at);
      this.#at = close < 0 ? this.#source.length : close + 1;
    }
    return 1;
  }

  /** The atom's cost under the quantifier that follows it, if any. */
  #quantified(cost: number): number {
    const char = this.#peek();
    let max: number;
    if (char === "?") {
      this.#at++;
      max = 1;
    } else if (char === "*" || char === "+") {
      throw new Refused(`unbounded quantifier "${char}" at ${String(this.#at)}: use {n,m} with a bound`);
    } else if (char === "{") {
      const bounds = /^\{(\d+)(,(\d*))?\}/.exec(this.#source.slice(this.#at));
      if (bounds === null) {
        // A literal "{" (as JavaScript reads one without a valid quantifier after it).
        return cost;
      }
      const [text, low = "0", comma, high] = bounds;
      if (comma !== undefined && (high === undefined || high === "")) {
        throw new Refused(`unbounded quantifier "${text}" at ${String(this.#at)}: give an upper bound`);
      }
      max = Number(high ?? low);
      this.#at += text.length;
    } else return cost;
    // A lazy marker changes the order of the paths, not their number.
    if (this.#peek() === "?") this.#at++;
    if (this.#peek() === "*" || this.#peek() === "+" || this.#peek() === "{") {
      throw new Refused(`nested quantifier at ${String(this.#at)}`);
    }
    let repeated = max + 1;
    for (let i = 0; i < max && repeated < CAP; i++) repeated = mul(repeated, cost);
    return repeated;
  }
}

/** Whether a pattern is in the safe subset (see above), with its cost per start position. */
export function checkPattern(source: string): PatternVerdict {
  if (source.length > MAX_PATTERN_LENGTH) return { ok: false, reason: `longer than ${String(MAX_PATTERN_LENGTH)} characters` };
  let cost: number;
  try {
    cost = new Parser(source).parse();
  } catch (error: unknown) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    throw error;
  }
  if (cost > MAX_PATTERN_COST) {
    return { ok: false, reason: `can take more than ${String(MAX_PATTERN_COST)} steps per character of a Model (nested or long bounded repeats)` };
  }
  return { ok: true, cost };
}

