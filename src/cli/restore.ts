// `clawpatrol restore --agent ID`: put back the model clawpatrol replaced (only while the config
// still holds clawpatrol's value), through the same engine and audit as the daemon.
import type { Command } from "commander";
import { ManualError, manualEngine } from "../remedy/manual.js";
import { StoreLockedError } from "../remedy/store.js";

interface RestoreOptions {
  agent: string;
  stateDir?: string;
  profile?: string;
  openclawBin?: string;
  json?: boolean;
}

export function registerRestore(program: Command): void {
  program
    .command("restore")
    .description("Switch an agent back to the model it had before clawpatrol's fallback")
    .requiredOption("--agent <id>", "agent id")
    .option("--state-dir <dir>", "OpenClaw state dir (default: OPENCLAW_STATE_DIR or ~/.openclaw)")
    .option("--profile <name>", "OpenClaw profile")
    .option("--openclaw-bin <path>", "openclaw executable (default: OPENCLAW_BIN or openclaw on PATH)")
    .option("--json", "print the audit record as JSON")
    .action(async (opts: RestoreOptions) => {
      try {
        const engine = await manualEngine(opts);
        const r = await engine.restore(opts.agent);
        if (opts.json) process.stdout.write(JSON.stringify({ ok: r.ok, message: r.message, record: r.record ?? null }, null, 2) + "\n");
        else (r.ok ? process.stdout : process.stderr).write(`${r.ok ? "" : "clawpatrol restore: "}${r.message}\n`);
        process.exitCode = r.ok ? 0 : 1;
      } catch (err) {
        if (err instanceof ManualError || err instanceof StoreLockedError) {
          process.stderr.write(`clawpatrol restore: ${err.message}\n`);
          process.exitCode = 3;
          return;
        }
        throw err;
      }
    });
}
