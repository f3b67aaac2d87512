// A real `openclaw gateway run` in its own process group, so stopping it takes its helper
// processes with it (SIGKILL of the gateway alone leaves workers behind).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { OpenClawCli } from "../openclaw/cli.js";

export interface GatewayProcessOptions {
  port: number;
  /** Where the gateway's stdout/stderr go. */
  logPath: string;
  startTimeoutMs?: number;
}

export class GatewayProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;

  private readonly cli: OpenClawCli;
  readonly options: GatewayProcessOptions;

  constructor(cli: OpenClawCli, options: GatewayProcessOptions) {
    this.cli = cli;
    this.options = options;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const [file, args] = this.cli.argv(["gateway", "run", "--port", String(this.options.port)]);
    const out = createWriteStream(this.options.logPath, { flags: "a" });
    const child = spawn(file, args, { env: this.cli.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    registerForCleanup(this);
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 120_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`openclaw gateway exited with ${child.exitCode} before answering /health (log: ${this.options.logPath})`);
      if (await this.healthy()) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    await this.stop();
    throw new Error(`openclaw gateway did not answer /health within ${this.options.startTimeoutMs ?? 120_000} ms (log: ${this.options.logPath})`);
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Waits until /readyz says ready (plugins, agent databases). */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`openclaw gateway not ready within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    killGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(child.pid!, "SIGKILL"), 8000);
    await this.exited;
    clearTimeout(timer);
    killGroup(child.pid, "SIGKILL"); // stragglers in the group
    unregister(this);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch { /* already gone */ }
}

const live = new Set<GatewayProcess>();
let hooked = false;
function registerForCleanup(g: GatewayProcess): void {
  live.add(g);
  if (hooked) return;
  hooked = true;
  process.once("exit", () => {
    for (const gw of live) if (gw.pid) killGroup(gw.pid, "SIGKILL");
  });
}
function unregister(g: GatewayProcess): void {
  live.delete(g);
}
