// `clawpatrol status`: what the running daemon last published. Exit code like `check`
// (0 ok, 1 warning, 2 critical) and 3 when clawpatrol is not running (no file, unreadable, stale).
import type { Command } from "commander";
import { join, resolve } from "node:path";
import { locateInstallation } from "../openclaw/paths.js";
import { colorAllowed, wrapLines, wrapWidth } from "../util/terminal.js";
import { loadConfig, resolveStatusPath, ConfigError } from "../config/load.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { readStatusFile } from "../status/writer.js";
import { exitCodeForStatus, STALE_AFTER_MS } from "../status/snapshot.js";
import { renderStatus, ago } from "../status/render.js";
import { loadStatusSchema } from "../status/validate.js";
import { watchStatus } from "./status-watch.js";

export interface StatusCommandOptions {
  json?: boolean;
  schema?: boolean;
  path?: string;
  config?: string;
  /** The OpenClaw install the caller means; refused when the running clawpatrol watches another. */
  stateDir?: string;
  profile?: string;
  /** Redraw on every change of the status file until Ctrl-C. */
  watch?: boolean;
}

export interface CliIO {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
  now: () => number;
  /** Columns to wrap human output to; 0 or absent = no wrapping. */
  width?: number;
  /** Whether a pid is a live process on this machine; absent = not checked. */
  pidAlive?: (pid: number) => boolean;
}

/** kill(pid, 0): ESRCH means gone; EPERM means alive but another user's. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function processIO(): CliIO {
  return {
    env: process.env,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    color: colorAllowed(process.stdout, process.env),
    width: wrapWidth(process.stdout, process.env),
    pidAlive,
    now: () => Date.now(),
  };
}

function statusPath(options: StatusCommandOptions, io: CliIO): string {
  if (options.path) return options.path;
  try {
    return resolveStatusPath(loadConfig(options.config, io.env).config, io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`clawpatrol: ${err.message} (reading the status file from the default path)\n`);
    return join(clawpatrolStateDir(io.env), "status.json");
  }
}

/** When --state-dir/--profile names another install than the one the status file is about, why. */
function otherInstall(options: StatusCommandOptions, watched: string | null, env: NodeJS.ProcessEnv): string | null {
  if (!options.stateDir && !options.profile) return null;
  const wanted = locateInstallation({ ...(options.stateDir ? { stateDir: options.stateDir } : {}), ...(options.profile ? { profile: options.profile } : {}), env }).stateDir;
  if (watched && resolve(watched) === resolve(wanted)) return null;
  return `the status file describes ${watched ?? "no OpenClaw install yet"}, not ${wanted}; start a clawpatrol for that install (clawpatrol run --state-dir ${wanted}) or pass its --path`;
}

export async function runStatus(options: StatusCommandOptions, io: CliIO): Promise<number> {
  if (options.schema) {
    io.out(JSON.stringify(loadStatusSchema(), null, 2) + "\n");
    return 0;
  }
  const path = statusPath(options, io);
  const read = await readStatusFile(path);
  if (!read.ok) {
    const hint = read.reason === "missing" ? " (start it: systemctl --user start clawpatrol, or clawpatrol install)" : "";
    io.err(`clawpatrol is not running: ${read.message}${hint}\n`);
    return 3;
  }
  const snapshot = read.snapshot;
  const mismatch = otherInstall(options, snapshot.openclaw.stateDir, io.env);
  if (mismatch) {
    io.err(`clawpatrol: ${mismatch}\n`);
    return 3;
  }
  const age = io.now() - Date.parse(snapshot.clawpatrol.lastLoopTickAt);
  const pid = snapshot.clawpatrol.pid;
  // A clean stop leaves a fresh-looking file behind: the pid, not the tick age, says it is gone.
  // Either way that is said first, before figures that would otherwise read as current.
  const gone = io.pidAlive && !io.pidAlive(pid)
    ? `clawpatrol is not running since ${snapshot.clawpatrol.lastLoopTickAt} (${ago(age)}; pid ${pid} has exited); what follows is what it last saw. Start it: systemctl --user start clawpatrol`
    : age > STALE_AFTER_MS
      ? `clawpatrol is not running: its last loop tick was ${ago(age)} (${snapshot.clawpatrol.lastLoopTickAt}, pid ${pid}); what follows is old. Check: systemctl --user status clawpatrol; journalctl --user -u clawpatrol`
      : null;
  if (gone) io.err(`${gone}\n`);
  if (options.json) io.out(JSON.stringify(snapshot, null, 2) + "\n");
  else io.out(wrapLines(`${gone ? `NOT RUNNING — ${gone}\n\n` : ""}${renderStatus(snapshot, { now: io.now(), color: io.color, running: gone === null })}`, io.width ?? 0));
  if (gone) return 3;
  return exitCodeForStatus(snapshot);
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Show what the running clawpatrol last saw (exit 0 ok, 1 warning, 2 critical, 3 not running)")
    .option("--json", "print the status file as JSON (schema: clawpatrol status --schema)")
    .option("--schema", "print the JSON Schema of the status file")
    .option("--path <file>", "status file to read (default: from the config, else $XDG_STATE_HOME/clawpatrol/status.json)")
    .option("--config <file>", "clawpatrol config file")
    .option("--state-dir <dir>", "the OpenClaw state dir you mean (refused when the status is about another install)")
    .option("--profile <name>", "OpenClaw profile (~/.openclaw-<name>)")
    .option("--watch", "redraw whenever the status file changes (Ctrl-C to stop)")
    .action(async (options: StatusCommandOptions) => {
      const io = processIO();
      process.exitCode = options.watch && !options.json && !options.schema ? await watchStatus(options, io, statusPath(options, io), runStatus) : await runStatus(options, io);
    });
}

