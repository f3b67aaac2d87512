// `clawpatrol silence` and `clawpatrol ack`: the operator's mutes, per install, picked up by the
// running daemon within one loop (no restart), shown in `status`, written to audit.jsonl.
//   silence --agent ID | --kind K --for 2h [--reason …]   no alerts about matching incidents until then
//   silence --list | --clear ID
//   ack INCIDENT [--reason …]                              no more reminders until severity changes or it resolves
import type { Command } from "commander";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { resolveStatusPath } from "../config/load.js";
import { locateInstallation } from "../openclaw/paths.js";
import { AuditLog } from "../remedy/audit.js";
import type { AuditRecord } from "../remedy/types.js";
import { prepareInstallState } from "../state/install-dir.js";
import { SilenceStore, type Silence } from "../state/silences.js";
import type { Incident } from "../health/types.js";
import { parseDuration } from "../util/clock.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { addConfigOptions, CannotRun, loadCliConfig, type InstallFlags } from "./cli-config.js";
import { FINDING_KINDS } from "../checks/finding.js";
import { installTarget } from "../config/derive.js";
import type { ClawpatrolConfig } from "../config/schema.js";

export interface MuteIO {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => number;
}

interface SilenceOptions extends InstallFlags {
  agent?: string;
  kind?: string;
  for?: string;
  reason?: string;
  list?: boolean;
  clear?: string;
  json?: boolean;
  /** Silence an agent or kind clawpatrol does not know (yet). */
  force?: boolean;
}

interface AckOptions extends InstallFlags {
  reason?: string;
}

/** The per-install state dir of the install clawpatrol's config (or the flags) name — the daemon's. */
async function installDir(flags: InstallFlags, io: MuteIO): Promise<{ dir: string; stateDir: string; config: ClawpatrolConfig }> {
  const { config } = await loadCliConfig(flags, io.env);
  const o = config.openclaw;
  const stateDir = locateInstallation({ ...(o.stateDir ? { stateDir: o.stateDir } : {}), ...(o.profile ? { profile: o.profile } : {}), env: io.env }).stateDir;
  const clawpatrolDir = clawpatrolStateDir(io.env);
  return { dir: prepareInstallState({ clawpatrolDir, openclawStateDir: stateDir, statusPath: resolveStatusPath(config, io.env), now: io.now() }).dir, stateDir, config };
}

/** Kinds and the families a silence may name ("probe" = every probe.* kind). */
const KIND_FAMILIES = [...new Set(FINDING_KINDS.map((k) => k.split(".")[0]!))];

/**
 * Why a silence would hold back nothing — a kind that does not exist, an agent this install does
 * not have (nor any incident names) — or null. A typo must not look like a working silence.
 */
async function unknownTarget(opts: SilenceOptions, dir: string, stateDir: string, config: ClawpatrolConfig, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (opts.kind !== undefined && !(FINDING_KINDS as readonly string[]).includes(opts.kind) && !KIND_FAMILIES.includes(opts.kind)) {
    return `no finding kind "${opts.kind}": use a kind (e.g. gateway.down, auth.rejected) or a family (${KIND_FAMILIES.join(", ")}); the kinds are listed in README.md`;
  }
  if (opts.agent === undefined) return null;
  const { readInstallation } = await import("../openclaw/installation.js");
  const inst = await readInstallation({ ...installTarget(config), env }).catch(() => null);
  const agents = inst?.exists ? inst.agents.map((a) => a.id) : [];
  const inIncidents = (openIncidents(dir) ?? []).some((i) => i.subject.agent === opts.agent);
  if (agents.includes(opts.agent) || inIncidents) return null;
  return inst?.exists
    ? `no agent "${opts.agent}" in ${inst.paths.configPath} (agents: ${agents.join(", ") || "none"}) and no incident about it`
    : `no OpenClaw install at ${stateDir} to find agent "${opts.agent}" in`;
}

function audit(dir: string, record: Omit<AuditRecord, "opId" | "at" | "phase" | "who" | "via">, now: number, via: string): void {
  new AuditLog(join(dir, "audit.jsonl")).append({ opId: `${record.op}-${now}`, at: new Date(now).toISOString(), phase: "result", who: "user", via, result: "ok", ...record });
}

function describe(s: Silence): string {
  const what = [s.agent ? `agent ${s.agent}` : "", s.kind ? `kind ${s.kind}` : ""].filter(Boolean).join(", ");
  return `${s.id}  ${what}  until ${s.until.replace("T", " ").slice(0, 16)}Z${s.reason ? `  (${s.reason})` : ""}`;
}

export async function runSilence(opts: SilenceOptions, io: MuteIO): Promise<number> {
  const modes = [opts.list, opts.clear !== undefined, opts.agent !== undefined || opts.kind !== undefined].filter(Boolean).length;
  if (modes !== 1) {
    io.err("clawpatrol silence: give --agent ID and/or --kind KIND with --for DURATION, or --list, or --clear ID\n");
    return 3;
  }
  const { dir, stateDir, config } = await installDir(opts, io);
  if (!opts.list && opts.clear === undefined && !opts.force) {
    const unknown = await unknownTarget(opts, dir, stateDir, config, io.env);
    if (unknown) {
      io.err(`clawpatrol silence: ${unknown}. Nothing silenced; --force silences it anyway.\n`);
      return 3;
    }
  }
  const store = new SilenceStore(dir);
  const now = io.now();
  const loaded = store.load(now);
  if (loaded.problem) io.err(`clawpatrol silence: ${loaded.problem.file} could not be read (${loaded.problem.reason}); moved to ${loaded.problem.aside}; starting with no silences\n`);
  if (opts.list) {
    const active = store.active(now);
    if (opts.json) io.out(JSON.stringify({ stateDir, silences: active, acks: loaded.state.acks }, null, 2) + "\n");
    else io.out(active.length ? active.map(describe).join("\n") + "\n" : `No active silences for ${stateDir}.\n`);
    return 0;
  }
  if (opts.clear !== undefined) {
    const removed = store.clearSilence(opts.clear, now);
    if (!removed) {
      io.err(`clawpatrol silence: no active silence ${opts.clear} (see clawpatrol silence --list)\n`);
      return 3;
    }
    audit(dir, { op: "unsilence", why: [removed.id], detail: `silence ${describe(removed)} cleared` }, now, "clawpatrol silence --clear");
    io.out(`Cleared ${removed.id}: alerts about ${[removed.agent ? `agent ${removed.agent}` : "", removed.kind ? `kind ${removed.kind}` : ""].filter(Boolean).join(", ")} resume.\n`);
    return 0;
  }
  if (!opts.for) {
    io.err("clawpatrol silence: --for DURATION is required (e.g. --for 2h); a silence always ends\n");
    return 3;
  }
  let forMs: number;
  try {
    forMs = parseDuration(opts.for);
  } catch {
    io.err(`clawpatrol silence: --for "${opts.for}" is not a duration — use e.g. 30m, 2h, 1d\n`);
    return 3;
  }
  if (!(forMs > 0)) {
    io.err(`clawpatrol silence: --for must be longer than 0\n`);
    return 3;
  }
  const silence = store.addSilence({ ...(opts.agent ? { agent: opts.agent } : {}), ...(opts.kind ? { kind: opts.kind } : {}), forMs, ...(opts.reason ? { reason: opts.reason } : {}) }, now);
  audit(dir, { op: "silence", ...(silence.agent ? { agent: silence.agent } : {}), why: [silence.id], detail: describe(silence) }, now, "clawpatrol silence");
  if (opts.json) io.out(JSON.stringify(silence, null, 2) + "\n");
  else io.out(`Silenced: ${describe(silence)}\nNo alerts about these until then; if a problem is still there when it ends, one message says so. Undo: clawpatrol silence --clear ${silence.id}\n`);
  return 0;
}

function openIncidents(dir: string): Incident[] | null {
  try {
    const state = JSON.parse(readFileSync(join(dir, "health.json"), "utf8")) as { open?: Incident[] };
    return Array.isArray(state.open) ? state.open : null;
  } catch {
    return null;
  }
}

export async function runAck(incidentId: string, opts: AckOptions, io: MuteIO): Promise<number> {
  const { dir, stateDir } = await installDir(opts, io);
  const open = openIncidents(dir);
  if (open === null) {
    io.err(`clawpatrol ack: no incidents recorded for ${stateDir} (${join(dir, "health.json")} is missing or unreadable); is clawpatrol running for this install?\n`);
    return 3;
  }
  const incident = open.find((i) => i.id === incidentId && !i.resolvedAt);
  if (!incident) {
    const ids = open.filter((i) => !i.resolvedAt).map((i) => i.id);
    io.err(`clawpatrol ack: no open incident ${incidentId} for ${stateDir}${ids.length ? ` (open: ${ids.join(", ")})` : " (none open)"}\n`);
    return 3;
  }
  const now = io.now();
  new SilenceStore(dir).ack({ incident: incident.id, severity: incident.severity, ...(opts.reason ? { reason: opts.reason } : {}) }, now);
  audit(dir, { op: "ack", ...(incident.subject.agent ? { agent: incident.subject.agent } : {}), why: [incident.id], detail: `acknowledged ${incident.severity} ${incident.kind}: ${incident.summary}${opts.reason ? ` (${opts.reason})` : ""}` }, now, "clawpatrol ack");
  io.out(`Acknowledged ${incident.id} (${incident.severity} ${incident.kind}). No more reminders about it until its severity changes or it resolves.\n`);
  return 0;
}

function processIO(): MuteIO {
  return { env: process.env, out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), now: () => Date.now() };
}

async function guarded(name: string, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (err) {
    if (!(err instanceof CannotRun)) throw err;
    process.stderr.write(`clawpatrol ${name}: ${err.message}\n`);
    process.exitCode = 3;
  }
}

export function registerMute(program: Command): void {
  addConfigOptions(program.command("silence").description("Hold back alerts about an agent or a kind for a while (--list, --clear ID)"))
    .option("--agent <id>", "incidents about this agent")
    .option("--kind <kind>", 'incidents of this kind, or a family ("probe" = every probe.* kind)')
    .option("--for <duration>", "how long, e.g. 30m, 2h, 1d")
    .option("--reason <text>", "why (shown in status and the audit log)")
    .option("--list", "show active silences")
    .option("--clear <id>", "end a silence now")
    .option("--json", "machine-readable output")
    .option("--force", "silence an agent or kind this install does not have (yet)")
    .action((opts: SilenceOptions) => guarded("silence", () => runSilence(opts, processIO())));
  addConfigOptions(program.command("ack").description("Acknowledge an incident: no more reminders until its severity changes or it resolves").argument("<incident>", "incident id, as `clawpatrol status` shows it"))
    .option("--reason <text>", "why (shown in the audit log)")
    .action((incident: string, opts: AckOptions) => guarded("ack", () => runAck(incident, opts, processIO())));
}
