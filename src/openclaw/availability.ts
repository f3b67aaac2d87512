// Is an agent's winning credential for a provider usable right now, as OpenClaw's own
// `models status` decides it? A credential can be present and still unusable while a cooldown,
// disabled or blocked window recorded by a failed turn is active (version rule in version-rules.ts).
import { inlineKeyUsageId } from "./auth-store.js";
import { COOLDOWN_BYPASS, unusableUntil } from "./credentials.js";
import { cooldownMakesProviderUnusable } from "./version-rules.js";
import type { Agent, Installation, ProviderCredentials, UsageState } from "./types.js";

/** Reasons OpenClaw scopes to the one model that failed (a cooldown of another model does not count). */
const MODEL_SCOPED = new Set(["rate_limit", "timeout", "model_not_found"]);

/** End of the window that makes `u` unusable for `model` (undefined = any model), or null. */
function windowEnd(u: UsageState, model: string | undefined, now: number): number | null {
  const cooldownApplies = !(model !== undefined && u.cooldownReason && MODEL_SCOPED.has(u.cooldownReason) && u.cooldownModel && u.cooldownModel !== model);
  const end = unusableUntil(cooldownApplies ? u : { disabledUntil: u.disabledUntil, blockedUntil: u.blockedUntil });
  return end > now ? end : null;
}

export interface Unusable {
  until: number;
  /** The usage entry OpenClaw reads: a profile id, or `inline-api-key:<provider>`. */
  usageId: string;
  reason?: string;
}

/**
 * Why the winner of `pc` cannot be used by `agent` at `now`, or null when it can (or there is no
 * winner: that is `missing`, not this). Profiles: the winner's own state (clawpatrol orders cooling
 * profiles last, so a cooling winner means every profile cools), for each route model of the
 * provider. Keys that are not profiles: OpenClaw's `inline-api-key:<provider>` entry, except for an
 * ambient environment variable, which OpenClaw evaluates without it.
 */
export function winnerUnusable(inst: Pick<Installation, "usage" | "version">, agent: Pick<Agent, "id" | "route">, pc: ProviderCredentials, now: number): Unusable | null {
  const w = pc.winner;
  if (!w || !cooldownMakesProviderUnusable(inst.version.version) || COOLDOWN_BYPASS.has(pc.provider)) return null;
  if (w.source.kind === "env") return null;
  const usageId = w.source.kind === "profile" ? w.source.profileId! : inlineKeyUsageId(pc.provider);
  const u = inst.usage.find((x) => x.profileId === usageId && (!x.agent || x.agent === agent.id));
  if (!u) return null;
  const models = w.source.kind === "profile" ? routeModels(agent, pc.provider) : [undefined];
  for (const m of models) {
    const until = windowEnd(u, m, now);
    const reason = u.disabledReason ?? u.cooldownReason ?? u.blockedReason;
    if (until !== null) return { until, usageId, ...(reason ? { reason } : {}) };
  }
  return null;
}

function routeModels(agent: Pick<Agent, "route">, provider: string): string[] {
  const refs = [agent.route.primary, ...agent.route.fallbacks].filter((e) => e && e.ref.provider === provider).map((e) => e!.ref.model);
  return refs.length ? refs : [""];
}
