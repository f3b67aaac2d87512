// `cooldown.storm`: every auth profile of a provider cooling or disabled at once, a billing
// disable, or cooldown windows re-entering faster than a threshold (research §5.3–5.5).
// Pure: OpenClaw's usage state + observed new cooldown windows + `now` in, findings out.
// OpenRouter/Kilocode never enter cooldown; their only signal is run.failure-burst (runs.ts).
import { makeFinding, type Finding } from "./finding.js";
import type { UsageState } from "../openclaw/types.js";
import { inlineKeyProvider } from "../openclaw/auth-store.js";

export interface CooldownOptions {
  /** This many new cooldown windows for one provider within `reentryWindowMs` is a storm. */
  reentryThreshold: number;
  reentryWindowMs: number;
}

export const DEFAULT_COOLDOWN_OPTIONS: CooldownOptions = { reentryThreshold: 3, reentryWindowMs: 30 * 60_000 };

/** A cooldown/disable window that started (not a reused one), from the log or a usage-state change. */
export interface CooldownWindowObs {
  at: number;
  provider: string;
  /** Profile id; hashed (`sha256:…`) when it came from the log. */
  profile?: string;
  agent?: string;
  reason?: string;
  windowType?: string;
  until?: number;
  source: "log" | "usage";
}

/** Provider of a usage entry: explicit, or the profile id's prefix (`openrouter:default`, `inline-api-key:mock`). */
export function providerOfUsage(u: UsageState): string {
  if (u.provider) return u.provider;
  const id = u.profileId;
  const inline = inlineKeyProvider(id);
  if (inline !== null) return inline;
  const i = id.indexOf(":");
  return i > 0 ? id.slice(0, i) : id;
}

export function unusableUntil(u: UsageState, now: number): number | null {
  const until = Math.max(u.cooldownUntil ?? 0, u.disabledUntil ?? 0, u.blockedUntil ?? 0);
  return until > now ? until : null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Drop windows seen twice (once in the log, once in the usage state) — same provider within 5 s. */
export function distinctWindows(windows: CooldownWindowObs[]): CooldownWindowObs[] {
  const sorted = [...windows].sort((a, b) => a.at - b.at);
  const out: CooldownWindowObs[] = [];
  for (const w of sorted) {
    const dup = out.some((o) => o.provider === w.provider && (o.agent ?? w.agent) === (w.agent ?? o.agent) && Math.abs(o.at - w.at) <= 5_000 && o.source !== w.source);
    if (!dup) out.push(w);
  }
  return out;
}

export function checkCooldown(usage: UsageState[], windows: CooldownWindowObs[], now: number, opts: CooldownOptions = DEFAULT_COOLDOWN_OPTIONS): Finding[] {
  interface Group { agent?: string; provider: string; profiles: UsageState[] }
  const groups = new Map<string, Group>();
  for (const u of usage) {
    const provider = providerOfUsage(u);
    const k = `${u.agent ?? ""}|${provider}`;
    const g = groups.get(k) ?? { provider, profiles: [], ...(u.agent ? { agent: u.agent } : {}) };
    g.profiles.push(u);
    groups.set(k, g);
  }
  const storms = new Map<string, { agent?: string; provider: string; reasons: string[]; evidence: Record<string, unknown>; summary: string; detail: string }>();
  const storm = (agent: string | undefined, provider: string) => {
    const k = `${agent ?? ""}|${provider}`;
    let s = storms.get(k);
    if (!s) {
      s = { provider, reasons: [], evidence: {}, summary: "", detail: "", ...(agent ? { agent } : {}) };
      storms.set(k, s);
    }
    return s;
  };
  for (const g of groups.values()) {
    const blocked = g.profiles.map((p) => ({ p, until: unusableUntil(p, now) }));
    const who = g.agent ? `agent "${g.agent}"` : "every agent";
    const billing = blocked.filter((b) => b.until && b.p.disabledReason === "billing");
    if (billing.length) {
      const s = storm(g.agent, g.provider);
      s.reasons.push("billing");
      s.evidence.billingDisabled = billing.map((b) => ({ profile: b.p.profileId, disabledUntil: iso(b.until!) }));
      s.summary ||= `Provider "${g.provider}" is disabled for billing for ${who} until ${iso(Math.max(...billing.map((b) => b.until!)))}`;
      s.detail ||= "The provider refused for billing or credits; OpenClaw disables the profile for hours. Top up the account; until the window ends, switch the agent to another provider (`clawpatrol fallback`).";
    }
    if (blocked.length > 0 && blocked.every((b) => b.until !== null)) {
      const s = storm(g.agent, g.provider);
      s.reasons.push("all-profiles-unusable");
      const soonest = Math.min(...blocked.map((b) => b.until!));
      s.evidence.profiles = blocked.map((b) => ({
        profile: b.p.profileId,
        until: iso(b.until!),
        ...(b.p.cooldownReason ? { cooldownReason: b.p.cooldownReason } : {}),
        ...(b.p.disabledReason ? { disabledReason: b.p.disabledReason } : {}),
        ...(b.p.cooldownModel ? { cooldownModel: b.p.cooldownModel } : {}),
        ...(b.p.errorCount !== undefined ? { errorCount: b.p.errorCount } : {}),
        source: b.p.source,
      }));
      s.evidence.usableAgainAt = iso(soonest);
      const reason = blocked.map((b) => b.p.disabledReason ?? b.p.cooldownReason).find(Boolean);
      s.summary ||= `Every auth profile of provider "${g.provider}" is cooling down or disabled for ${who} until ${iso(soonest)}${reason ? ` (${reason})` : ""}`;
      s.detail ||= `Messages on this provider fail or fall back until a profile is usable again. Fix the cause (${reason ?? "see evidence"}), add another profile, or switch the agent to a verified model with \`clawpatrol fallback\`.`;
    }
  }
  // Re-entry: new windows per provider (+agent) inside the window.
  const recent = distinctWindows(windows.filter((w) => now - w.at <= opts.reentryWindowMs && w.at <= now + 1000));
  const byRoute = new Map<string, CooldownWindowObs[]>();
  for (const w of recent) {
    const k = `${w.agent ?? ""}|${w.provider}`;
    byRoute.set(k, [...(byRoute.get(k) ?? []), w]);
  }
  for (const list of byRoute.values()) {
    if (list.length < opts.reentryThreshold) continue;
    const first = list[0]!;
    const s = storm(first.agent, first.provider);
    s.reasons.push("fast-reentry");
    s.evidence.reentries = list.length;
    s.evidence.reentryWindowMs = opts.reentryWindowMs;
    s.evidence.windows = list.slice(-10).map((w) => ({ at: iso(w.at), ...(w.reason ? { reason: w.reason } : {}), ...(w.windowType ? { windowType: w.windowType } : {}), ...(w.profile ? { profile: w.profile } : {}), source: w.source }));
    s.summary ||= `Provider "${first.provider}" entered cooldown ${list.length} times in ${Math.round(opts.reentryWindowMs / 60_000)} min${first.agent ? ` for agent "${first.agent}"` : ""}`;
    s.detail ||= "Cooldowns keep coming back: the cause is not transient. Check the credential and quota for this provider, or switch the agent to a verified model with `clawpatrol fallback`.";
  }
  return [...storms.values()].map((s) =>
    makeFinding({
      kind: "cooldown.storm",
      severity: "critical",
      subject: { ...(s.agent ? { agent: s.agent } : {}), provider: s.provider },
      summary: s.summary,
      detail: s.detail,
      evidence: { reasons: s.reasons, ...s.evidence },
      at: now,
    }),
  );
}
