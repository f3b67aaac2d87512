// Concurrency control for probes: a global cap, a per-provider cap, a per-provider rate limit
// (at most N request starts in any 60 s; a burst within the budget goes out at once), and
// single-flight per target so one route never has two probes in flight (a second caller joins
// the first request instead of sending its own).

export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = Math.max(1, Math.floor(size));
  }
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

export interface LimiterOptions {
  concurrency?: number;
  perProviderConcurrency?: number;
  /** At most this many request starts to one provider in any 60 s window (0 = unlimited). */
  perProviderPerMinute?: number;
}

const RATE_WINDOW_MS = 60_000;

export class ProbeLimiter {
  readonly #global: Semaphore;
  readonly #perProvider = new Map<string, Semaphore>();
  readonly #starts = new Map<string, number[]>();
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #options: Required<LimiterOptions>;

  constructor(options: LimiterOptions = {}) {
    this.#options = {
      concurrency: options.concurrency ?? 8,
      perProviderConcurrency: options.perProviderConcurrency ?? 4,
      perProviderPerMinute: options.perProviderPerMinute ?? 0,
    };
    this.#global = new Semaphore(this.#options.concurrency);
  }

  /** Targets being probed right now (for tests and the status file). */
  get inflight(): string[] {
    return [...this.#inflight.keys()];
  }

  /**
   * Run `task` for `key` under the limits. If the same key is already in flight, return that
   * promise (`joined: true`) instead of starting another request.
   */
  run<T>(key: string, provider: string, task: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.#inflight.get(key) as Promise<T> | undefined;
    if (existing) return { promise: existing, joined: true };
    const promise = this.#limited(provider, task).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, promise);
    return { promise, joined: false };
  }

  async #limited<T>(provider: string, task: () => Promise<T>): Promise<T> {
    let sem = this.#perProvider.get(provider);
    if (!sem) this.#perProvider.set(provider, (sem = new Semaphore(this.#options.perProviderConcurrency)));
    const releaseProvider = await sem.acquire();
    const releaseGlobal = await this.#global.acquire();
    try {
      await this.#rateSlot(provider);
      return await task();
    } finally {
      releaseGlobal();
      releaseProvider();
    }
  }

  /** Waits until starting one more request keeps `provider` within its per-minute budget. */
  async #rateSlot(provider: string): Promise<void> {
    const limit = this.#options.perProviderPerMinute;
    if (limit <= 0) return;
    const starts = this.#starts.get(provider) ?? [];
    this.#starts.set(provider, starts);
    for (;;) {
      const now = Date.now();
      while (starts.length > 0 && now - starts[0]! >= RATE_WINDOW_MS) starts.shift();
      if (starts.length < limit) {
        starts.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, RATE_WINDOW_MS - (now - starts[0]!)));
    }
  }
}
