// When the next digest is due, from a cron expression (node-cron syntax), computed against the
// injected clock rather than node-cron's own timers so tests can step through days.
import cron from "node-cron";

const MINUTE = 60_000;
/** Search horizon: a yearly expression ("0 8 1 1 *") still resolves. */
const HORIZON_MINUTES = 366 * 24 * 60;

export class DigestSchedule {
  readonly expression: string;
  #task: ReturnType<typeof cron.createTask>;

  constructor(expression: string, timezone?: string) {
    const check = cron.validateDetailed(expression);
    if (!check.valid) {
      throw new Error(`digest schedule "${expression}" is not a cron expression (${check.errors.map((e) => e.message).join("; ")}) — use e.g. "0 8 * * *"`);
    }
    this.expression = expression;
    this.#task = cron.createTask(expression, () => undefined, timezone ? { timezone } : {});
  }

  /** First whole minute strictly after `after` that the expression matches. */
  nextAfter(after: number): number | undefined {
    let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
    for (let i = 0; i < HORIZON_MINUTES; i++, t += MINUTE) {
      if (this.#task.match(new Date(t))) return t;
    }
    return undefined;
  }

  close(): void {
    void this.#task.destroy();
  }
}
