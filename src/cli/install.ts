// `clawpatrol install`: the systemd user unit, enabled and started.
import type { Command } from "commander";
import { resolve } from "node:path";
import { realExec, type Exec } from "../util/exec.js";
import { installUnit } from "../systemd/install.js";
import { loadConfig, ConfigError } from "../config/load.js";
import { processIO, type CliIO } from "./status.js";

export interface InstallCommandOptions {
  dryRun?: boolean;
  config?: string;
  /** Tests: absolute paths written into ExecStart=. */
  nodePath?: string;
  mainPath?: string;
}

export async function runInstall(options: InstallCommandOptions, io: CliIO, exec: Exec = realExec): Promise<number> {
  const configPath = options.config ? resolve(options.config) : undefined;
  // Refuse to install a service that would fail on its first start.
  try {
    loadConfig(configPath, io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.err(`${issue}\n`);
    io.err("clawpatrol: not installing; fix the config first (clawpatrol config check)\n");
    return 1;
  }
  const result = await installUnit({
    env: io.env,
    exec,
    dryRun: options.dryRun ?? false,
    out: (line) => io.out(`${line}\n`),
    ...(configPath ? { configPath } : {}),
    ...(options.nodePath ? { nodePath: options.nodePath } : {}),
    ...(options.mainPath ? { mainPath: options.mainPath } : {}),
  });
  for (const p of result.problems) io.err(`clawpatrol: ${p}\n`);
  if (result.problems.length) return 1;
  if (!options.dryRun) io.out("clawpatrol is installed. See it with: clawpatrol status · journalctl --user -u clawpatrol -f\n");
  return 0;
}

export function registerInstall(program: Command): void {
  program
    .command("install")
    .description("Install and start clawpatrol as a systemd user service (~/.config/systemd/user/clawpatrol.service)")
    .option("--dry-run", "print the unit and every command, change nothing")
    .option("--config <file>", "run the service with this config file")
    .action(async (options: InstallCommandOptions) => {
      process.exitCode = await runInstall(options, processIO());
    });
}
