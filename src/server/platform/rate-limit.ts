import { AppError } from './errors.ts';

/**
 * Fixed-window attempt counters kept in memory (one process serves an instance). Used on
 * sign-in and password reset, per account and per client address, as OWASP's Authentication
 * Cheat Sheet advises; the refusal never says whether the account exists.
 */
export class AttemptLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 with Retry-After when `key` has used up its attempts in the current window. */
  check(key: string, what: string): void {
    const window = this.#windows.get(key);
    const now = this.now();
    if (!window || window.resetAt <= now || window.count < this.limit) return;
    const seconds = Math.ceil((window.resetAt - now) / 1000);
    throw new AppError(
      'rate_limited',
      `Too many ${what} attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
      undefined,
      { 'retry-after': String(seconds) },
    );
  }

  fail(key: string): void {
    const now = this.now();
    const window = this.#windows.get(key);
    if (!window || window.resetAt <= now)
      this.#windows.set(key, { count: 1, resetAt: now + this.windowMs });
    else window.count++;
    if (this.#windows.size > 100_000) this.#sweep(now);
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }

  #sweep(now: number) {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}
