// The one way clawpatrol serialises work. `SerialQueue` runs every call, one after another, and
// hands each caller its own result or error. `SerialJob` is a queue for one repeated job: a trigger
// while it runs schedules exactly one follow-up run (any number of triggers coalesce into it), so
// the queue is bounded at one.

/** Runs each call after every earlier call has settled; a call that throws does not stop the next. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  /** Calls in the queue, the running one included. */
  get pending(): number {
    return this.#pending;
  }

  /** Runs `fn` once the queue is free; an idle queue starts it synchronously. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const call = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        this.#pending--;
      }
    };
    const next = this.#pending++ === 0 ? call() : this.#tail.then(call);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every call made so far has settled. */
  async idle(): Promise<void> {
    while (this.#pending) await this.#tail;
  }
}

export interface SerialJobOptions {
  /** Called with an error the job threw; the runner itself never rejects. */
  onError?: (err: unknown) => void;
}

export class SerialJob {
  readonly #fn: () => Promise<void> | void;
  readonly #onError: (err: unknown) => void;
  readonly #queue = new SerialQueue();
  /** The queued run that has not started yet; triggers coalesce into it. */
  #followUp: Promise<void> | null = null;
  #runs = 0;

  constructor(fn: () => Promise<void> | void, options: SerialJobOptions = {}) {
    this.#fn = fn;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Runs completed or started so far (for tests and metrics). */
  get runs(): number {
    return this.#runs;
  }

  get running(): boolean {
    return this.#queue.pending > 0;
  }

  /** Resolves once a run that started at or after this call has finished. */
  trigger(): Promise<void> {
    if (this.#followUp) return this.#followUp;
    const idle = this.#queue.pending === 0;
    const run = this.#queue.run(() => this.#runOnce());
    if (!idle) this.#followUp = run;
    return run;
  }

  /** Resolves when nothing is running or scheduled. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async #runOnce(): Promise<void> {
    this.#followUp = null;
    this.#runs++;
    try {
      await this.#fn();
    } catch (err) {
      this.#onError(err);
    }
  }
}
