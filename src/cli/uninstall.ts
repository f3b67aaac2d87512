// `clawpatrol uninstall`: stop and disable the user service and remove its unit file.
// clawpatrol's state (status file, baselines, alert spool) is left alone.
import type { Command } from "commander";
import { realExec, type Exec } from "../util/exec.js";
import { uninstallUnit } from "../systemd/install.js";
import { processIO, type CliIO } from "./status.js";

export interface UninstallCommandOptions {
  dryRun?: boolean;
}

export async function runUninstall(options: UninstallCommandOptions, io: CliIO, exec: Exec = realExec): Promise<number> {
  const result = await uninstallUnit({ env: io.env, exec, dryRun: options.dryRun ?? false, out: (line) => io.out(`${line}\n`) });
  for (const p of result.problems) io.err(`clawpatrol: ${p}\n`);
  return result.problems.length ? 3 : 0;
}

export function registerUninstall(program: Command): void {
  program
    .command("uninstall")
    .description("Stop, disable and remove the clawpatrol systemd user service (keeps its state)")
    .option("--dry-run", "print every command, change nothing")
    .action(async (options: UninstallCommandOptions) => {
      process.exitCode = await runUninstall(options, processIO());
    });
}
