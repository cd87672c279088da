/**
 * An input's time limit. The scan gives each input `timeoutMs`; the clock stops while the input
 * waits its turn for a host slot (InputClock), since that wait is the scan's scheduling. For
 * inputs read asynchronously (URLs) a timer fires at the limit and gives the input up; local
 * files are read synchronously, where no timer can fire, so the read plan checks the deadline
 * between its reads instead (check()): every source has the limit.
 */
import { SourceError, type InputClock } from "../sources/types.js";

export class InputDeadline implements InputClock {
  readonly limitMs: number;
  readonly #what: string;
  readonly #onExpire: ((error: SourceError) => void) | undefined;
  /** Time spent while the clock ran, before the current run. */
  #spentMs = 0;
  /** When the clock started running; null while paused. */
  #since: number | null = performance.now();
  #pauses = 0;
  #timer: NodeJS.Timeout | undefined;
  #expired = false;
  /** The input is done: a resume that comes later (a host slot freed after the input ended) must not arm the timer again. */
  #disposed = false;

  /** `what` names the input in the timeout message; `onExpire`, when given, is called once at the limit. */
  constructor(limitMs: number, what: string, onExpire?: (error: SourceError) => void) {
    this.limitMs = limitMs;
    this.#what = what;
    this.#onExpire = onExpire;
    this.#arm();
  }

  /** The error an input given up at its limit gets. */
  get error(): SourceError {
    return new SourceError("timeout", `gave up after ${String(this.limitMs / 1000)} s reading ${this.#what}`);
  }

  /** Milliseconds left (negative once past the limit). */
  remainingMs(): number {
    const running = this.#since === null ? 0 : performance.now() - this.#since;
    return this.limitMs - this.#spentMs - running;
  }

  /** Throws the timeout error when the limit has passed. */
  check(): void {
    if (this.#expired || this.remainingMs() <= 0) throw this.error;
  }

  pause(): () => void {
    if (this.#pauses++ === 0 && this.#since !== null) {
      this.#spentMs += performance.now() - this.#since;
      this.#since = null;
      clearTimeout(this.#timer);
    }
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      if (--this.#pauses === 0) {
        this.#since = performance.now();
        this.#arm();
      }
    };
  }

  /** Stops the timer for good (the input is done). */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#since = null;
  }

  #arm(): void {
    if (this.#onExpire === undefined || this.#expired || this.#disposed) return;
    const onExpire = this.#onExpire;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      onExpire(this.error);
    }, Math.max(0, this.remainingMs()));
  }
}
