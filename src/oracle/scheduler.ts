// The daemon's live oracle runner: the main loop ticks it, the drift watcher tells it about changes,
// and it asks the pure planner (schedule.ts) whether to compare now. One comparison at a time;
// stop() kills a running OpenClaw CLI. A comparison that could not run is logged with its reason
// and fix (once per distinct reason) and reports nothing: an open disagreement stays open.
import type { Clock } from "../util/clock.js";
import type { Logger } from "../util/log.js";
import { OracleCannotRun } from "../openclaw/live-oracle.js";
import type { Installation } from "../openclaw/types.js";
import { agentsInTurn, planOracle, type GatewayLoad, type OracleSettings, type OracleTimes } from "./schedule.js";
import { disagreements, type VerifyOutcome } from "./verify.js";
import { answerText } from "./report.js";

export interface OracleSchedulerDeps {
  settings(): OracleSettings & { agentsPerRun: number };
  clock: Clock;
  log: Logger;
  load(): GatewayLoad;
  /** One comparison of the agents `pick` chooses from the reading; throws OracleCannotRun. */
  verify(pick: (inst: Installation) => string[], signal: AbortSignal): Promise<VerifyOutcome>;
  /** The outcome, with the agents it compared, to the health tracker. */
  report(outcome: VerifyOutcome, compared: readonly string[]): void;
}

export class OracleScheduler {
  readonly #d: OracleSchedulerDeps;
  readonly #times: OracleTimes;
  readonly #abort = new AbortController();
  #cursor = 0;
  #running: Promise<void> | null = null;
  /** Last thing logged about waiting or not running, so a repeat is not logged again. */
  #lastSaid = "";

  constructor(deps: OracleSchedulerDeps) {
    this.#d = deps;
    this.#times = { startedAt: deps.clock.now(), lastRunAt: null, lastChangeAt: null };
    if (!deps.settings().enabled) deps.log.info("verify: off (verify.enabled is false): clawpatrol does not compare its reading with OpenClaw's own");
  }

  /** The install changed (config, env, auth store): compare again once it settles. */
  noteChange(at: number): void {
    this.#times.lastChangeAt = at;
  }

  tick(now: number): void {
    if (this.#running || this.#abort.signal.aborted) return;
    const plan = planOracle(this.#times, now, this.#d.settings(), this.#d.load());
    if (!plan.run) {
      if (plan.waiting) this.#say("debug", `verify: waiting: ${plan.waiting} (OpenClaw's CLI would take CPU from the gateway)`);
      return;
    }
    this.#times.lastRunAt = now;
    this.#running = this.#run(plan.why).finally(() => (this.#running = null));
  }

  /** Resolves when no comparison is running. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.idle();
  }

  async #run(why: string): Promise<void> {
    const { log } = this.#d;
    let compared: string[] = [];
    const pick = (inst: Installation): string[] => {
      const turn = agentsInTurn(inst.agents.map((a) => a.id), this.#cursor, this.#d.settings().agentsPerRun);
      this.#cursor = turn.next;
      compared = turn.agents;
      return compared;
    };
    const t0 = this.#d.clock.now();
    try {
      log.debug({ why }, "verify: comparing clawpatrol's reading with OpenClaw's own models status");
      const outcome = await this.#d.verify(pick, this.#abort.signal);
      if (this.#abort.signal.aborted) return;
      this.#d.report(outcome, compared);
      const off = disagreements(outcome);
      const ms = this.#d.clock.now() - t0;
      if (!off.length) log.info({ agents: compared.length, version: outcome.openclaw.version, ms }, `verify: clawpatrol agrees with OpenClaw ${outcome.openclaw.version ?? ""} on ${compared.length} agent(s)`);
      else for (const d of off) log.warn({ agent: d.agent, field: d.field, version: outcome.openclaw.version }, `verify: clawpatrol disagrees with OpenClaw ${outcome.openclaw.version ?? ""} on ${d.agent ? `agent ${d.agent}` : "the install"}: ${d.field}: OpenClaw says ${answerText(d.openclaw)}, clawpatrol says ${answerText(d.clawpatrol)}`);
      this.#lastSaid = "";
    } catch (err) {
      if (this.#abort.signal.aborted) return;
      if (err instanceof OracleCannotRun) this.#say("warn", `verify skipped: ${err.message} — fix: ${err.fix}`);
      else this.#say("error", `verify failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  #say(level: "debug" | "warn" | "error", message: string): void {
    if (message === this.#lastSaid) return;
    this.#lastSaid = message;
    this.#d.log[level](message);
  }
}
