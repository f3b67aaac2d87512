// One agent, two answers: what `openclaw models status --json --agent ID` says and what clawpatrol's
// explain (the same Installation `clawpatrol explain --json` prints) says, field by field. Used by the
// differential verifier (scripts/verify-openclaw.ts) and by `clawpatrol verify` on a live install.
import type { Agent, Credential, Installation } from "./types.js";
import { routeProviders } from "./routes.js";
import { winnerUnusable } from "./availability.js";
import { dollarRefIsEnvSource } from "./version-rules.js";
import { unusableUntil } from "./credentials.js";
import { openclawMask, type ModelsStatus, type SecretsAudit } from "./models-status.js";
export { openclawMask, type ModelsStatus, type SecretsAudit };

export type Verdict = "agree" | "disagree" | "not-reported";
export const FIELDS = ["primary", "fallbacks", "origin", "missing", "winner-kind", "winner-key", "winner-profile", "unusable"] as const;
/** Compared once per install: does `models status` refuse, and what `secrets audit --json` reports. */
export const INSTALL_FIELDS = ["status-refused", "unresolved-refs", "plaintext"] as const;
export type InstallField = (typeof INSTALL_FIELDS)[number];
export type Field = (typeof FIELDS)[number];

export interface FieldResult<F extends string = Field> {
  field: F;
  verdict: Verdict;
  openclaw: unknown;
  clawpatrol: unknown;
}

/** clawpatrol's winning source in OpenClaw's `effective.kind` words. */
export function effectiveKind(c: Credential | null): string {
  if (!c) return "missing";
  switch (c.source.kind) {
    case "profile": return "profiles";
    case "env": return "env";
    case "local": return "synthetic";
    case "config": return c.source.envVar ? "env" : "models.json";
    default: return "models.json";
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** When `models status` for the agent started and ended (epoch ms): time-dependent fields are judged at both. */
export interface CallWindow {
  start: number;
  end: number;
}

/**
 * clawpatrol's answer at the start of the call, and whether it was another one by its end (a
 * window ended during the call: no single answer to compare).
 */
function atBothEnds(when: CallWindow, answerAt: (t: number) => string[]): { answer: string[]; raced: string | null } {
  const answer = answerAt(when.start);
  const atEnd = answerAt(when.end);
  return { answer, raced: sameList(answer, atEnd) ? null : `${answer.join(",")} → ${atEnd.join(",")} (a window ended during the call)` };
}

export function compareAgent(inst: Installation, agent: Agent, status: ModelsStatus, when: CallWindow = { start: Date.now(), end: Date.now() }): FieldResult[] {
  const out: FieldResult[] = [];
  const add = (field: Field, openclaw: unknown, clawpatrol: unknown, agree: boolean | null) =>
    out.push({ field, verdict: agree === null ? "not-reported" : agree ? "agree" : "disagree", openclaw, clawpatrol });
  const primary = agent.route.primary?.ref.ref ?? null;
  add("primary", status.defaultModel ?? null, primary, status.defaultModel === undefined ? null : (status.defaultModel ?? null) === primary);
  const fb = agent.route.fallbacks.map((f) => f.ref.ref);
  add("fallbacks", status.fallbacks ?? null, fb, status.fallbacks ? sameList(status.fallbacks, fb) : null);
  const src = status.modelConfig?.defaultSource;
  const from = agent.route.primary?.from ?? null;
  add("origin", src ?? null, from, src === undefined || !primary ? null : src === from);
  // A provider whose readiness OpenClaw "could not confirm" (route issue `indeterminate`, e.g. an
  // OpenRouter model not in the offline catalog on 8.2/9.6) has no verdict to compare.
  const undecided = new Set((status.auth?.modelRouteIssues ?? []).filter((i) => i.kind === "indeterminate" && i.provider).map((i) => i.provider!));
  const route = routeProviders(agent.route).filter((p) => !undecided.has(p));
  const ocMissing = (status.auth?.missingProvidersInUse ?? []).filter((p) => route.includes(p)).sort();
  // Missing = no credential, or (8.2+) the winner in a cooldown window at the moment `models status` ran.
  const missing = atBothEnds(when, (t) => agent.credentials.filter((c) => route.includes(c.provider) && (!c.winner || winnerUnusable(inst, agent, c, t))).map((c) => c.provider).sort());
  add("missing", ocMissing, missing.raced ?? missing.answer, status.auth?.missingProvidersInUse && !missing.raced ? sameList(ocMissing, missing.answer) : null);
  // Winner per route provider that OpenClaw lists with an effective source.
  const kinds: string[] = [];
  const keys: string[] = [];
  let kindAgree = true;
  let keyAgree = true;
  let reported = false;
  for (const pc of agent.credentials) {
    const eff = status.auth?.providers?.find((p) => p.provider === pc.provider)?.effective;
    if (!eff?.kind) continue;
    reported = true;
    const mine = effectiveKind(pc.winner);
    kinds.push(`${pc.provider}: ${eff.kind} vs ${mine}`);
    if (eff.kind !== mine) kindAgree = false;
    if (eff.kind === "profiles" && mine === "profiles" && eff.detail) {
      // OpenClaw names the store the winning profiles come from; clawpatrol's winner must live there.
      const store = eff.detail.replace(/^~(?=\/)/, inst.paths.home ?? "~");
      const same = (pc.winner?.source.file ?? "").startsWith(store);
      keys.push(`${pc.provider}: ${same ? "same store" : `different store (openclaw ${eff.detail}, clawpatrol ${pc.winner?.source.file})`}`);
      if (!same) keyAgree = false;
    }
    if ((eff.kind === "env" || eff.kind === "models.json") && pc.winner?.secret && eff.detail?.includes("...")) {
      const same = openclawMask(pc.winner.secret.reveal()) === eff.detail;
      keys.push(`${pc.provider}: ${same ? "same key" : `different key (clawpatrol ${pc.winner.secret.fingerprint})`}`);
      if (!same) keyAgree = false;
    }
  }
  add("winner-kind", kinds, kinds, reported ? kindAgree : null);
  add("winner-key", keys, keys, keys.length ? keyAgree : null);
  // Which stored profile wins, where OpenClaw says profiles win and lists the effective ones.
  const oc: string[] = [];
  const cp: string[] = [];
  for (const pc of agent.credentials) {
    const eff = status.auth?.providers?.find((p) => p.provider === pc.provider)?.effective;
    const first = status.auth?.oauth?.providers?.find((p) => p.provider === pc.provider)?.effectiveProfiles?.[0]?.profileId;
    if (eff?.kind !== "profiles" || !first) continue;
    oc.push(`${pc.provider}: ${first}`);
    cp.push(`${pc.provider}: ${pc.winner?.source.profileId ?? effectiveKind(pc.winner)}`);
  }
  add("winner-profile", oc, cp, oc.length ? sameList(oc, cp) : null);
  // Profiles OpenClaw will skip vs the profiles clawpatrol sees in cooldown or disabled.
  const ocUnusable = status.auth?.unusableProfiles?.map((p) => p.profileId ?? "?").sort();
  const unusable = atBothEnds(when, (t) => [...new Set(inst.usage.filter((u) => (!u.agent || u.agent === agent.id) && unusableUntil(u) > t).map((u) => u.profileId))].sort());
  add("unusable", ocUnusable ?? null, unusable.raced ?? unusable.answer, ocUnusable && !unusable.raced ? sameList(ocUnusable, unusable.answer) : null);
  return out;
}

interface ShownFinding {
  kind: string;
  evidence?: { path?: unknown; file?: unknown };
}

const isProviderKeyPath = (p: string) => /^models\.providers\.[^.]+\.apiKey$/.test(p);

/**
 * Install-wide answers: whether `models status` refused to run (and whether clawpatrol's findings
 * say this version would), and `secrets audit`'s unresolved refs and plaintext provider keys in
 * openclaw.json against clawpatrol's config.missing-var and secret.plaintext findings.
 */
export function compareInstall(
  version: string,
  findings: readonly ShownFinding[],
  refused: string | null,
  audit: SecretsAudit | null,
  blocksStatus: (version: string) => boolean,
  /** models.providers.*.apiKey paths written as exactly `${VAR}` whose variable is set. */
  setEnvRefPaths: readonly string[] = [],
): FieldResult<InstallField>[] {
  const out: FieldResult<InstallField>[] = [];
  const add = (field: InstallField, openclaw: unknown, clawpatrol: unknown, agree: boolean | null) =>
    out.push({ field, verdict: agree === null ? "not-reported" : agree ? "agree" : "disagree", openclaw, clawpatrol });
  const pathsOf = (kind: string) => findings.filter((f) => f.kind === kind && typeof f.evidence?.path === "string" && String(f.evidence.file ?? "").endsWith("openclaw.json")).map((f) => String(f.evidence!.path)).filter(isProviderKeyPath).sort();
  const missingVars = pathsOf("config.missing-var");
  const predictsRefusal = missingVars.length > 0 && blocksStatus(version);
  add("status-refused", refused ? "refused" : "answered", predictsRefusal ? `refuses (${missingVars.join(", ")})` : "answers", !!refused === predictsRefusal);
  if (audit?.findings) {
    const auditPaths = (code: string) => [...new Set(audit.findings!.filter((f) => f.code === code && (f.file ?? "").endsWith("openclaw.json") && isProviderKeyPath(f.jsonPath ?? "")).map((f) => f.jsonPath!))].sort();
    const ocUnresolved = auditPaths("REF_UNRESOLVED");
    add("unresolved-refs", ocUnresolved, missingVars, sameList(ocUnresolved, missingVars));
    const ocPlain = auditPaths("PLAINTEXT_FOUND");
    const cpPlain = pathsOf("secret.plaintext");
    // Before 9.x, `secrets audit` scans the config after ${VAR} substitution, so a set `${VAR}` reads
    // as a stored key (verified: 5.28 live, 7.35 and 8.2 on the same install; 9.6 does not). The file
    // holds no key, so clawpatrol says nothing: compared as "plaintext or a set ${VAR}" on those versions.
    const expected = dollarRefIsEnvSource(version) ? cpPlain : [...new Set([...cpPlain, ...setEnvRefPaths])].sort();
    add("plaintext", ocPlain, expected === cpPlain ? cpPlain : { plaintext: cpPlain, setEnvRefs: [...setEnvRefPaths] }, sameList(ocPlain, expected));
  } else {
    add("unresolved-refs", null, missingVars, null);
    add("plaintext", null, pathsOf("secret.plaintext"), null);
  }
  return out;
}
