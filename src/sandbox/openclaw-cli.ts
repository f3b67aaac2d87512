// Runs a real `openclaw` CLI against one scratch installation with everything that reaches out
// switched off (research/openclaw-offline.md). Used by the e2e suite, benchmarks and the demo;
// the runner itself is openclaw/cli.ts.
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { OFFLINE_ENV } from "../openclaw/cli.js";

export const E2E_VERSIONS = ["2026.9.6", "2026.5.28"] as const;

export function e2eCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLAWPATROL_E2E_CACHE || join(env.CLAWPATROL_REAL_HOME || homedir(), ".cache", "clawpatrol-e2e");
}

/** The openclaw entry script for a cached version, or null when that version is not installed. */
export function cachedOpenClawEntry(version: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const entry = join(e2eCacheDir(env), `oc-${version}`, "node_modules", "openclaw", "openclaw.mjs");
  return existsSync(entry) ? entry : null;
}

export interface SandboxEnvOptions {
  home: string;
  stateDir: string;
  extra?: NodeJS.ProcessEnv;
}

/** Environment for an OpenClaw process confined to a scratch home with no outside network. */
export function sandboxEnv({ home, stateDir, extra }: SandboxEnvOptions, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // OpenClaw's default log and lock files live under TMPDIR: keep them inside the sandbox.
  mkdirSync(join(home, "tmp"), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: base.PATH,
    LANG: "C.UTF-8",
    TZ: "UTC",
    HOME: home,
    OPENCLAW_STATE_DIR: stateDir,
    ...OFFLINE_ENV,
    TMPDIR: join(home, "tmp"),
    ...extra,
  };
  return env;
}
