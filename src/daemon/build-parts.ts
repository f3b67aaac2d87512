// Builds (and, on a reload, rebuilds) the daemon's config-dependent parts, each wired to the
// observation handlers and reading the other parts through DaemonParts. Each part is stored before
// it starts: its first event may already read it back (drift's first report judges config-stale).
import type { SubjectState } from "../health/types.js";
import { createProbes } from "./probe-wiring.js";
import { createDrift, startDrift } from "./drift-wiring.js";
import { createNotify, reconcileNotify } from "./notify-wiring.js";
import { onDrift, onE2E, onGateway, onProbe } from "./observe.js";
import type { DaemonParts } from "./parts.js";
import { createRemedy } from "./remedy-wiring.js";
import { recoverInterruptedSwitch, type RemedyLoopParts } from "./remedy-loop.js";
import { createRuns } from "./runs-wiring.js";

export async function buildNotify(p: DaemonParts): Promise<void> {
  p.dispatcher = await createNotify({ alerts: p.config.alerts, env: p.env, stateDir: p.stateDir, own: p.own, tracker: p.tracker, clock: p.clock, log: p.log, onNotified: () => void p.jobs.status.trigger() });
  await reconcileNotify(p.dispatcher, p.tracker, p.own);
}

export function buildRemedy(p: DaemonParts): void {
  const { engine, restarter } = createRemedy({
    config: p.config,
    exec: p.exec,
    clock: p.clock,
    env: p.env,
    stateDir: p.own.dir,
    inst: () => p.inst,
    routeState: (agent, provider) => routeState(p, agent, provider),
    gatewayUp: () => p.gateway.up(),
    gatewayIncident: () => p.tracker.isDown("gateway"),
    verifyCandidate: async (agent, ref) => p.cache.check(agent, ref),
    runsInFlight: () => p.runs?.monitor.activeRuns() ?? 0,
    recordOwnChange: (file, note, hash, windowMs) => p.drift.recordOwnChange(file, hash ?? null, note, windowMs !== undefined ? { windowMs } : {}),
  });
  p.remedy = engine;
  p.restarter = restarter;
  recoverInterruptedSwitch(engine, p.log);
}

export async function buildDrift(p: DaemonParts): Promise<void> {
  p.drift = await createDrift({ inst: p.inst, env: p.env, legacyStateDir: p.stateDir, own: p.own, clock: p.clock, drift: p.config.drift, log: p.log, onReport: (r) => onDrift(p, r) });
  await startDrift(p.drift, p.inst);
}

export function buildRuns(p: DaemonParts): void {
  ({ runs: p.runs, paths: p.runPaths } = createRuns({ inst: p.inst, runs: p.config.runs, ownDir: p.own.dir, clock: p.clock, log: p.log, onChange: () => void p.jobs.runs.trigger() }));
  p.runPaths.update(p.runs);
}

export function buildProbes(p: DaemonParts): void {
  p.probes = createProbes({
    config: p.config,
    inst: () => p.inst,
    remedy: () => p.remedy,
    env: p.env,
    clock: p.clock,
    exec: p.exec,
    ...(p.fetch ? { fetch: p.fetch } : {}),
    log: p.log,
    onAuth: (matrix, findings) => onProbe(p, matrix, findings),
    onGateway: (result, findings) => onGateway(p, result, findings),
    onE2E: (findings) => onE2E(p, findings),
  });
}

export function remedyLoopOf(p: DaemonParts): RemedyLoopParts {
  return { tracker: p.tracker, clock: p.clock, log: p.log, apply: (t) => p.apply(t), reread: () => void p.jobs.install.trigger() };
}

export function routeState(p: DaemonParts, agent: string, provider: string): SubjectState {
  return p.routeHealth.state(p.tracker, agent, provider);
}
