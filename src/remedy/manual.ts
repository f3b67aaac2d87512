// Deps for the manual commands (`clawpatrol fallback` / `clawpatrol restore`): the same engine and
// audit as the daemon, fed from one fresh read of the installation instead of the health state.
import { statSync } from "node:fs";
import { readInstallation } from "../openclaw/installation.js";
import type { Installation } from "../openclaw/types.js";
import { probeGateway } from "../probe/gateway.js";
import { runProbeMatrix } from "../probe/matrix.js";
import { systemClock } from "../util/clock.js";
import { realExec } from "../util/exec.js";
import { redactText } from "../util/secret.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { RemedyEngine } from "./engine.js";
import { providerOfRef } from "../openclaw/routes.js";
import { prepareInstallState } from "../state/install-dir.js";
import { join } from "node:path";
import type { CandidateCheck, RemedyDeps } from "./types.js";
import { OpenClawCli, openclawProcessEnv } from "../openclaw/cli.js";

export interface ManualFlags {
  stateDir?: string;
  profile?: string;
  openclawBin?: string;
}

export class ManualError extends Error {}

/** A candidate counts as verified when the probe of the agent's runtime credential for its provider passes. */
async function verifyByProbe(inst: Installation, agentId: string, ref: string): Promise<CandidateCheck> {
  const provider = providerOfRef(ref);
  const agent = inst.agents.find((a) => a.id === agentId);
  if (!agent?.credentials.some((c) => c.provider === provider)) {
    return { ok: false, checkedAt: Date.now(), detail: `provider ${provider} is not in agent ${agentId}'s route, so clawpatrol cannot probe it with that agent's credentials` };
  }
  const matrix = await runProbeMatrix(inst, { agent: agentId, provider, includeOthers: false, timeoutMs: 8000 });
  const row = matrix.rows.find((r) => r.credentialRole === "runtime");
  if (!row) return { ok: false, checkedAt: Date.now(), detail: "no probe ran" };
  return { ok: row.result.verdict === "pass", checkedAt: row.result.at, detail: row.result.reason };
}

/**
 * Every switch goes through `openclaw config …`: an openclaw that cannot run means the command
 * could not run at all (exit 3), said before anything is previewed or audited.
 */
async function requireRunnable(bin: string, env: NodeJS.ProcessEnv): Promise<void> {
  const r = await new OpenClawCli(bin, env, realExec).run(["--version"], 30_000);
  if (r.code === 0 && !r.error) return;
  const first = `${r.stderr}\n${r.stdout}`.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  const why = r.error ?? `${bin} --version exited ${r.code}${first ? ` (${first.slice(0, 200)})` : " with no output"}`;
  throw new ManualError(`could not run openclaw: ${redactText(why)}; put a working openclaw on PATH or pass --openclaw-bin PATH`);
}

export async function manualEngine(flags: ManualFlags, env: NodeJS.ProcessEnv = process.env): Promise<RemedyEngine> {
  const openclawBin = flags.openclawBin ?? env.OPENCLAW_BIN ?? "openclaw";
  const inst = await readInstallation({
    ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    exec: realExec,
    openclawBin,
  });
  if (!inst.exists || !inst.configExists) {
    throw new ManualError(`no OpenClaw config at ${inst.paths.configPath} (chosen by ${inst.paths.chosenBy}); pass --state-dir DIR or --profile NAME`);
  }
  const ocEnv = openclawProcessEnv(inst.paths, env);
  await requireRunnable(openclawBin, ocEnv);
  const deps: RemedyDeps = {
    exec: realExec,
    clock: systemClock,
    openclawBin,
    env: ocEnv,
    stateDir: ownStateDir(inst, env),
    configPath: inst.paths.configPath,
    agents: () => inst.agents,
    // The user decides; health state is not consulted by the manual path.
    routeState: () => "unknown",
    isGatewayDown: () => false,
    verifyCandidate: (agentId, ref) => verifyByProbe(inst, agentId, ref),
    configMtime: () => statSync(inst.paths.configPath).mtimeMs,
    configValid: () => inst.configValid,
    gatewayHealthy: async () => (await probeGateway(inst.gateway, { timeoutMs: 3000 })).status === "ok",
    runsInFlight: () => 0,
  };
  return new RemedyEngine(deps);
}

/** The same per-install state dir the daemon uses (adopting pre-upgrade files first, as it would). */
function ownStateDir(inst: Installation, env: NodeJS.ProcessEnv): string {
  const clawpatrolDir = clawpatrolStateDir(env);
  return prepareInstallState({ clawpatrolDir, openclawStateDir: inst.paths.stateDir, statusPath: join(clawpatrolDir, "status.json"), now: Date.now() }).dir;
}
