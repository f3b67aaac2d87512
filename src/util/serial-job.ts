// A job that never runs twice at once. A trigger while it runs schedules exactly one follow-up run
// (any number of triggers coalesce into it), so the queue is bounded at one.

export interface SerialJobOptions {
  /** Called with an error the job threw; the runner itself never rejects. */
  onError?: (err: unknown) => void;
}

export class SerialJob {
  readonly #fn: () => Promise<void> | void;
  readonly #onError: (err: unknown) => void;
  #running: Promise<void> | null = null;
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
    return this.#running !== null;
  }

  /** Resolves once a run that started at or after this call has finished. */
  trigger(): Promise<void> {
    if (this.#followUp) return this.#followUp;
    if (!this.#running) {
      this.#running = this.#runOnce();
      return this.#running;
    }
    this.#followUp = this.#running.then(() => {
      this.#followUp = null;
      this.#running = this.#runOnce();
      return this.#running;
    });
    return this.#followUp;
  }

  /** Resolves when nothing is running or scheduled. */
  async idle(): Promise<void> {
    while (this.#running || this.#followUp) await (this.#followUp ?? this.#running);
  }

  async #runOnce(): Promise<void> {
    this.#runs++;
    try {
      await this.#fn();
    } catch (err) {
      this.#onError(err);
    } finally {
      this.#running = null;
    }
  }
}
