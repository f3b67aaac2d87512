// The daemon's probe scheduler: it probes each agent's configured routes plus the routes the remedy
// needs verified (fallback candidates, original primaries of agents it has moved).
import type { ClawpatrolConfig } from "../config/schema.js";
import { probeScheduleOptions } from "../config/derive.js";
import type { Finding } from "../checks/finding.js";
import { openclawProcessEnv } from "../openclaw/cli.js";
import type { Installation } from "../openclaw/types.js";
import type { GatewayProbeResult } from "../probe/gateway.js";
import type { FetchLike } from "../probe/http.js";
import { ProbeScheduler } from "../probe/scheduler.js";
import type { ProbeMatrix } from "../probe/types.js";
import type { RemedyEngine } from "../remedy/index.js";
import type { Clock } from "../util/clock.js";
import type { Exec } from "../util/exec.js";
import type { Logger } from "../util/log.js";
import { withExtraRoutes, type ExtraRoute } from "./route-probes.js";

export interface ProbeWiring {
  config: ClawpatrolConfig;
  inst(): Installation;
  remedy(): RemedyEngine;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  exec: Exec;
  fetch?: FetchLike;
  log: Logger;
  onAuth(matrix: ProbeMatrix, findings: Finding[]): void;
  onGateway(result: GatewayProbeResult, findings: Finding[]): void;
  onE2E(findings: Finding[]): void;
}

export function createProbes(w: ProbeWiring): ProbeScheduler {
  return new ProbeScheduler({
    load: () => withExtraRoutes(w.inst(), remedyRoutes(w.inst(), w.remedy())),
    ...probeScheduleOptions(w.config.probe),
    clock: w.clock,
    exec: w.exec,
    ...(w.fetch ? { fetch: w.fetch } : {}),
    ...(w.config.openclaw.bin ? { openclawBin: w.config.openclaw.bin } : {}),
    openclawEnv: openclawProcessEnv(w.inst().paths, w.env),
    onAuth: (matrix, findings) => w.onAuth(matrix, findings),
    onGateway: (result, findings) => w.onGateway(result, findings),
    onE2E: (_results, findings) => w.onE2E(findings),
    onError: (what, err) => w.log.warn({ err: String(err) }, `${what} probe round failed`),
    cronLog: w.log,
  });
}

/** Routes the remedy needs probed beyond each agent's own. */
function remedyRoutes(inst: Installation, remedy: RemedyEngine): ExtraRoute[] {
  const extra: ExtraRoute[] = [];
  for (const w of remedy.watchedOriginalRoutes()) extra.push({ agent: w.agent, ref: w.ref });
  for (const agent of inst.agents) for (const ref of remedy.candidatesFor(agent)) extra.push({ agent: agent.id, ref });
  return extra;
}
