// One config change as a small transaction: backup → journal + intent record → `openclaw config set`
// (compare-and-set) → read the whole document back (what else did OpenClaw change?) → validate →
// gateway still healthy → result record; any failed confirmation writes the before value back. `recoverPending` finishes the story after a crash.
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { iso } from "../util/clock.js";
import type { AuditLog } from "./audit.js";
import type { OpenClawConfigCli } from "./config-cli.js";
import { canonical, sameValue } from "./config-cli.js";
import type { RemedyStore } from "./store.js";
import { diffWhole, readDocument, revertPlan, valueInDocument, type DocChange } from "./collateral.js";
import { ABSENT, type AuditRecord, type ConfigValue, type PendingOp, type RemedyDeps, type RemedyState, type Who } from "./types.js";

export interface SwitchContext {
  cli: OpenClawConfigCli;
  audit: AuditLog;
  store: RemedyStore;
  deps: Pick<RemedyDeps, "clock" | "configPath" | "stateDir" | "gatewayHealthy" | "configMtime" | "recordOwnChange" | "onStep">;
}

/** What a caller asks for; the journalled `PendingOp` adds the op id and start time. */
export type ChangeRequest = Omit<PendingOp, "opId" | "startedAt" | "rollingBack"> & { via?: string };

export interface ChangeOutcome {
  ok: boolean;
  opId: string;
  result: NonNullable<AuditRecord["result"]>;
  detail: string;
  argv: string[];
  backup?: string;
  /** The config held something else than `before`: nothing was written. */
  conflict: boolean;
}

export function newOpId(now: number): string {
  return `op-${iso(now).replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
}

export function backupConfig(configPath: string, stateDir: string, now: number): string {
  const dir = join(stateDir, "backups");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = iso(now).replace(/:/g, "-");
  let target = join(dir, `${stamp}-openclaw.json`);
  for (let i = 1; existsSync(target); i++) target = join(dir, `${stamp}-${i}-openclaw.json`);
  copyFileSync(configPath, target);
  chmodSync(target, 0o600);
  return target;
}

function baseRecord(req: ChangeRequest, opId: string, at: number): AuditRecord {
  return {
    opId,
    at: iso(at),
    phase: "intent",
    who: req.who,
    ...(req.via ? { via: req.via } : {}),
    op: req.op,
    agent: req.agent,
    why: req.why,
    path: req.path,
    before: req.before,
    after: req.after,
  };
}

/** Apply the state change of a confirmed operation. */
function commit(state: RemedyState, p: PendingOp, now: number): void {
  if (p.op === "fallback") {
    state.active[p.agent] = {
      agent: p.agent,
      path: p.path,
      original: p.keepOriginal?.original ?? p.before,
      applied: p.after,
      originalRef: p.keepOriginal?.originalRef ?? p.originalRef,
      appliedRef: p.appliedRef,
      appliedAt: now,
      opId: p.opId,
      why: p.why,
    };
    const collateral = [...(p.keepOriginal?.collateral ?? []), ...(p.collateral ?? [])];
    if (collateral.length) state.active[p.agent]!.collateral = collateral;
  } else {
    delete state.active[p.agent];
  }
}

/** Long enough for one `openclaw config set` under load; short, because it absorbs any change meanwhile. */
const PRE_ANNOUNCE_MS = 60_000;

function contentHash(file: string): string | undefined {
  try {
    return createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    return undefined;
  }
}

/** Tell drift detection the file as it is now is clawpatrol's doing (including what OpenClaw did meanwhile). */
function announce(deps: SwitchContext["deps"], note: string): void {
  deps.recordOwnChange?.(deps.configPath, note, contentHash(deps.configPath));
}

/** Put back what OpenClaw also changed when clawpatrol switched; returns the paths undone and problems. */
async function revertCollateral(ctx: SwitchContext, collateral: readonly DocChange[], note: string): Promise<{ reverted: string[]; problems: string[] }> {
  const reverted: string[] = [];
  const problems: string[] = [];
  for (const step of revertPlan(collateral, readDocument(ctx.deps.configPath))) {
    const r = await ctx.cli.set(step.path, step.value);
    if (r.ok) reverted.push(...step.undoes);
    else problems.push(`could not put back ${step.path}: ${r.message}`);
    announce(ctx.deps, note);
  }
  return { reverted, problems };
}

export async function applyChange(ctx: SwitchContext, req: ChangeRequest): Promise<ChangeOutcome> {
  const { cli, audit, store, deps } = ctx;
  const step = deps.onStep ?? (() => undefined);
  const opId = newOpId(deps.clock.now());
  const argv = await cli.setArgv(req.path, req.after, req.before);

  step("before-backup");
  let backup: string;
  try {
    backup = backupConfig(deps.configPath, deps.stateDir, deps.clock.now());
  } catch (err) {
    const detail = `could not back up ${deps.configPath}: ${(err as Error).message}; nothing was changed`;
    audit.append({ ...baseRecord(req, opId, deps.clock.now()), phase: "result", argv, result: "failed", detail });
    return { ok: false, opId, result: "failed", detail, argv, conflict: false };
  }
  step("after-backup");

  const healthBefore = await deps.gatewayHealthy();
  const state = store.load();
  const pending: PendingOp = {
    opId, op: req.op, who: req.who, agent: req.agent, path: req.path, before: req.before, after: req.after,
    originalRef: req.originalRef, appliedRef: req.appliedRef, why: req.why, startedAt: deps.clock.now(),
    ...(req.keepOriginal ? { keepOriginal: req.keepOriginal } : {}),
  };
  state.pending = pending;
  if (req.op === "fallback") (state.switches[req.agent] ??= []).push(deps.clock.now());
  store.save(state);
  audit.append({ ...baseRecord(req, opId, deps.clock.now()), argv, backup });
  step("after-intent");

  const docBefore = readDocument(deps.configPath);
  const note = `clawpatrol ${req.op} ${req.agent}: ${req.path} ${canonical(req.before)} → ${canonical(req.after)} (${opId})`;
  const whole: Pick<AuditRecord, "collateral" | "bookkeeping" | "reverted"> = {};
  const finish = (result: ChangeOutcome["result"], detail: string, ok: boolean, conflict = false): ChangeOutcome => {
    const s = store.load();
    if (ok) {
      commit(s, pending, deps.clock.now());
      s.ownWriteMtime = safeMtime(deps.configMtime);
    } else if (result === "rolled-back") {
      s.ownWriteMtime = safeMtime(deps.configMtime);
    }
    s.pending = null;
    store.save(s);
    audit.append({ ...baseRecord(req, opId, deps.clock.now()), phase: "result", argv, backup, result, detail, ...whole });
    return { ok, opId, result, detail, argv, backup, conflict };
  };

  // Announced before the write too (briefly): the file watcher may see it before `set` has returned.
  deps.recordOwnChange?.(deps.configPath, note, undefined, PRE_ANNOUNCE_MS);
  const set = await cli.set(req.path, req.after, req.before);
  if (!set.ok) {
    return finish("failed", set.conflict ? `not changed: someone else changed ${req.path} (${set.message})` : `openclaw refused the change: ${set.message}`, false, set.conflict);
  }
  announce(deps, note);
  step("after-set");

  const problems: string[] = [];
  const notes: string[] = [];
  if (req.revertCollateral?.length) {
    const undo = await revertCollateral(ctx, req.revertCollateral, note);
    whole.reverted = undo.reverted;
    // Not a reason to undo the restore itself: the target is back; the rest is reported.
    notes.push(...undo.problems);
  }
  // Read back from the document OpenClaw wrote (one CLI start less per switch: 5-30 s on a busy host);
  // the CLI is asked only when the file cannot be read.
  const docAfter = readDocument(deps.configPath);
  let readValue = valueInDocument(docAfter, req.path);
  if (readValue === null) {
    const back = await cli.get(req.path);
    readValue = back.kind === "value" ? back.value : back.kind === "absent" ? ABSENT : null;
  }
  step("after-readback");
  if (readValue === null || !sameValue(readValue, req.after)) {
    problems.push(`read back ${readValue === null ? "failed" : canonical(readValue)} instead of ${canonical(req.after)}`);
  }
  // The whole document: the target is the only change asked for; anything else is recorded.
  const diff = diffWhole(docBefore, docAfter, req.path);
  const expected = new Set(whole.reverted ?? []);
  const collateral = diff.collateral.filter((c) => !expected.has(c.path) && ![...expected].some((p) => c.path.startsWith(p + ".")));
  if (collateral.length) whole.collateral = collateral;
  if (diff.bookkeeping.length) whole.bookkeeping = diff.bookkeeping.map((c) => c.path);
  if (req.op === "fallback" && collateral.length) pending.collateral = collateral;
  const validation = await cli.validate();
  if (!validation.valid) problems.push(`openclaw config validate failed: ${validation.message}`);
  if (problems.length === 0 && healthBefore && !(await deps.gatewayHealthy())) problems.push("the gateway stopped answering /health after the change");

  if (problems.length === 0) {
    return finish("ok", [`${req.path}: ${canonical(req.before)} → ${canonical(req.after)}; ${set.message}`, ...notes].join("; "), true);
  }

  // Confirmation failed: put the before value back, only if the config still holds ours.
  const s = store.load();
  if (s.pending) s.pending.rollingBack = true;
  store.save(s);
  const rollbackArgv = await cli.setArgv(req.path, req.before, req.after);
  const rb: AuditRecord = { ...baseRecord(req, opId, deps.clock.now()), op: "rollback", before: req.after, after: req.before, argv: rollbackArgv, backup };
  audit.append(rb);
  const undo = await cli.set(req.path, req.before, req.after);
  announce(deps, `${note} rolled back`);
  if (undo.ok && whole.collateral?.length) await revertCollateral(ctx, whole.collateral, `${note} rolled back`);
  audit.append({ ...rb, at: iso(deps.clock.now()), phase: "result", result: undo.ok ? "ok" : "failed", detail: undo.message });
  const detail = `${problems.join("; ")}; ${undo.ok ? `rolled back to ${canonical(req.before)}` : `ROLLBACK FAILED (${undo.message}); restore by hand from ${backup}`}`;
  return finish(undo.ok ? "rolled-back" : "failed", detail, false);
}

function safeMtime(fn: () => number): number | null {
  try { return fn(); } catch { return null; }
}

export interface RecoveryOutcome {
  opId: string;
  agent: string;
  outcome: "applied" | "not-applied" | "conflict";
  configValid: boolean;
  detail: string;
}

/**
 * After a crash: the config holds either the before or the after value (the CLI writes atomically).
 * Keep whichever it holds (an interrupted rollback is completed), record which in a `recovered`
 * record, and leave a foreign value alone.
 */
export async function recoverPending(ctx: SwitchContext): Promise<RecoveryOutcome | null> {
  const { cli, audit, store, deps } = ctx;
  const state = store.load();
  const p = state.pending;
  if (!p) return null;
  let got = await cli.get(p.path);
  let current: ConfigValue | null = got.kind === "value" ? got.value : got.kind === "absent" ? ABSENT : null;
  let detail: string;
  let outcome: RecoveryOutcome["outcome"];
  if (current !== null && p.rollingBack && sameValue(current, p.after)) {
    const undo = await cli.set(p.path, p.before, p.after);
    got = await cli.get(p.path);
    current = got.kind === "value" ? got.value : got.kind === "absent" ? ABSENT : null;
    detail = `finished an interrupted rollback: ${undo.ok ? "ok" : undo.message}`;
  } else {
    detail = "";
  }
  if (current !== null && sameValue(current, p.after)) {
    outcome = "applied";
    commit(state, p, p.startedAt);
    detail ||= `the ${p.op} had been written before the crash; ${p.path} = ${canonical(current)} is kept`;
  } else if (current !== null && sameValue(current, p.before)) {
    outcome = "not-applied";
    detail ||= `the ${p.op} had not been written; ${p.path} = ${canonical(current)} is unchanged`;
  } else {
    outcome = "conflict";
    detail = `${p.path} is ${current === null ? "unreadable" : canonical(current)}, neither the before (${canonical(p.before)}) nor the after (${canonical(p.after)}) value; left alone`;
  }
  const validation = await cli.validate();
  if (!validation.valid) detail += `; openclaw config validate: ${validation.message}`;
  state.pending = null;
  state.ownWriteMtime = safeMtime(deps.configMtime);
  store.save(state);
  audit.append({
    opId: p.opId, at: iso(deps.clock.now()), phase: "recovered", who: "clawpatrol", op: p.op, agent: p.agent, why: p.why,
    path: p.path, before: p.before, after: p.after, result: outcome, detail,
  });
  return { opId: p.opId, agent: p.agent, outcome, configValid: validation.valid, detail };
}
