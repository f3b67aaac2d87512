// When the daemon compares its reading with the installed OpenClaw: `settle` after it starts and
// after the install stops changing, and `interval` after the last comparison ("once a day") — never
// while it would disturb the gateway: while a run is active (the CLI would take CPU from it) or in
// the first minutes after the gateway started (its own busiest time). Pure.

/** The gateway's start-up is left alone this long. */
export const GATEWAY_WARMUP_MS = 120_000;

export interface OracleTimes {
  /** When the daemon started watching. */
  startedAt: number;
  /** The last comparison attempted (done or could not run). */
  lastRunAt: number | null;
  /** The newest change to the install (config, env, auth store). */
  lastChangeAt: number | null;
}

export interface OracleSettings {
  enabled: boolean;
  intervalMs: number;
  settleMs: number;
}

export interface GatewayLoad {
  /** Runs the gateway has in flight now. */
  activeRuns: number;
  /** When the gateway last started, when known. */
  gatewayStartedAt?: number;
}

export type OraclePlan = { run: true; why: "start" | "change" | "interval" } | { run: false; waiting?: string };

export function planOracle(t: OracleTimes, now: number, s: OracleSettings, load: GatewayLoad): OraclePlan {
  if (!s.enabled) return { run: false };
  // Mid-edit: wait until the install has been still for `settle`, whatever else is due.
  if (t.lastChangeAt !== null && now - t.lastChangeAt < s.settleMs) return { run: false };
  let why: "start" | "change" | "interval" | null = null;
  if (t.lastChangeAt !== null && (t.lastRunAt === null || t.lastChangeAt > t.lastRunAt)) why = "change";
  else if (t.lastRunAt === null && now - t.startedAt >= s.settleMs) why = "start";
  else if (t.lastRunAt !== null && now - t.lastRunAt >= s.intervalMs) why = "interval";
  if (!why) return { run: false };
  if (load.activeRuns > 0) return { run: false, waiting: `${load.activeRuns} run${load.activeRuns === 1 ? " is" : "s are"} active` };
  if (load.gatewayStartedAt !== undefined && now - load.gatewayStartedAt < GATEWAY_WARMUP_MS) {
    return { run: false, waiting: `the gateway started ${Math.round((now - load.gatewayStartedAt) / 1000)} s ago` };
  }
  return { run: true, why };
}

/** The next `n` agents in turn from `cursor`, and where the following run starts. */
export function agentsInTurn(all: readonly string[], cursor: number, n: number): { agents: string[]; next: number } {
  if (all.length <= n) return { agents: [...all], next: 0 };
  const start = cursor % all.length;
  const agents = Array.from({ length: n }, (_, i) => all[(start + i) % all.length]!);
  return { agents, next: (start + n) % all.length };
}
