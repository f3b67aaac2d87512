// `clawpatrol logs [-f] [-n N] [--since T]`: the service's log, from the user journal
// (journalctl --user -u clawpatrol.service). A foreground `clawpatrol run` logs to its own
// terminal only, so without the service there is no log to show: say so instead of nothing.
import type { Command } from "commander";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UNIT_NAME } from "../systemd/unit.js";
import { userUnitDir } from "../util/paths.js";
import { childEnv } from "../util/exec.js";
import { processIO, type CliIO } from "./status.js";

export interface LogsOptions {
  follow?: boolean;
  lines?: string;
  since?: string;
}

/** Runs a program with the terminal attached (journalctl -f streams until Ctrl-C); resolves its exit code. */
export type RunAttached = (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<{ code: number; error?: string }>;

export const runAttached: RunAttached = (file, args, env) =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], { stdio: "inherit", env: childEnv(env) });
    child.once("error", (err) => resolve({ code: 127, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    child.once("exit", (code, signal) => resolve({ code: code ?? (signal === "SIGINT" ? 0 : 1) }));
  });

export function journalArgs(options: LogsOptions): string[] {
  const args = ["--user", "-u", UNIT_NAME, "-n", options.lines ?? "100", "--no-pager"];
  if (options.since) args.push("--since", options.since);
  if (options.follow) args.push("-f");
  return args;
}

export async function runLogs(options: LogsOptions, io: CliIO, run: RunAttached = runAttached): Promise<number> {
  if (options.lines !== undefined && !/^\d+$/.test(options.lines)) {
    io.err(`clawpatrol logs: --lines must be a whole number, got "${options.lines}"\n`);
    return 3;
  }
  const unit = join(userUnitDir(io.env), UNIT_NAME);
  if (!existsSync(unit)) {
    io.err(`clawpatrol logs: clawpatrol is not installed as a service (no ${unit}); a foreground \`clawpatrol run\` logs only to its own terminal. Install the service: clawpatrol install\n`);
    return 3;
  }
  const journalctl = io.env.CLAWPATROL_JOURNALCTL ?? "journalctl";
  const r = await run(journalctl, journalArgs(options), io.env);
  if (r.error) {
    io.err(`clawpatrol logs: cannot run ${journalctl} (${r.error}); the service logs to the user journal, read it with journalctl --user -u ${UNIT_NAME}\n`);
    return 3;
  }
  return r.code === 0 ? 0 : 3;
}

export function registerLogs(program: Command): void {
  program
    .command("logs")
    .description("Show the clawpatrol service's log (journalctl --user -u clawpatrol.service)")
    .option("-f, --follow", "keep printing new lines")
    .option("-n, --lines <n>", "how many recent lines", "100")
    .option("--since <time>", 'only lines since TIME (journalctl syntax: "1h ago", "today", "2026-11-30 08:00")')
    .action(async (options: LogsOptions) => {
      process.exitCode = await runLogs(options, processIO());
    });
}
