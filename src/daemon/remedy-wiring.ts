// The daemon's remedy parts, built from the config and the daemon's current view: the engine that
// falls an agent back to a probe-verified model (and back), and the optional gateway restarter.
import { statSync } from "node:fs";
import type { ClawpatrolConfig } from "../config/schema.js";
import type { SubjectState } from "../health/types.js";
import { routeKey } from "../health/tracker.js";
import type { Installation } from "../openclaw/types.js";
import { defaultsPrimary } from "../openclaw/model-defaults.js";
import { providerOfRef } from "../openclaw/routes.js";
import { openclawProcessEnv } from "../openclaw/cli.js";
import { RemedyEngine, GatewayRestarter, remedyOptionsFrom, restartOptionsFrom } from "../remedy/index.js";
import type { RemedyDeps } from "../remedy/types.js";
import type { Clock } from "../util/clock.js";
import type { Exec } from "../util/exec.js";
import { cronIntervalMs } from "../util/cron-interval.js";

export interface RemedyView {
  config: ClawpatrolConfig;
  exec: Exec;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** clawpatrol's own state dir (audit log, switch store). */
  stateDir: string;
  inst(): Installation;
  routeState(agent: string, provider: string): SubjectState;
  /** The last gateway probe: true up, false down, null never probed. */
  gatewayUp(): boolean | null;
  /** The tracker holds the gateway down (a confirmed outage, not one failed probe). */
  gatewayIncident(): boolean;
  verifyCandidate: RemedyDeps["verifyCandidate"];
  runsInFlight(): number;
  recordOwnChange: RemedyDeps["recordOwnChange"];
}

export function createRemedy(v: RemedyView): { engine: RemedyEngine; restarter: GatewayRestarter | null } {
  const r = v.config.remedy;
  const paths = v.inst().paths;
  const engine = new RemedyEngine(
    {
      exec: v.exec,
      clock: v.clock,
      openclawBin: v.config.openclaw.bin ?? "openclaw",
      env: openclawProcessEnv(paths, v.env),
      stateDir: v.stateDir,
      configPath: paths.configPath,
      agents: () => v.inst().agents,
      routeState: (agent, ref) => v.routeState(agent, providerOfRef(ref)),
      isGatewayDown: () => v.gatewayIncident() || v.gatewayUp() !== true,
      verifyCandidate: v.verifyCandidate,
      configMtime: () => {
        try {
          return statSync(v.inst().paths.configPath).mtimeMs;
        } catch {
          return 0;
        }
      },
      configValid: () => v.inst().configValid,
      gatewayHealthy: async () => v.gatewayUp() === true,
      runsInFlight: () => v.runsInFlight(),
      recordOwnChange: v.recordOwnChange,
      incidentKeys: (agent, ref) => [routeKey(agent, providerOfRef(ref))],
      sharedDefault: () => defaultsPrimary(v.inst().config),
    },
    remedyOptionsFrom(r, cronIntervalMs(v.config.probe.authSchedule)),
  );
  const restarter = r.gatewayRestart.enabled
    ? new GatewayRestarter(
        {
          exec: v.exec,
          clock: v.clock,
          env: v.env,
          stateDir: v.stateDir,
          isGatewayDown: () => v.gatewayUp() === false,
          runsInFlight: () => v.runsInFlight(),
          incidentKeys: () => ["gateway"],
        },
        restartOptionsFrom(r),
      )
    : null;
  return { engine, restarter };
}
