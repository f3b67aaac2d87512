// The one way clawpatrol runs the `openclaw` CLI: its argv (an `openclaw.mjs` entry runs with this
// Node) and its environment (the caller's, pointed at one installation), built once per runner.
// Used by the remedy (`config get|set|validate`), the end-to-end probe (`agent`), the version probe,
// the demo and the sandbox.
import { realpathSync } from "node:fs";
import { delimiter, join } from "node:path";
import { realExec, type Exec, type ExecOptions, type ExecResult } from "../util/exec.js";
import type { InstallPaths } from "./types.js";

/** The file `bin` runs as (symlinks resolved): itself when it is a path, else its first hit on PATH; null when none. */
export function resolveOpenClawBin(bin: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = bin.includes("/") ? [bin] : (env.PATH ?? "").split(delimiter).filter(Boolean).map((d) => join(d, bin));
  for (const c of candidates) {
    try {
      return realpathSync(c);
    } catch {
      /* not in this PATH entry */
    }
  }
  return null;
}

/** The caller's environment with OpenClaw pointed at this installation's state dir and config. */
export function openclawProcessEnv(paths: Pick<InstallPaths, "stateDir"> & Partial<Pick<InstallPaths, "configPath">>, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, OPENCLAW_STATE_DIR: paths.stateDir, ...(paths.configPath ? { OPENCLAW_CONFIG_PATH: paths.configPath } : {}) };
}

/**
 * What keeps an OpenClaw CLI off the network (research/openclaw-offline.md): no mDNS, no update
 * check, no telemetry, and every non-loopback HTTP(S) call sent to a port nothing listens on, so
 * catalog fetches and plugin lookups fail fast.
 */
export const OFFLINE_ENV: Readonly<NodeJS.ProcessEnv> = Object.freeze({
  OPENCLAW_DISABLE_BONJOUR: "1",
  OPENCLAW_NO_AUTO_UPDATE: "1",
  DO_NOT_TRACK: "1",
  NO_COLOR: "1",
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  NO_PROXY: "127.0.0.1,localhost,::1",
  no_proxy: "127.0.0.1,localhost,::1",
});

export class OpenClawCli {
  /** Path to openclaw.mjs (run with this Node) or to an executable (`openclaw` on PATH). */
  readonly entry: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly exec: Exec;

  constructor(entry: string, env: NodeJS.ProcessEnv, exec: Exec = realExec) {
    this.entry = entry;
    this.env = env;
    this.exec = exec;
  }

  /** argv for execFile: [file, ...args]. */
  argv(args: readonly string[]): [string, string[]] {
    return /\.(m?js|cjs)$/.test(this.entry)
      ? [process.execPath, [this.entry, ...args]]
      : [this.entry, [...args]];
  }

  run(args: readonly string[], timeoutMs = 120_000, input?: string, extra: Pick<ExecOptions, "cwd" | "priority" | "signal"> = {}): Promise<ExecResult> {
    const [file, argv] = this.argv(args);
    return this.exec(file, argv, { ...extra, env: this.env, timeoutMs, ...(input !== undefined ? { input } : {}) });
  }

  async json<T = unknown>(args: readonly string[], timeoutMs = 120_000): Promise<T> {
    const result = await this.run([...args, "--json"], timeoutMs);
    const text = result.stdout.trim() || result.stderr.trim();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`openclaw ${args.join(" ")} exited ${result.code} without JSON: ${text.slice(0, 400)}`);
    }
  }

  async version(): Promise<string> {
    const r = await this.run(["--version"], 30_000);
    return /(\d{4}\.\d+\.\d+[^\s]*)/.exec(r.stdout)?.[1] ?? "unknown";
  }
}
