// `clawpatrol install`: the systemd user unit, enabled and started.
import type { Command } from "commander";
import { isAbsolute, resolve } from "node:path";
import { NODE_FLOOR, nodeFloorProblem } from "../util/node-floor.js";
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

/** Why `node` cannot run clawpatrol under systemd (null when it can): too old, or not a Node at all. */
async function nodeForUnitProblem(node: string, exec: Exec): Promise<string | null> {
  if (!isAbsolute(node)) return `"${node}", which is not an absolute path (systemd needs one): pass --node /path/to/node`;
  // The Node running this command already passed the launcher's check.
  const version = node === process.execPath ? process.versions.node : (await exec(node, ["--version"], { timeoutMs: 10_000 })).stdout.trim();
  if (!version) return `${node}, which did not answer --version: pass --node with a Node ≥ ${NODE_FLOOR.join(".")}`;
  const tooOld = nodeFloorProblem(version, node);
  return tooOld ? `${node}, but ${tooOld}; or pass --node with a newer one` : null;
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
    return 3;
  }
  const node = options.nodePath ?? process.execPath;
  const nodeProblem = await nodeForUnitProblem(node, exec);
  if (nodeProblem) {
    io.err(`clawpatrol: not installing: the unit would start clawpatrol with ${nodeProblem}\n`);
    return 3;
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
  if (result.problems.length) return 3;
  if (!options.dryRun) io.out("clawpatrol is installed. See it with: clawpatrol status · journalctl --user -u clawpatrol -f\n");
  return 0;
}

export function registerInstall(program: Command): void {
  program
    .command("install")
    .description("Install and start clawpatrol as a systemd user service (~/.config/systemd/user/clawpatrol.service)")
    .option("--dry-run", "print the unit and every command, change nothing")
    .option("--config <file>", "run the service with this config file")
    .option("--node <path>", "Node binary for ExecStart= (default: the one running this command; must be ≥ 22.14)")
    .action(async (options: InstallCommandOptions & { node?: string }) => {
      if (options.node) options.nodePath = resolve(options.node);
      process.exitCode = await runInstall(options, processIO());
    });
}
