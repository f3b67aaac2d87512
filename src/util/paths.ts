// clawpatrol's own directories (XDG), never OpenClaw's.
import { homedir } from "node:os";
import { join } from "node:path";

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || homedir();
}

export function clawpatrolStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAWPATROL_STATE_DIR) return env.CLAWPATROL_STATE_DIR;
  const base = env.XDG_STATE_HOME || join(homeDir(env), ".local", "state");
  return join(base, "clawpatrol");
}

export function clawpatrolConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homeDir(env), ".config");
  return join(base, "clawpatrol");
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(clawpatrolConfigDir(env), "config.json5");
}

export function userUnitDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homeDir(env), ".config");
  return join(base, "systemd", "user");
}
