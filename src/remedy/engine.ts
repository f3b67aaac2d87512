// The fallback engine: when an agent's primary route is `down`, move the agent to the first
// candidate a probe verified for its credentials; when the original primary is `ok` again (and the
// hold time is over), put back exactly what was there. Rate-limited, audited, reversible, and in
// observe mode (the default) it only says which command it would run.
import { makeFinding, type Finding } from "../checks/finding.js";
import { iso } from "../util/clock.js";
import { AuditLog } from "./audit.js";
import { OpenClawConfigCli, canonical, sameValue } from "./config-cli.js";
import { RemedyStore } from "./store.js";
import { applyChange, recoverPending, newOpId, type ChangeOutcome, type RecoveryOutcome, type SwitchContext } from "./switch.js";
import { resolveTarget, snapshotTarget, type ModelTarget } from "./target.js";
import { join } from "node:path";
import { providerOfRef } from "../openclaw/routes.js";
import { OpenClawCli } from "../openclaw/cli.js";
import {
  ABSENT, DEFAULT_REMEDY_OPTIONS, isAbsent,
  type ActiveFallback, type AuditRecord, type ConfigValue, type RemedyAgent, type RemedyDeps, type RemedyOptions, type Who,
} from "./types.js";

const DAY_MS = 86_400_000;

export interface EvaluateResult {
  /** Audit records written by this evaluation (results and dry runs). */
  actions: AuditRecord[];
  findings: Finding[];
  /** Agents that needed something but were left alone, and why (for logs and status). */
  skipped: { agent: string; reason: string }[];
}

export interface ManualResult {
  ok: boolean;
  message: string;
  argv?: string[];
  record?: AuditRecord;
}

export interface WatchedRoute {
  agent: string;
  ref: string;
  provider: string;
}

/** `openrouter/auto` and `openrouter/openrouter/auto` name the same target (research §3.3). */
export function sameRef(a: string, b: string): boolean {
  const norm = (r: string) => {
    const p = providerOfRef(r);
    const rest = r.slice(p.length + 1);
    return `${p}/${rest.toLowerCase().startsWith(p + "/") ? rest.slice(p.length + 1) : rest}`.toLowerCase();
  };
  return norm(a) === norm(b);
}

function refOf(value: ConfigValue, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

export class RemedyEngine {
  readonly options: RemedyOptions;
  readonly audit: AuditLog;
  readonly store: RemedyStore;
  readonly cli: OpenClawConfigCli;
  #lastProposal = new Map<string, string>();

  private readonly deps: RemedyDeps;

  constructor(deps: RemedyDeps, options: Partial<RemedyOptions> = {}) {
    this.deps = deps;
    this.options = { ...DEFAULT_REMEDY_OPTIONS, ...options, candidates: { ...DEFAULT_REMEDY_OPTIONS.candidates, ...options.candidates } };
    this.audit = new AuditLog(join(deps.stateDir, "audit.jsonl"));
    this.store = new RemedyStore(deps.stateDir);
    this.cli = new OpenClawConfigCli(new OpenClawCli(deps.openclawBin, deps.env, deps.exec));
  }

  #ctx(): SwitchContext {
    return { cli: this.cli, audit: this.audit, store: this.store, deps: this.deps };
  }

  /** Call once at start-up: reconciles a switch that a crash interrupted. */
  recover(): Promise<RecoveryOutcome | null> {
    return this.store.exclusive(() => recoverPending(this.#ctx()));
  }

  activeFallbacks(): ActiveFallback[] {
    return Object.values(this.store.load().active);
  }

  /** Original primaries of switched agents: keep probing these, the agent's config no longer names them. */
  watchedOriginalRoutes(): WatchedRoute[] {
    return this.activeFallbacks().map((a) => ({ agent: a.agent, ref: a.originalRef, provider: providerOfRef(a.originalRef) }));
  }

  recentActions(n = 20): AuditRecord[] {
    return this.audit.recent(n);
  }

  /** Why nothing may be written right now (null = writing is allowed). */
  #readOnlyReason(): string | null {
    if (this.deps.env.OPENCLAW_CONFIG_READONLY === "1") return "OpenClaw's config is externally managed (OPENCLAW_CONFIG_READONLY=1)";
    if (this.deps.env.OPENCLAW_NIX_MODE === "1") return "OpenClaw's config is managed by Nix (OPENCLAW_NIX_MODE=1)";
    return null;
  }

  #humanEditing(now: number, ownWriteMtime: number | null): boolean {
    let mtime: number;
    try { mtime = this.deps.configMtime(); } catch { return false; }
    if (ownWriteMtime !== null && mtime === ownWriteMtime) return false;
    return now - mtime < this.options.editGraceMs;
  }

  #why(agent: string, ref: string): string[] {
    return this.deps.incidentKeys?.(agent, ref) ?? [`route:${agent}/${providerOfRef(ref)}`];
  }

  #switchCounts(now: number): { perAgent: (agent: string) => number; total: number } {
    const s = this.store.load();
    const recent = (list: number[] | undefined) => (list ?? []).filter((t) => now - t < DAY_MS).length;
    const total = Object.values(s.switches).reduce((n, list) => n + recent(list), 0);
    return { perAgent: (agent) => recent(s.switches[agent]), total };
  }

  /**
   * Candidates in order: clawpatrol config per agent, then global, then the agent's own fallbacks,
   * then the shared default primary (the model the user set for everyone — in the seed-000 thread
   * exactly the fix that a per-agent override kept from applying).
   */
  candidatesFor(agent: RemedyAgent): string[] {
    const out: string[] = [];
    const own = agent.route.primary?.ref.ref;
    const add = (ref: string) => { if (!out.some((r) => sameRef(r, ref)) && !(own && sameRef(own, ref))) out.push(ref); };
    for (const r of this.options.candidates.perAgent[agent.id] ?? []) add(r);
    for (const r of this.options.candidates.global) add(r);
    for (const f of agent.route.fallbacks) add(f.ref.ref);
    const shared = this.deps.sharedDefault?.();
    if (shared) add(shared);
    return out;
  }

  async #pickCandidate(agent: RemedyAgent, exclude: string[], now: number): Promise<{ ref: string | null; tried: { ref: string; reason: string }[] }> {
    const tried: { ref: string; reason: string }[] = [];
    for (const ref of this.candidatesFor(agent)) {
      if (exclude.some((e) => sameRef(e, ref))) continue;
      if (this.deps.routeState(agent.id, ref) === "down") { tried.push({ ref, reason: "its route is down too" }); continue; }
      let check;
      try {
        check = await this.deps.verifyCandidate(agent.id, ref);
      } catch (err) {
        tried.push({ ref, reason: `probe failed to run: ${(err as Error).message}` });
        continue;
      }
      if (!check.ok) { tried.push({ ref, reason: check.detail || "probe failed" }); continue; }
      if (now - check.checkedAt > this.options.verifyMaxAgeMs) {
        tried.push({ ref, reason: `last good probe is stale (${iso(check.checkedAt)})` });
        continue;
      }
      return { ref, tried };
    }
    return { ref: null, tried };
  }

  /** One pass over all agents. Returns what was done; never throws for a single agent's problem. */
  evaluate(now: number = this.deps.clock.now()): Promise<EvaluateResult> {
    return this.store.exclusive(async () => {
      const result: EvaluateResult = { actions: [], findings: [], skipped: [] };
      if (this.store.load().pending) await recoverPending(this.#ctx());
      const agents = await this.deps.agents();
      for (const agent of agents) {
        try {
          await this.#evaluateAgent(agent, now, result);
        } catch (err) {
          result.findings.push(makeFinding({
            kind: "remedy.failed", severity: "critical", subject: { agent: agent.id }, at: now,
            summary: `clawpatrol could not evaluate a fallback for agent ${agent.id}: ${(err as Error).message}`,
          }));
        }
      }
      return result;
    });
  }

  async #evaluateAgent(agent: RemedyAgent, now: number, out: EvaluateResult): Promise<void> {
    const active = this.store.load().active[agent.id];
    if (active) return this.#evaluateActive(agent, active, now, out);
    const primary = agent.route.primary?.ref.ref;
    if (!primary) return;
    if (this.deps.routeState(agent.id, primary) !== "down") {
      this.#lastProposal.delete(agent.id);
      return;
    }
    await this.#fallOver(agent, primary, [primary], now, out);
  }

  /** Shared path for a first fallback and a fallback away from a failing fallback. */
  async #fallOver(agent: RemedyAgent, fromRef: string, exclude: string[], now: number, out: EvaluateResult, active?: ActiveFallback): Promise<void> {
    const skip = (reason: string) => { out.skipped.push({ agent: agent.id, reason }); };
    if (this.deps.isGatewayDown()) return skip("the gateway is down (a restart, not a model switch, is what helps)");

    const picked = await this.#pickCandidate(agent, exclude, now);
    if (!picked.ref) {
      out.findings.push(makeFinding({
        kind: "remedy.no-candidate", severity: "critical", subject: { agent: agent.id, model: fromRef }, at: now,
        summary: `Agent ${agent.id}'s model ${fromRef} is down and no fallback model passed a probe with its credentials, so clawpatrol did not switch it`,
        detail: picked.tried.length
          ? `Candidates tried: ${picked.tried.map((t) => `${t.ref} (${t.reason})`).join("; ")}. Fix a candidate's credential, or add one under remedy.candidates in clawpatrol's config.`
          : `No candidates are configured: add models under remedy.candidates.global or remedy.candidates.perAgent.${agent.id} in clawpatrol's config, or give the agent fallbacks in OpenClaw.`,
        evidence: { tried: picked.tried },
      }));
      return skip("no verified candidate");
    }
    const to = picked.ref;

    const ro = this.#readOnlyReason();
    if (!this.deps.configValid()) return skip("OpenClaw's config is invalid (fix config.invalid first)");
    const state = this.store.load();
    if (this.#humanEditing(now, state.ownWriteMtime)) return skip(`OpenClaw's config changed less than ${Math.round(this.options.editGraceMs / 1000)} s ago (someone may be editing it)`);

    let target = await resolveTarget(this.cli, agent).catch((err: Error) => ({ ok: false as const, message: err.message }));
    // Observe mode names the command even where the CLI cannot run (no openclaw on this host).
    const fromSnapshot = !target.ok && this.options.mode === "observe" ? snapshotTarget(agent) : null;
    if (fromSnapshot) target = { ok: true, target: fromSnapshot };
    if (!target.ok) throw new Error(target.message);
    const after = to;
    const argv = fromSnapshot
      ? this.cli.argv(["config", "set", fromSnapshot.path, JSON.stringify(after), "--strict-json"])
      : await this.cli.setArgv(target.target.path, after, target.target.current);
    const command = argv.map(shellQuote).join(" ");
    const why = this.#why(agent.id, fromRef);
    const scopeNote = target.target.scope === "defaults" ? ` (agent ${agent.id} inherits agents.defaults.model, so every agent that inherits it moves too)` : "";

    if (ro) {
      out.findings.push(makeFinding({
        kind: "remedy.blocked", severity: "critical", subject: { agent: agent.id, model: fromRef }, at: now,
        summary: `Agent ${agent.id}'s model ${fromRef} is down; ${to} passed a probe, but ${ro}, so clawpatrol will not change it`,
        detail: `Change it in the config's source, or run: ${command}${scopeNote}`,
        evidence: { to, path: target.target.path, argv },
      }));
      return skip(ro);
    }

    const counts = this.#switchCounts(now);
    const capped = counts.perAgent(agent.id) >= this.options.maxSwitchesPerAgentPerDay
      ? `agent ${agent.id} was already switched ${counts.perAgent(agent.id)} times in 24 h (limit ${this.options.maxSwitchesPerAgentPerDay})`
      : counts.total >= this.options.maxSwitchesPerDay
        ? `clawpatrol already switched ${counts.total} times in 24 h (limit ${this.options.maxSwitchesPerDay})`
        : null;
    if (capped) {
      out.findings.push(makeFinding({
        kind: "remedy.capped", severity: "critical", subject: { agent: agent.id, model: fromRef }, at: now,
        summary: `Agent ${agent.id}'s model ${fromRef} is down, but ${capped}; not switching again automatically`,
        detail: `To switch by hand: clawpatrol fallback --agent ${agent.id} --to ${to} --yes   (runs: ${command})`,
        evidence: { to, argv },
      }));
      return skip(capped);
    }

    if (this.options.mode === "observe") {
      const proposal = `${to}|${command}`;
      if (this.#lastProposal.get(agent.id) !== proposal) {
        this.#lastProposal.set(agent.id, proposal);
        const record: AuditRecord = {
          opId: newOpId(now), at: iso(now), phase: "dry-run", who: "clawpatrol", op: "fallback", agent: agent.id, why,
          path: target.target.path, before: target.target.current, after, argv, dryRun: true,
          detail: `observe mode: would switch ${agent.id} from ${fromRef} to ${to}${scopeNote}`,
        };
        this.audit.append(record);
        out.actions.push(record);
      }
      out.findings.push(makeFinding({
        kind: "remedy.would-switch", severity: "warning", subject: { agent: agent.id, model: fromRef }, at: now,
        summary: `Agent ${agent.id}'s model ${fromRef} is down; ${to} passed a probe. clawpatrol is in observe mode and did not switch`,
        detail: `Run: clawpatrol fallback --agent ${agent.id} --to ${to} --yes   (which runs: ${command})${scopeNote}. Set remedy.mode: "act" to let clawpatrol do it.`,
        evidence: { to, argv, path: target.target.path },
      }));
      return;
    }

    const outcome = await applyChange(this.#ctx(), {
      op: "fallback", who: "clawpatrol", agent: agent.id, path: target.target.path, before: target.target.current, after,
      originalRef: fromRef, appliedRef: to, why,
      ...(active ? { keepOriginal: { original: active.original, originalRef: active.originalRef, appliedAt: active.appliedAt, ...(active.collateral ? { collateral: active.collateral } : {}) } } : {}),
    });
    this.#report(outcome, agent.id, fromRef, to, now, out, target.target, scopeNote);
  }

  #report(outcome: ChangeOutcome, agent: string, fromRef: string, to: string, now: number, out: EvaluateResult, target: ModelTarget, scopeNote: string): void {
    const record = this.audit.read().reverse().find((r) => r.opId === outcome.opId && r.phase === "result" && r.op !== "rollback");
    if (record) out.actions.push(record);
    if (outcome.ok) {
      out.findings.push(makeFinding({
        kind: "remedy.switched", severity: "warning", subject: { agent, provider: providerOfRef(fromRef), model: fromRef }, at: now,
        summary: `clawpatrol switched agent ${agent} from ${fromRef} to ${to} because ${fromRef} is down${scopeNote}`,
        detail: `It switches back when ${fromRef} passes its probes again (after at least ${Math.round(this.options.minHoldMs / 60_000)} min). To switch back now: clawpatrol restore --agent ${agent}`,
        evidence: { path: target.path, before: target.current, after: to, opId: outcome.opId, backup: outcome.backup },
      }));
    } else {
      out.findings.push(makeFinding({
        kind: outcome.conflict ? "remedy.conflict" : "remedy.failed", severity: "critical", subject: { agent, model: fromRef }, at: now,
        summary: `clawpatrol could not switch agent ${agent} from ${fromRef} to ${to}: ${outcome.detail}`,
        detail: `Command: ${outcome.argv.map(shellQuote).join(" ")}. Backup: ${outcome.backup ?? "none"}. See audit.jsonl op ${outcome.opId}.`,
        evidence: { opId: outcome.opId, result: outcome.result },
      }));
    }
  }

  async #evaluateActive(agent: RemedyAgent, active: ActiveFallback, now: number, out: EvaluateResult): Promise<void> {
    const originalState = this.deps.routeState(agent.id, active.originalRef);
    if (originalState === "ok") {
      if (now - active.appliedAt < this.options.minHoldMs) {
        out.skipped.push({ agent: agent.id, reason: `${active.originalRef} is ok again; switching back after the ${Math.round(this.options.minHoldMs / 60_000)} min hold (${iso(active.appliedAt + this.options.minHoldMs)})` });
        return;
      }
      await this.#restore(agent.id, active, "clawpatrol", undefined, now, out);
      return;
    }
    if (this.deps.routeState(agent.id, active.appliedRef) === "down") {
      await this.#fallOver(agent, active.appliedRef, [active.appliedRef, active.originalRef], now, out, active);
      return;
    }
    // Level-style: stays present while the agent runs on the fallback, so its incident resolves on restore.
    out.findings.push(makeFinding({
      kind: "remedy.switched", severity: "warning", subject: { agent: agent.id, provider: providerOfRef(active.originalRef), model: active.originalRef }, at: now,
      summary: `Agent ${agent.id} runs on fallback ${active.appliedRef} since ${iso(active.appliedAt)}; its model ${active.originalRef} is ${originalState}`,
      detail: `clawpatrol switches back when ${active.originalRef} passes its probes again. To switch back now: clawpatrol restore --agent ${agent.id}`,
      evidence: { path: active.path, original: active.original, applied: active.applied, opId: active.opId },
    }));
  }

  async #restore(agentId: string, active: ActiveFallback, who: Who, via: string | undefined, now: number, out: EvaluateResult): Promise<void> {
    const skip = (reason: string) => { out.skipped.push({ agent: agentId, reason }); };
    if (who === "clawpatrol") {
      if (this.deps.isGatewayDown()) return skip("the gateway is down");
      if (!this.deps.configValid()) return skip("OpenClaw's config is invalid");
      if (this.#humanEditing(now, this.store.load().ownWriteMtime)) return skip("OpenClaw's config is being edited");
    }
    const ro = this.#readOnlyReason();
    const argv = await this.cli.setArgv(active.path, active.original, active.applied);
    if (ro) {
      out.findings.push(makeFinding({
        kind: "remedy.blocked", severity: "warning", subject: { agent: agentId, model: active.originalRef }, at: now,
        summary: `Agent ${agentId}'s original model ${active.originalRef} works again, but ${ro}, so clawpatrol will not switch it back`,
        detail: `Run: ${argv.map(shellQuote).join(" ")}`,
      }));
      return skip(ro);
    }
    const why = [...active.why, `recovered:route:${agentId}/${providerOfRef(active.originalRef)}`];
    if (who === "clawpatrol" && this.options.mode === "observe") {
      const proposal = `restore|${canonical(active.original)}`;
      if (this.#lastProposal.get(agentId) !== proposal) {
        this.#lastProposal.set(agentId, proposal);
        const record: AuditRecord = {
          opId: newOpId(now), at: iso(now), phase: "dry-run", who, op: "restore", agent: agentId, why, path: active.path,
          before: active.applied, after: active.original, argv, dryRun: true, detail: `observe mode: would switch ${agentId} back to ${active.originalRef}`,
        };
        this.audit.append(record);
        out.actions.push(record);
      }
      return;
    }

    // Restore only what clawpatrol set: if someone changed it meanwhile, theirs wins.
    const got = await this.cli.get(active.path);
    const current: ConfigValue | null = got.kind === "value" ? got.value : got.kind === "absent" ? ABSENT : null;
    if (current === null || !sameValue(current, active.applied)) {
      const detail = `${active.path} is ${current === null ? "unreadable" : canonical(current)}, not ${canonical(active.applied)} as clawpatrol set it; someone changed it, so it is left alone`;
      const record: AuditRecord = {
        opId: newOpId(now), at: iso(now), phase: "result", who, ...(via ? { via } : {}), op: "restore", agent: agentId, why, path: active.path,
        before: current ?? undefined, after: active.original, result: "conflict", detail,
      };
      this.audit.append(record);
      out.actions.push(record);
      const s = this.store.load();
      delete s.active[agentId];
      this.store.save(s);
      out.findings.push(makeFinding({
        kind: "remedy.conflict", severity: "warning", subject: { agent: agentId, model: active.originalRef }, at: now,
        summary: `clawpatrol did not switch agent ${agentId} back to ${active.originalRef}: ${detail}`,
        detail: `If you want the original back: ${argv.map(shellQuote).join(" ")}`,
      }));
      return;
    }

    const outcome = await applyChange(this.#ctx(), {
      op: "restore", who, ...(via ? { via } : {}), agent: agentId, path: active.path, before: active.applied, after: active.original,
      originalRef: active.originalRef, appliedRef: active.appliedRef, why,
      ...(active.collateral?.length ? { revertCollateral: active.collateral } : {}),
    });
    const record = this.audit.read().reverse().find((r) => r.opId === outcome.opId && r.phase === "result" && r.op === "restore");
    if (record) out.actions.push(record);
    if (!outcome.ok) {
      out.findings.push(makeFinding({
        kind: outcome.conflict ? "remedy.conflict" : "remedy.failed", severity: "critical", subject: { agent: agentId, model: active.originalRef }, at: now,
        summary: `clawpatrol could not switch agent ${agentId} back to ${active.originalRef}: ${outcome.detail}`,
        detail: `Command: ${outcome.argv.map(shellQuote).join(" ")}. See audit.jsonl op ${outcome.opId}.`,
      }));
    }
  }

  // ---- manual commands (`clawpatrol fallback` / `clawpatrol restore`) -------------------------

  /** Switch an agent by hand. Without `apply` it only records and returns the command it would run. */
  fallback(agentId: string, to: string, opts: { apply: boolean; via?: string; why?: string[] }): Promise<ManualResult> {
    return this.store.exclusive(async () => {
      const now = this.deps.clock.now();
      const agents = await this.deps.agents();
      const agent = agents.find((a) => a.id === agentId);
      if (!agent) return { ok: false, message: `no agent "${agentId}" in OpenClaw's config (agents: ${agents.map((a) => a.id).join(", ") || "none"})` };
      const ro = this.#readOnlyReason();
      if (ro) return { ok: false, message: `${ro}; change the model in the config's source instead` };
      if (!this.deps.configValid()) return { ok: false, message: "OpenClaw's config is invalid; fix it first (openclaw config validate)" };
      const target = await resolveTarget(this.cli, agent);
      if (!target.ok) return { ok: false, message: target.message };
      const current = target.target.current;
      if (typeof current === "string" && sameRef(current, to)) return { ok: true, message: `agent ${agentId} already uses ${to}; nothing to do` };
      const active = this.store.load().active[agentId];
      const fromRef = refOf(current, agent.route.primary?.ref.ref ?? "(none)");
      const why = opts.why ?? [`manual:${opts.via ?? "clawpatrol fallback"}`];
      const argv = await this.cli.setArgv(target.target.path, to, current);
      const check = await this.deps.verifyCandidate(agentId, to).catch((err: Error) => ({ ok: false, checkedAt: 0, detail: err.message }));
      const verified = check.ok ? `${to} passed a probe at ${iso(check.checkedAt)}` : `${to} is NOT verified (${check.detail})`;
      const scopeNote = target.target.scope === "defaults" ? ` Agent ${agentId} inherits agents.defaults.model, so every agent that inherits it moves too.` : "";
      if (!opts.apply) {
        const record: AuditRecord = {
          opId: newOpId(now), at: iso(now), phase: "dry-run", who: "user", via: opts.via ?? "clawpatrol fallback", op: "fallback", agent: agentId, why,
          path: target.target.path, before: current, after: to, argv, dryRun: true, detail: verified,
        };
        this.audit.append(record);
        return { ok: true, argv, record, message: `Would run: ${argv.map(shellQuote).join(" ")}\n${verified}.${scopeNote}\nRe-run with --yes to do it.` };
      }
      const outcome = await applyChange(this.#ctx(), {
        op: "fallback", who: "user", via: opts.via ?? "clawpatrol fallback", agent: agentId, path: target.target.path, before: current, after: to,
        originalRef: fromRef, appliedRef: to, why,
        ...(active ? { keepOriginal: { original: active.original, originalRef: active.originalRef, appliedAt: active.appliedAt, ...(active.collateral ? { collateral: active.collateral } : {}) } } : {}),
      });
      const record = this.audit.read().reverse().find((r) => r.opId === outcome.opId && r.phase === "result" && r.op === "fallback");
      return {
        ok: outcome.ok, argv: outcome.argv, ...(record ? { record } : {}),
        message: outcome.ok
          ? `Switched agent ${agentId}: ${target.target.path} ${canonical(current)} → ${JSON.stringify(to)} (${verified}).${scopeNote}\nBackup: ${outcome.backup}. Undo: clawpatrol restore --agent ${agentId}`
          : `Not switched: ${outcome.detail}`,
      };
    });
  }

  /** Put back the value clawpatrol replaced for an agent (only if the config still holds clawpatrol's value). */
  restore(agentId: string, opts: { via?: string } = {}): Promise<ManualResult> {
    return this.store.exclusive(async () => {
      const now = this.deps.clock.now();
      const active = this.store.load().active[agentId];
      if (!active) return { ok: false, message: `clawpatrol has no fallback recorded for agent ${agentId}; nothing to restore` };
      const out: EvaluateResult = { actions: [], findings: [], skipped: [] };
      await this.#restore(agentId, active, "user", opts.via ?? "clawpatrol restore", now, out);
      const record = out.actions[0];
      const problem = out.findings.find((f) => f.kind !== "remedy.switched") ?? null;
      if (out.skipped.length) return { ok: false, message: out.skipped.map((s) => s.reason).join("; ") };
      if (problem || !record || record.result !== "ok") return { ok: false, ...(record ? { record } : {}), message: problem?.summary ?? record?.detail ?? "not restored" };
      return { ok: true, record, argv: record.argv ?? [], message: `Restored agent ${agentId}: ${active.path} = ${isAbsent(active.original) ? "(unset)" : canonical(active.original)}` };
    });
  }
}

export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
