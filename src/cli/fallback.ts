// `clawpatrol fallback --agent ID --to MODEL [--yes]`: switch an agent's model by hand through the
// same engine and audit as the daemon (who = "user"). Without --yes it prints the command only.
import type { Command } from "commander";
import { ManualError, manualEngine } from "../remedy/manual.js";
import { StoreLockedError } from "../remedy/store.js";
import { addConfigOptions, CannotRun, loadCliConfig, type InstallFlags } from "./cli-config.js";
import { installTarget } from "../config/derive.js";

interface FallbackOptions extends InstallFlags {
  agent: string;
  to: string;
  openclawBin?: string;
  yes?: boolean;
  json?: boolean;
}

export function registerFallback(program: Command): void {
  addConfigOptions(program.command("fallback").description("Switch an agent to another model through `openclaw config set` (backed up, audited, undo with `clawpatrol restore`)"))
    .requiredOption("--agent <id>", "agent id")
    .requiredOption("--to <model>", 'model ref "provider/model", e.g. openai-codex/gpt-5.4')
    .option("--openclaw-bin <path>", "openclaw executable (default: OPENCLAW_BIN or openclaw on PATH)")
    .option("--yes", "do it (without: show the exact command and whether the model is verified)")
    .option("--json", "print the audit record as JSON")
    .action(async (opts: FallbackOptions) => {
      if (!/^[^/\s]+\/\S+$/.test(opts.to)) {
        process.stderr.write(`clawpatrol fallback: --to must be a model ref "provider/model", got "${opts.to}"\n`);
        process.exitCode = 3;
        return;
      }
      try {
        // The install (and openclaw binary) of clawpatrol's config, as the daemon switches it.
        const engine = await manualEngine({ ...installTarget((await loadCliConfig(opts)).config), ...(opts.openclawBin ? { openclawBin: opts.openclawBin } : {}) });
        const r = await engine.fallback(opts.agent, opts.to, { apply: opts.yes === true });
        if (opts.json) process.stdout.write(JSON.stringify({ ok: r.ok, message: r.message, record: r.record ?? null }, null, 2) + "\n");
        else (r.ok ? process.stdout : process.stderr).write(`${r.ok ? "" : "clawpatrol fallback: "}${r.message}${/\(ENOENT/.test(r.message) ? " — put openclaw on PATH or pass --openclaw-bin PATH" : ""}\n`);
        // Not done (refused, or the switch failed and was rolled back): UNKNOWN for Nagios, never WARNING.
        process.exitCode = r.ok ? 0 : 3;
      } catch (err) {
        if (err instanceof ManualError || err instanceof StoreLockedError || err instanceof CannotRun) {
          process.stderr.write(`clawpatrol fallback: ${err.message}\n`);
          process.exitCode = 3;
          return;
        }
        throw err;
      }
    });
}
