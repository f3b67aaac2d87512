// The one list of finding sources `clawpatrol check` runs, built from clawpatrol's config: config
// lint, credentials, runs (transcripts + gateway log), route probes, gateway liveness and drift
// against the daemon's baseline. The daemon runs the same functions on its own schedules
// (`snapshotFindings`, the run and probe options of src/config/derive.ts, `driftScopeOf`).
// A source that throws becomes one finding, never a crash.
import { makeFinding, sortFindings, type Finding } from "./checks/finding.js";
import { authFindings } from "./checks/auth.js";
import { lintFindings } from "./checks/lint.js";
import { unverifiedFindings } from "./checks/unverified.js";
import type { ClawpatrolConfig } from "./config/schema.js";
import { probeMatrixOptions, runMonitorOptions } from "./config/derive.js";
import type { Installation } from "./openclaw/types.js";
import { gatewayFindings, probeGateway } from "./probe/gateway.js";
import { probeFindingSource } from "./probe/source.js";
import { BaselineStore } from "./drift/baseline-store.js";
import { DriftMonitor, driftScopeOf } from "./drift/monitor.js";
import { runFindingSource } from "./watch/run-watcher.js";
import { redactText } from "./util/secret.js";

export interface FindingSourceContext {
  inst: Installation;
  now: number;
  /** No network (probes and the gateway check skip themselves). */
  offline: boolean;
  /** Look-back window for log/transcript sources, ms. */
  sinceMs: number;
}

export interface FindingSource {
  name: string;
  collect(ctx: FindingSourceContext): Promise<Finding[]>;
}

/** Config lint and credentials: pure checks of one installation snapshot. */
/** Lint of the installation; auth over `authInst` (the daemon adds the primaries an agent on a fallback still owns). */
export function snapshotFindings(inst: Installation, now: number, authInst: Installation = inst): Finding[] {
  return [...lintFindings(inst, now), ...authFindings(authInst, now), ...unverifiedFindings(inst, now)];
}

/** The sources that need nothing but the snapshot (malformed-input tests, the oracle script). */
export const SNAPSHOT_SOURCES: FindingSource[] = [{ name: "lint+auth", collect: async ({ inst, now }) => snapshotFindings(inst, now) }];

export interface SourceEnv {
  env: NodeJS.ProcessEnv;
}

/** Everything `clawpatrol check` looks at, with the thresholds of this config. */
export function checkSources(config: ClawpatrolConfig, { env }: SourceEnv): FindingSource[] {
  const runs = runMonitorOptions(config.runs);
  const matrix = probeMatrixOptions(config.probe);
  return [
    ...SNAPSHOT_SOURCES,
    {
      name: "runs",
      // The look-back window is also how long an empty reply counts: `--since 3h` shows one from 80 minutes ago.
      collect: ({ inst, now, sinceMs }) => runFindingSource(inst, { since: now - sinceMs, now, monitor: { ...runs, emptyReplyWindowMs: sinceMs } }),
    },
    { name: "probe", collect: ({ inst, now, offline }) => probeFindingSource(inst, { now, offline, gateway: false, ...matrix }) },
    {
      name: "gateway",
      collect: async ({ inst, now, offline }) => (offline ? [] : gatewayFindings(await probeGateway(inst.gateway, { now: () => now, timeoutMs: Math.min(matrix.timeoutMs, 5000) }), now)),
    },
    { name: "drift", collect: ({ inst }) => driftFindings(inst, env) },
  ];
}

/** config.drift against the baseline the daemon keeps (none yet: nothing to compare, no finding). Changes nothing. */
async function driftFindings(inst: Installation, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const store = new BaselineStore({ stateDir: inst.paths.stateDir, env });
  if (!store.initialized) return [];
  return new DriftMonitor({ scope: driftScopeOf(inst, env), store }).peek(inst);
}

export async function collectFindings(inst: Installation, now: number, sources: readonly FindingSource[], options: { offline?: boolean; sinceMs?: number } = {}): Promise<Finding[]> {
  const ctx: FindingSourceContext = { inst, now, offline: options.offline ?? false, sinceMs: options.sinceMs ?? 3600_000 };
  const all: Finding[] = [];
  for (const source of sources) {
    try {
      all.push(...(await source.collect(ctx)));
    } catch (err) {
      all.push(
        makeFinding({
          kind: "state.unreadable",
          severity: "warning",
          subject: { file: `clawpatrol:${source.name}` },
          summary: redactText(`the ${source.name} check could not run: ${(err as Error)?.message?.split("\n")[0] ?? String(err)}`),
          at: now,
        }),
      );
    }
  }
  const byKey = new Map<string, Finding>();
  for (const f of all) if (!byKey.has(f.key)) byKey.set(f.key, f);
  return sortFindings([...byKey.values()]);
}
