// Child processes: execFile with an argument array, never a shell string. Injected so tests can
// substitute a fake `openclaw` or `systemctl` that records its argv.
import { execFile } from "node:child_process";
import { setPriority } from "node:os";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started or was killed by the timeout. */
  error?: string;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
  /** Scheduling priority (nice value, 0–19) for the child and what it starts; best effort. */
  priority?: number;
  /** Kills the child when aborted (e.g. the daemon stops mid-run). */
  signal?: AbortSignal;
}

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

// systemd's notify socket must reach no child: with NotifyAccess=all any process in our cgroup
// could otherwise speak for us (the mirror of sd_notify's unset_environment=1).
const STRIPPED_ENV = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];

export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of STRIPPED_ENV) delete out[name];
  return out;
}

export const realExec: Exec = (file, args, options = {}) =>
  new Promise((resolve) => {
    const child = execFile(
      file,
      [...args],
      {
        env: childEnv(options.env ?? process.env),
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 32 * 1024 * 1024,
        encoding: "utf8",
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr });
        const err = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string };
        const code = typeof err.code === "number" ? err.code : 127;
        const reason = options.signal?.aborted ? "stopped (clawpatrol is shutting down)" : err.killed ? `timed out after ${options.timeoutMs ?? 60_000} ms` : typeof err.code === "string" && err.code !== "ABORT_ERR" ? spawnFailure(file, err.code) : undefined;
        resolve({ code, stdout: stdout ?? "", stderr: stderr ?? "", ...(reason ? { error: reason } : {}) });
      },
    );
    if (options.priority !== undefined && child.pid !== undefined) {
      try {
        setPriority(child.pid, options.priority);
      } catch {
        /* not permitted here: the child runs at our priority */
      }
    }
    if (options.input !== undefined) child.stdin?.end(options.input);
  });

/** Why a program could not be started, in words (ENOENT alone told users nothing). */
function spawnFailure(file: string, code: string): string {
  if (code === "ENOENT") return `${file} not found (ENOENT: not on PATH and no such file)`;
  if (code === "EACCES") return `${file} is not executable (EACCES)`;
  return `${file} could not be started (${code})`;
}

/** One line for a failed run: the start failure, else the first output line, else the exit code. */
export function execFailureText(file: string, r: ExecResult, firstOutputLine: string): string {
  if (r.error) return firstOutputLine ? `${r.error}: ${firstOutputLine}` : r.error;
  return firstOutputLine || `${file} exited ${r.code} with no output`;
}
