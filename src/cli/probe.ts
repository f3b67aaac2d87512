// `clawpatrol probe`: run the agent × provider probe matrix once and print who can reach what.
import type { Command } from "commander";
import { exitCodeFor, sortFindings } from "../checks/finding.js";
import { readInstallation } from "../openclaw/installation.js";
import type { Installation } from "../openclaw/types.js";
import { explainGroup, groupRows, shortFingerprint } from "../probe/explain.js";
import { gatewayFindings, probeGateway, type GatewayProbeResult } from "../probe/gateway.js";
import { probeFindings } from "../probe/findings.js";
import { runProbeMatrix } from "../probe/matrix.js";
import type { ProbeMatrix, ProbeRow } from "../probe/types.js";
import { redactDeep, redactText } from "../util/secret.js";
import { issueFindings } from "../checks/lint.js";
import { configProblemLine, issueLine, unreadableFiles } from "./read-problems.js";
import { addConfigOptions, loadCliConfig, type CliConfig, type InstallFlags } from "./cli-config.js";
import { installTarget, probeMatrixOptions } from "../config/derive.js";
import { errorLine } from "../util/fs-error.js";
import { useStoredSalt } from "../daemon/salt.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { fitTable, wrapLines, wrapWidth, type Column } from "../util/terminal.js";

/**
 * Nagios: a runtime credential that fails (even "missing") is critical; otherwise a runtime route
 * whose probe was inconclusive (timeout, network, 429, 5xx) was not verified — UNKNOWN, never OK.
 */
export function probeExitCode(matrix: ProbeMatrix, findingsCode: number): number {
  const runtime = matrix.rows.filter((r) => r.credentialRole === "runtime");
  if (runtime.length === 0) return 3; // nothing probed proves nothing
  if (findingsCode === 2 || runtime.some((r) => r.result.verdict === "fail")) return 2;
  if (runtime.some((r) => r.result.verdict === "inconclusive")) return 3;
  return findingsCode;
}

interface ProbeCliOptions extends InstallFlags {
  agent?: string;
  provider?: string;
  json?: boolean;
  timeout?: string;
  gateway?: boolean;
}

function resultCell(row: ProbeRow): string {
  const r = row.result;
  if (r.status === "ok") return "ok";
  const mark = r.verdict === "fail" ? "FAIL" : r.verdict === "inconclusive" ? "??" : "ok";
  return `${mark} ${r.status}${r.httpStatus !== undefined ? ` ${r.httpStatus}` : ""}`;
}

const COLUMNS: Column[] = [{ header: "AGENT", shrinkTo: 12 }, { header: "PROVIDER", shrinkTo: 12 }, { header: "USE" }, { header: "CREDENTIAL", shrinkTo: 24 }, { header: "RESULT" }, { header: "LATENCY" }];

/** The matrix as a table that fits `width` columns (0: no limit). */
export function renderTable(matrix: ProbeMatrix, width = 0): string {
  const rows = matrix.rows.map((row) => [
    row.agent,
    row.provider,
    row.credentialRole === "runtime" ? "runtime" : "other",
    row.credential ? `${row.credential.source.label} (${shortFingerprint(row.credential.fingerprint)})` : "(none)",
    resultCell(row),
    row.result.latencyMs !== undefined ? `${row.result.latencyMs} ms${row.result.shared ? " *" : ""}` : "-",
  ]);
  return fitTable(COLUMNS, rows, width);
}

export function renderExplanations(matrix: ProbeMatrix): string[] {
  return groupRows(matrix.rows)
    .filter((g) => [g.runtime, ...g.others].some((r) => r && r.result.verdict !== "pass"))
    .map((g) => explainGroup(g));
}

function gatewayLine(gw: GatewayProbeResult): string {
  return `Gateway ${gw.url}: ${gw.status === "ok" ? gw.reason : `DOWN — ${gw.reason}`} (${gw.latencyMs} ms)`;
}

export function registerProbe(program: Command): void {
  addConfigOptions(program.command("probe").description("Probe every agent × provider route with zero-token auth checks (and the gateway's health)"))
    .option("--agent <id>", "only this agent")
    .option("--provider <id>", "only this provider")
    .option("--json", "machine-readable output")
    .option("--timeout <ms>", "per-request timeout in ms (default: probe.timeoutMs of the config, 8000)")
    .option("--no-gateway", "skip the gateway liveness check")
    .action(async (opts: ProbeCliOptions) => {
      let cli: CliConfig;
      try {
        cli = await loadCliConfig(opts);
      } catch (e) {
        process.stderr.write(`clawpatrol probe: ${redactText(errorLine(e))}\n`);
        process.exitCode = 3;
        return;
      }
      const matrixOptions = probeMatrixOptions(cli.config.probe);
      const timeoutMs = opts.timeout === undefined ? matrixOptions.timeoutMs : Number(opts.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
        process.stderr.write(`clawpatrol probe: --timeout must be a positive number of milliseconds\n`);
        process.exitCode = 3;
        return;
      }
      let inst: Installation;
      try {
        useStoredSalt(clawpatrolStateDir(process.env));
        inst = await readInstallation({ ...installTarget(cli.config), env: process.env });
      } catch (e) {
        process.stderr.write(`clawpatrol probe: cannot read the OpenClaw installation: ${redactText((e as Error).message ?? String(e))}\n`);
        process.exitCode = 3;
        return;
      }
      if (!inst.exists) {
        process.stderr.write(`clawpatrol probe: no OpenClaw installation at ${inst.paths.stateDir} (pass --state-dir or set OPENCLAW_STATE_DIR)\n`);
        process.exitCode = 3;
        return;
      }
      const problem = configProblemLine(inst);
      if (problem) {
        process.stderr.write(`clawpatrol probe: ${redactText(problem)}\n`);
        process.exitCode = 3;
        return;
      }
      // A store that could not be read may hide the credential the runtime really uses.
      for (const i of unreadableFiles(inst)) process.stderr.write(`clawpatrol probe: ${redactText(issueLine(i, inst))}\n`);
      if (opts.agent !== undefined && !inst.agents.some((a) => a.id === opts.agent)) {
        process.stderr.write(`clawpatrol probe: no agent "${opts.agent}" in ${inst.paths.configPath} (agents: ${inst.agents.map((a) => a.id).join(", ") || "none"})\n`);
        process.exitCode = 3;
        return;
      }
      const now = Date.now;
      const [matrix, gw] = await Promise.all([
        runProbeMatrix(inst, {
          ...matrixOptions,
          now,
          timeoutMs,
          ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
          ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
        }),
        opts.gateway === false ? Promise.resolve(null) : probeGateway(inst.gateway, { now, timeoutMs: Math.min(timeoutMs, 5000) }),
      ]);
      const unreadable = issueFindings({ ...inst, issues: unreadableFiles(inst) }, now());
      const findings = sortFindings([...unreadable, ...probeFindings(matrix, now()), ...(gw ? gatewayFindings(gw, now()) : [])]);
      process.exitCode = probeExitCode(matrix, exitCodeFor(findings));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(redactDeep({ gateway: gw, matrix, findings }), null, 2)}\n`);
        return;
      }
      const width = wrapWidth(process.stdout, process.env);
      const out: string[] = [];
      if (gw) out.push(gatewayLine(gw), "");
      if (matrix.rows.length === 0) {
        out.push(`No routes to probe${opts.agent ? ` for agent ${opts.agent}` : ""}${opts.provider ? ` and provider ${opts.provider}` : ""}: no agent in ${inst.paths.configPath} has a model on a provider (nothing was verified).`);
      } else {
        out.push(renderTable(matrix, width), "");
        const lines = renderExplanations(matrix);
        if (lines.length) out.push(...lines);
        else out.push(`All ${groupRows(matrix.rows).length} routes pass.`);
        out.push("", `${matrix.requestsSent} requests for ${matrix.rows.length} rows in ${matrix.finishedAt - matrix.startedAt} ms (* = shared result), 0 tokens.`);
      }
      process.stdout.write(`${wrapLines(redactText(out.join("\n")), width)}\n`);
    });
}
