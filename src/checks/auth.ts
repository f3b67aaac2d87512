// Auth checks over the snapshot: missing, shadowed, expiring credentials and active cooldowns.
import { makeFinding, type Finding } from "./finding.js";
import { COOLDOWN_BYPASS, envNamesFor } from "../openclaw/credentials.js";
import type { Agent, Credential, Installation, ProviderCredentials } from "../openclaw/types.js";

const EXPIRY_WINDOW_MS = 3 * 24 * 3600_000;

function fp(c: Credential): string {
  return c.secret ? c.secret.fingerprint : "no value";
}

function pasteCommand(agent: string, provider: string, profileId: string): string {
  // `--agent` on the `models auth` group works on 2026.5.x and 2026.9.x alike (on 5.x the
  // subcommand itself rejects --agent).
  return `openclaw models auth --agent ${agent} paste-api-key --provider ${provider} --profile-id ${profileId}`;
}

function isOAuthOnly(provider: string): boolean {
  return provider === "openai-codex" || provider.endsWith("-oauth") || provider === "github-copilot";
}

export function missingAuth(inst: Installation, now: number): Finding[] {
  const out: Finding[] = [];
  for (const agent of inst.agents) {
    for (const pc of agent.credentials) {
      if (pc.winner) continue;
      const isPrimary = agent.route.primary?.ref.provider === pc.provider;
      const refs = [agent.route.primary, ...agent.route.fallbacks].filter((e) => e?.ref.provider === pc.provider).map((e) => e!.ref.ref);
      const unresolved = pc.others.filter((c) => c.unresolved).map((c) => `${c.source.label}: ${c.unresolved}`);
      const env = envNamesFor(pc.provider).find((n) => n.endsWith("_API_KEY")) ?? `${pc.provider.toUpperCase()}_API_KEY`;
      // The config names a variable that is set nowhere: setting it is the fix, not a new profile.
      const unsetVar = pc.others.map((c) => (c.source.kind === "config" && c.unresolved ? /\$\{([A-Z_][A-Z0-9_]*)\}|env ([A-Z_][A-Z0-9_]*) is not set/.exec(c.unresolved) : null)).find(Boolean);
      const varName = unsetVar?.[1] ?? unsetVar?.[2];
      out.push(
        makeFinding({
          kind: "auth.missing",
          severity: isPrimary ? "critical" : "warning",
          subject: { agent: agent.id, provider: pc.provider },
          summary: `agent ${agent.id} has no credential for ${pc.provider} (${isPrimary ? "primary" : "fallback"} ${refs.join(", ")}) in any source OpenClaw consults`,
          detail: varName
            ? `models.providers.${pc.provider}.apiKey reads ${varName}, which is set nowhere: add ${varName}=… to ~/.openclaw/.env (chmod 600), then openclaw gateway restart`
            : isOAuthOnly(pc.provider)
            ? `log in: openclaw models auth --agent ${agent.id} login --provider ${pc.provider}`
            : `${pasteCommand(agent.id, pc.provider, `${pc.provider}:default`)} (reads the key from stdin), or add ${env}=… to ~/.openclaw/.env and openclaw gateway restart`,
          evidence: { models: refs, unresolved },
          at: now,
        }),
      );
    }
  }
  return out;
}

function shadowFix(agent: Agent, pc: ProviderCredentials, loser: Credential): string {
  const w = pc.winner!;
  if (w.source.kind === "profile" && w.source.profileId) {
    const id = w.source.profileId;
    const alt = loser.source.kind === "env" ? `; or, if ${loser.source.envVar} holds the good key, remove the stale profile (openclaw models auth --agent ${agent.id} order set --provider ${pc.provider} with the profiles you keep, or delete ${id} from the store)` : "";
    return `if the stored key is stale, replace it: ${pasteCommand(agent.id, pc.provider, id)} (paste the good key on stdin)${alt}; then openclaw gateway restart`;
  }
  if (w.source.kind === "env") {
    return `make one source hold the good key: fix ${w.source.envVar} in ${w.source.file ?? "the env file"} (it wins) or remove it so the next source is used; then openclaw gateway restart`;
  }
  if (w.source.kind === "config") {
    return `update or remove models.providers.${pc.provider}.apiKey (openclaw config set models.providers.${pc.provider}.apiKey '"\${${envNamesFor(pc.provider)[2] ?? "KEY"}}"' --strict-json), then openclaw gateway restart`;
  }
  return `remove the stale copy so one source holds the key, then openclaw gateway restart`;
}

/** The credential the runtime would use differs from another configured one. */
export function shadowedAuth(inst: Installation, now: number): Finding[] {
  const out: Finding[] = [];
  for (const agent of inst.agents) {
    for (const pc of agent.credentials) {
      const w = pc.winner;
      if (!w?.secret) continue;
      const differing = pc.others.filter((c) => c.secret && !c.secret.sameAs(w.secret!));
      if (!differing.length) continue;
      const first = differing[0]!;
      out.push(
        makeFinding({
          kind: "auth.shadowed",
          // Two sources differ, the runtime's works or the probe says otherwise (auth.shadowed,
          // critical, from the probe): on its own a read-time fact for the digest, not a page.
          severity: "info",
          subject: { agent: agent.id, provider: pc.provider },
          summary: `agent ${agent.id}, ${pc.provider}: ${w.source.label} (${fp(w)}) beats ${first.source.label} (${fp(first)})${differing.length > 1 ? ` (and ${differing.length - 1} more source(s) with a different key)` : ""}`,
          detail: shadowFix(agent, pc, first),
          evidence: {
            rule: pc.rule,
            winner: { source: w.source.label, fingerprint: fp(w) },
            shadowed: differing.map((c) => ({ source: c.source.label, fingerprint: fp(c) })),
          },
          at: now,
        }),
      );
    }
  }
  return out;
}

/** OAuth/token credentials that expire within 3 days or have expired. */
export function expiringAuth(inst: Installation, now: number): Finding[] {
  const out = new Map<string, Finding>();
  // Route credentials first (they name the agent), then every other stored profile.
  const stored: ProviderCredentials[] = (inst.storedCredentials ?? []).map((c) => ({ provider: c.provider, winner: c, others: [], rule: "" }));
  const agentFor = (provider: string) => inst.agents.find((a) => a.credentials.some((pc) => pc.provider === provider)) ?? inst.agents.find((a) => a.isDefault) ?? inst.agents[0];
  const groups = [...inst.agents.flatMap((a) => a.credentials.map((pc) => ({ agent: a, pc }))), ...stored.map((pc) => ({ agent: agentFor(pc.provider), pc }))];
  for (const { agent: maybeAgent, pc } of groups) {
    const agent = maybeAgent ?? ({ id: "main" } as Agent);
    for (const c of [pc.winner, ...pc.others]) {
      if (!c || c.expiresAt === undefined || c.type === "api_key") continue;
      const left = c.expiresAt - now;
      if (left > EXPIRY_WINDOW_MS) continue;
      const refresh = c.type === "oauth" && c.hasRefreshToken === true;
      const expired = left <= 0;
      // With a refresh token OpenClaw renews the access token on the next call: an idle agent's token
      // expiring is routine, not a page (info, in the digest). Without one, someone must log in.
      const severity = refresh ? "info" : expired ? "critical" : "warning";
      const profile = c.source.profileId ?? c.id;
      const when = new Date(c.expiresAt).toISOString();
      const inText = expired ? `expired at ${when}` : `expires at ${when} (in ${Math.max(1, Math.round(left / 3600_000))} h)`;
      const f = makeFinding({
        kind: "auth.expiring",
        severity,
        subject: { provider: pc.provider, profile },
        summary: `${c.type} credential ${profile} ${inText}; ${refresh ? "it has a refresh token, so OpenClaw refreshes it on use" : "it has no refresh token"}`,
        detail: refresh
          ? `if the refresh fails, log in again: openclaw models auth --agent ${agent.id} login --provider ${pc.provider}`
          : c.type === "token"
            ? `paste a new token: openclaw models auth --agent ${agent.id} paste-token --provider ${pc.provider}`
            : `log in again: openclaw models auth --agent ${agent.id} login --provider ${pc.provider}`,
        evidence: { expiresAt: when, hasRefreshToken: c.hasRefreshToken ?? false, source: c.source.label, fingerprint: fp(c) },
        at: now,
      });
      if (!out.has(f.key)) out.set(f.key, f);
    }
  }
  return [...out.values()];
}

/**
 * Cooldown reasons OpenClaw rides out by itself (it rotates profiles and the window lapses in
 * minutes): info. Repeated ones are cooldown.storm; a rejected key (auth) or billing stays a warning.
 */
const TRANSIENT_COOLDOWN = new Set(["rate_limit", "overloaded", "timeout"]);

/** Auth profiles (or inline keys) currently cooling down, disabled or blocked. */
export function activeCooldowns(inst: Installation, now: number): Finding[] {
  const out: Finding[] = [];
  for (const u of inst.usage) {
    const windows = [
      { kind: "cooldown", until: u.cooldownUntil, reason: u.cooldownReason },
      { kind: "disabled", until: u.disabledUntil, reason: u.disabledReason },
      { kind: "blocked", until: u.blockedUntil, reason: u.blockedReason },
    ].filter((w) => w.until !== undefined && w.until > now);
    if (!windows.length) continue;
    const w = windows.sort((a, b) => b.until! - a.until!)[0]!;
    const bypass = u.provider !== undefined && COOLDOWN_BYPASS.has(u.provider);
    const until = new Date(w.until!).toISOString();
    const mins = Math.max(1, Math.round((w.until! - now) / 60_000));
    const agents = inst.agents.filter((a) => a.credentials.some((pc) => pc.provider === u.provider)).map((a) => a.id);
    out.push(
      makeFinding({
        kind: "cooldown.active",
        severity: bypass ? "info" : w.kind === "disabled" || w.kind === "blocked" ? "critical" : TRANSIENT_COOLDOWN.has(w.reason ?? "") ? "info" : "warning",
        subject: { ...(u.agent ? { agent: u.agent } : {}), ...(u.provider ? { provider: u.provider } : {}), profile: u.profileId },
        summary: `${u.profileId} is ${w.kind === "cooldown" ? "in cooldown" : w.kind} until ${until} (${mins} min left, reason ${w.reason ?? "unknown"}${u.cooldownModel ? `, model ${u.cooldownModel}` : ""})${bypass ? `; note ${u.provider} never cools in OpenClaw, so this state is not enforced` : ""}`,
        detail: bypass
          ? `nothing to wait for: OpenRouter/Kilocode bypass cooldowns; look at the gateway log for the underlying ${w.reason ?? ""} errors`
          : `wait until ${until}, or fix the cause (${w.reason ?? "unknown"}) and check with openclaw models status --agent ${u.agent ?? agents[0] ?? "main"}${w.reason === "auth" ? `; a rejected key needs ${pasteCommand(u.agent ?? agents[0] ?? "main", u.provider ?? "<provider>", u.profileId)}` : ""}`,
        evidence: { until, reason: w.reason, window: w.kind, errorCount: u.errorCount, failureCounts: u.failureCounts, source: u.source, agentsUsingProvider: agents },
        at: now,
      }),
    );
  }
  return out;
}

export function authFindings(inst: Installation, now: number): Finding[] {
  return [...missingAuth(inst, now), ...shadowedAuth(inst, now), ...expiringAuth(inst, now), ...activeCooldowns(inst, now)];
}
