// `clawpatrol run` as a real child process for integration tests, with its own HOME and XDG dirs.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const CLI = join(process.cwd(), "dist", "src", "cli", "main.js");

export interface RunningDaemon {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Throws (with the daemon's output) when it has exited; for use inside until(). */
  alive(): true;
}

/** `runArgs` replaces the default `--state-dir … --config …` (e.g. [] to use the XDG config only). */
export function startDaemon(host: { home: string; stateDir: string; xdg: string; configFile: string }, extraEnv: NodeJS.ProcessEnv = {}, runArgs?: string[]): RunningDaemon {
  let out = "";
  const child = spawn(process.execPath, [CLI, "run", ...(runArgs ?? ["--state-dir", host.stateDir, "--config", host.configFile])], {
    env: {
      PATH: process.env.PATH,
      HOME: host.home,
      XDG_STATE_HOME: join(host.xdg, "state"),
      XDG_CONFIG_HOME: join(host.xdg, "config"),
      TMPDIR: join(host.xdg, "tmp"),
      CLAWPATROL_LOG_LEVEL: "debug",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    alive: () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`clawpatrol exited (${child.exitCode ?? child.signalCode}):\n${out}`);
      return true;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

export function statusPathOf(host: { xdg: string }): string {
  return join(host.xdg, "state", "clawpatrol", "status.json");
}

export function readStatusOf(host: { xdg: string }): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(statusPathOf(host), "utf8"));
  } catch {
    return undefined;
  }
}

/** Polls until fn returns something truthy; the error names what was awaited. */
export async function until<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
