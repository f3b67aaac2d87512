// clawpatrol's `remedy` config section → the engine's and the restarter's options (durations in ms).
import type { ClawpatrolConfig } from "../config/schema.js";
import { DEFAULT_RESTART_COMMAND, type GatewayRestartOptions } from "./gateway-restart.js";
import type { RemedyOptions } from "./types.js";

export function remedyOptionsFrom(remedy: ClawpatrolConfig["remedy"], probeIntervalMs?: number): RemedyOptions {
  return {
    mode: remedy.mode,
    candidates: { global: [...remedy.candidates.global], perAgent: { ...remedy.candidates.perAgent } },
    maxSwitchesPerAgentPerDay: remedy.maxSwitchesPerAgentPerDay,
    maxSwitchesPerDay: remedy.maxSwitchesPerDay,
    minHoldMs: remedy.minHold,
    editGraceMs: remedy.editGrace,
    // "passed a probe within the last interval": one probe interval, plus slack for a slow round.
    verifyMaxAgeMs: probeIntervalMs !== undefined ? Math.round(probeIntervalMs * 1.5) : 10 * 60_000,
  };
}

export function restartOptionsFrom(remedy: ClawpatrolConfig["remedy"]): Partial<GatewayRestartOptions> {
  const g = remedy.gatewayRestart;
  return {
    enabled: g.enabled,
    mode: remedy.mode,
    command: g.command ? [...g.command] : DEFAULT_RESTART_COMMAND,
    budget: g.budget,
    windowMs: g.window,
    downForMs: g.downFor,
  };
}
