// Opt-in gateway restart: when /health has been down past a threshold, run the restart command
// (default `systemctl --user restart openclaw-gateway.service`), within a budget (default 3 per
// 15 min), with exponential backoff between attempts, and never while an agent run is in flight.
// Repairs (`openclaw doctor --fix`, `gateway install --force`) are never run unattended.
import { join } from "node:path";
import { makeFinding, type Finding } from "../checks/finding.js";
import { iso, type Clock } from "../util/clock.js";
import type { Exec } from "../util/exec.js";
import { AuditLog } from "./audit.js";
import { RemedyStore } from "./store.js";
import { newOpId } from "./switch.js";
import type { AuditRecord } from "./types.js";

export const DEFAULT_RESTART_COMMAND = ["systemctl", "--user", "restart", "openclaw-gateway.service"];

export interface GatewayRestartDeps {
  exec: Exec;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  isGatewayDown(): boolean;
  runsInFlight(): number;
  incidentKeys?(): string[];
}

export interface GatewayRestartOptions {
  enabled: boolean;
  mode: "observe" | "act";
  command: string[];
  budget: number;
  windowMs: number;
  /** How long /health must have been down before the first restart. */
  downForMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_RESTART_OPTIONS: GatewayRestartOptions = {
  enabled: false,
  mode: "observe",
  command: DEFAULT_RESTART_COMMAND,
  budget: 3,
  windowMs: 15 * 60_000,
  downForMs: 2 * 60_000,
  backoffBaseMs: 60_000,
  backoffMaxMs: 15 * 60_000,
};

/** Why a configured restart command is refused (null = acceptable). */
export function refusedRestartCommand(argv: readonly string[]): string | null {
  if (argv.length === 0) return "the restart command is empty";
  const words = argv.map((a) => a.toLowerCase());
  if (words.includes("doctor") && words.some((w) => w === "--fix" || w === "--repair" || w === "--yes" || w === "--non-interactive")) {
    return "`openclaw doctor --fix` performs migrations and repairs; clawpatrol never runs it unattended";
  }
  if (words.includes("install") && words.includes("--force")) return "`gateway install --force` rewrites the service; clawpatrol never runs it unattended";
  if (words.some((w) => w === "sh" || w === "bash" || w.endsWith("/sh") || w.endsWith("/bash"))) return "the restart command must be an argv, not a shell";
  return null;
}

export interface RestartEvaluation {
  actions: AuditRecord[];
  findings: Finding[];
  /** Why no restart happened while the gateway is down. */
  waiting?: string;
}

export class GatewayRestarter {
  readonly options: GatewayRestartOptions;
  readonly audit: AuditLog;
  readonly store: RemedyStore;
  private readonly deps: GatewayRestartDeps;
  #downSince: number | null = null;
  #dryRunReported = false;

  constructor(deps: GatewayRestartDeps, options: Partial<GatewayRestartOptions> = {}) {
    this.deps = deps;
    this.options = { ...DEFAULT_RESTART_OPTIONS, ...options };
    this.audit = new AuditLog(join(deps.stateDir, "audit.jsonl"));
    this.store = new RemedyStore(deps.stateDir);
  }

  /** Restarts inside the budget window (persisted, so a clawpatrol restart does not reset the budget). */
  restartsInWindow(now: number): number[] {
    return this.store.load().gatewayRestarts.filter((t) => now - t < this.options.windowMs);
  }

  evaluate(now: number = this.deps.clock.now()): Promise<RestartEvaluation> {
    return this.store.exclusive(async () => {
      const out: RestartEvaluation = { actions: [], findings: [] };
      if (!this.deps.isGatewayDown()) {
        this.#downSince = null;
        this.#dryRunReported = false;
        return out;
      }
      this.#downSince ??= now;
      if (!this.options.enabled) return { ...out, waiting: "gateway restart is not enabled (remedy.gatewayRestart.enabled)" };
      if (now - this.#downSince < this.options.downForMs) return { ...out, waiting: `down for ${Math.round((now - this.#downSince) / 1000)} s, restarting after ${Math.round(this.options.downForMs / 1000)} s` };

      const command = this.options.command;
      const refused = refusedRestartCommand(command);
      if (refused) {
        out.findings.push(makeFinding({
          kind: "remedy.blocked", severity: "critical", subject: {}, at: now,
          summary: `The gateway is down and clawpatrol will not run the configured restart command: ${refused}`,
          detail: `Set remedy.gatewayRestart.command to e.g. ${JSON.stringify(DEFAULT_RESTART_COMMAND)}.`,
        }));
        return { ...out, waiting: refused };
      }
      const inFlight = this.deps.runsInFlight();
      if (inFlight > 0) return { ...out, waiting: `${inFlight} agent run(s) in flight; not interrupting them` };

      const recent = this.restartsInWindow(now);
      if (recent.length >= this.options.budget) {
        out.findings.push(makeFinding({
          kind: "remedy.capped", severity: "critical", subject: {}, at: now,
          summary: `The gateway is still down after ${recent.length} restarts in ${Math.round(this.options.windowMs / 60_000)} min; clawpatrol stops restarting it`,
          detail: `Look at the gateway log and \`journalctl --user -u openclaw-gateway\`; next automatic attempt after ${iso(recent[0]! + this.options.windowMs)}.`,
          evidence: { restarts: recent.map(iso) },
        }));
        return { ...out, waiting: "restart budget used up" };
      }
      const sinceDown = recent.filter((t) => t >= this.#downSince!);
      const last = sinceDown[sinceDown.length - 1];
      if (last !== undefined) {
        const wait = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (sinceDown.length - 1));
        if (now - last < wait) return { ...out, waiting: `backing off until ${iso(last + wait)}` };
      }

      const why = this.deps.incidentKeys?.() ?? ["gateway.down"];
      const opId = newOpId(now);
      const base: AuditRecord = { opId, at: iso(now), phase: "intent", who: "clawpatrol", op: "gateway-restart", why, argv: [...command] };
      if (this.options.mode === "observe") {
        if (!this.#dryRunReported) {
          this.#dryRunReported = true;
          const record: AuditRecord = { ...base, phase: "dry-run", dryRun: true, detail: "observe mode: would restart the gateway" };
          this.audit.append(record);
          out.actions.push(record);
        }
        return { ...out, waiting: "observe mode" };
      }
      const state = this.store.load();
      state.gatewayRestarts = [...recent, now];
      this.store.save(state);
      this.audit.append(base);
      const r = await this.deps.exec(command[0]!, command.slice(1), { env: this.deps.env, timeoutMs: 120_000 });
      const detail = r.code === 0 ? "restart command succeeded" : `exit ${r.code}${r.error ? ` (${r.error})` : ""}: ${(r.stderr || r.stdout).trim().split("\n")[0] ?? ""}`;
      const record: AuditRecord = { ...base, at: iso(this.deps.clock.now()), phase: "result", result: r.code === 0 ? "ok" : "failed", detail };
      this.audit.append(record);
      out.actions.push(record);
      if (r.code !== 0) {
        out.findings.push(makeFinding({
          kind: "remedy.failed", severity: "critical", subject: {}, at: now,
          summary: `clawpatrol could not restart the gateway: ${detail}`,
          detail: `Command: ${command.join(" ")}`,
        }));
      }
      return out;
    });
  }
}
