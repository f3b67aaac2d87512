// The daemon's live oracle: its scheduler, comparing the daemon's reading (read afresh) with the
// installed OpenClaw's answers, and each outcome reported to the health tracker.
import { join } from "node:path";
import { askOpenClaw } from "../openclaw/live-oracle.js";
import { disagreementFindings } from "../oracle/report.js";
import { OracleScheduler } from "../oracle/scheduler.js";
import { runVerify } from "../oracle/verify.js";
import { readInstallationOf } from "./observe.js";
import type { DaemonParts } from "./parts.js";
import { oracleReport } from "./routing.js";

export function createOracle(p: DaemonParts): OracleScheduler {
  const v = () => p.config.verify;
  return new OracleScheduler({
    settings: () => ({ enabled: v().enabled, intervalMs: v().interval, settleMs: v().settle, agentsPerRun: v().agentsPerRun }),
    clock: p.clock,
    log: p.log,
    load: () => ({ activeRuns: p.runs?.monitor.activeRuns() ?? 0, ...(p.gateway.startedAt !== undefined ? { gatewayStartedAt: p.gateway.startedAt } : {}) }),
    verify: (pick, signal) =>
      runVerify({
        read: () => readInstallationOf(p),
        agents: pick,
        now: () => p.clock.now(),
        ask: (inst, agents) =>
          askOpenClaw({ inst, agents, bin: p.config.openclaw.bin ?? "openclaw", env: p.env, scratchParent: join(p.stateDir, "oracle"), exec: p.exec, now: () => p.clock.now(), timeoutMs: v().timeout, signal }),
      }),
    // Held until the next comparison is due (interval) plus a settle's grace: a daily fact, not stale at noon.
    report: (outcome, compared) => p.apply(p.tracker.report(oracleReport(disagreementFindings(outcome, p.clock.now()), compared, 2 * v().interval + v().settle))),
  });
}
