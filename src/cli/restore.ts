// `clawpatrol restore --agent ID`: put back the model clawpatrol replaced (only while the config
// still holds clawpatrol's value), through the same engine and audit as the daemon.
import type { Command } from "commander";
import { ManualError, manualEngine } from "../remedy/manual.js";
import { StoreLockedError } from "../remedy/store.js";
import { addConfigOptions, CannotRun, loadCliConfig, type InstallFlags } from "./cli-config.js";
import { installTarget } from "../config/derive.js";

interface RestoreOptions extends InstallFlags {
  agent: string;
  openclawBin?: string;
  json?: boolean;
}

export function registerRestore(program: Command): void {
  addConfigOptions(program.command("restore").description("Switch an agent back to the model it had before clawpatrol's fallback"))
    .requiredOption("--agent <id>", "agent id")
    .option("--openclaw-bin <path>", "openclaw executable (default: OPENCLAW_BIN or openclaw on PATH)")
    .option("--json", "print the audit record as JSON")
    .action(async (opts: RestoreOptions) => {
      try {
        // The install (and openclaw binary) of clawpatrol's config, as the daemon switches it.
        const engine = await manualEngine({ ...installTarget((await loadCliConfig(opts)).config), ...(opts.openclawBin ? { openclawBin: opts.openclawBin } : {}) });
        const r = await engine.restore(opts.agent);
        if (opts.json) process.stdout.write(JSON.stringify({ ok: r.ok, message: r.message, record: r.record ?? null }, null, 2) + "\n");
        else (r.ok ? process.stdout : process.stderr).write(`${r.ok ? "" : "clawpatrol restore: "}${r.message}\n`);
        // Not done (refused, or the switch failed and was rolled back): UNKNOWN for Nagios, never WARNING.
        process.exitCode = r.ok ? 0 : 3;
      } catch (err) {
        if (err instanceof ManualError || err instanceof StoreLockedError || err instanceof CannotRun) {
          process.stderr.write(`clawpatrol restore: ${err.message}\n`);
          process.exitCode = 3;
          return;
        }
        throw err;
      }
    });
}
