// One-shot collection of findings for `clawpatrol check` (and the daemon's periodic pass).
// Extension point: other parts (probe, runs, …) register an async FindingSource; every source
// gets the same snapshot and time and returns its findings. A source that throws becomes one
// finding, never a crash.
import { makeFinding, sortFindings, type Finding } from "./finding.js";
import { authFindings } from "./auth.js";
import { lintFindings } from "./lint.js";
import { runFindingSource } from "../watch/run-watcher.js";
import type { Installation } from "../openclaw/types.js";
import { redactText } from "../util/secret.js";

export interface FindingSourceContext {
  inst: Installation;
  now: number;
  /** No network (probes skip themselves). */
  offline: boolean;
  /** Look-back window for log/transcript sources, ms. */
  sinceMs: number;
}

export interface FindingSource {
  name: string;
  collect(ctx: FindingSourceContext): Promise<Finding[]>;
}

/** Pure snapshot checks (config lint, env, secrets, auth). */
export const SNAPSHOT_SOURCES: FindingSource[] = [
  { name: "lint", collect: async ({ inst, now }) => lintFindings(inst, now) },
  { name: "auth", collect: async ({ inst, now }) => authFindings(inst, now) },
];

/** Other helpers append their sources here (probe, runs, cooldown storms …). */
export const FINDING_SOURCES: FindingSource[] = [
  ...SNAPSHOT_SOURCES,
  // Empty bubbles, stuck runs, failure bursts, cooldown storms: transcripts + gateway log within --since.
  { name: "runs", collect: ({ inst, now, sinceMs }) => runFindingSource(inst, { since: now - sinceMs, now }) },
];

export function registerFindingSource(source: FindingSource): void {
  if (!FINDING_SOURCES.some((s) => s.name === source.name)) FINDING_SOURCES.push(source);
}

export async function collectOneShotFindings(
  inst: Installation,
  now: number,
  options: { offline?: boolean; sinceMs?: number; sources?: FindingSource[] } = {},
): Promise<Finding[]> {
  const ctx: FindingSourceContext = { inst, now, offline: options.offline ?? false, sinceMs: options.sinceMs ?? 3600_000 };
  const all: Finding[] = [];
  for (const source of options.sources ?? FINDING_SOURCES) {
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
