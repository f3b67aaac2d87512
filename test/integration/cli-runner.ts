// Spawns the built CLI (`npm run build` first) the way a user runs it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO } from "./adapter-fixtures.js";

export const CLI = join(REPO, "dist", "src", "cli", "main.js");

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** clawpatrol's own state (the fingerprint salt a one-shot command may make) goes here, never into a fixture's HOME. */
let scratchState: string | null = null;
function scratchStateHome(): string {
  return (scratchState ??= mkdtempSync(join(tmpdir(), "clawpatrol-cli-state-")));
}

export function runCli(args: string[], home: string, extraEnv: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    timeout: 60_000,
    // Only Node on PATH: no `openclaw` CLI, so the version comes from the files.
    env: { PATH: dirname(process.execPath), HOME: home, TZ: "UTC", NO_COLOR: "1", XDG_STATE_HOME: scratchStateHome(), ...extraEnv },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** A stack trace in output looks like "    at fn (file:line:col)". */
export function hasStackTrace(text: string): boolean {
  // (Finding text may quote OpenClaw's own log lines, so error class names alone prove nothing.)
  return /^\s+at .+:\d+:\d+\)?$/m.test(text) || /^\w*Error: .*\n\s+at /m.test(text);
}
