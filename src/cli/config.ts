// `clawpatrol config check|show`: validate clawpatrol's own config file, or print the effective
// config (defaults filled in; it never holds secrets, only their env/file references).
import type { Command } from "commander";
import { loadConfig, ConfigError } from "../config/load.js";
import { withDurationUnits } from "../config/durations.js";
import { processIO, type CliIO } from "./status.js";

export interface ConfigCommandOptions {
  config?: string;
}

export function runConfigCheck(options: ConfigCommandOptions, io: CliIO): number {
  try {
    const loaded = loadConfig(options.config, io.env);
    if (loaded.source === "defaults") {
      io.out(`no config file at ${loaded.path}: clawpatrol runs with the defaults (see config/clawpatrol.example.json5)\n`);
    } else {
      const c = loaded.config;
      io.out(`${loaded.path}: OK (remedy ${c.remedy.mode}, ${c.alerts.channels.length} alert channel${c.alerts.channels.length === 1 ? "" : "s"}: ${c.alerts.channels.map((ch) => `${ch.name} (${ch.type})`).join(", ")})\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.err(`${issue}\n`);
    // What config check checks is broken: CRITICAL (clawpatrol refuses to start with it).
    return 2;
  }
}

export function runConfigShow(options: ConfigCommandOptions, io: CliIO): number {
  try {
    const loaded = loadConfig(options.config, io.env);
    io.out(JSON.stringify({ source: loaded.source, path: loaded.path, config: withDurationUnits(loaded.config) }, null, 2) + "\n");
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) io.err(`${issue}\n`);
    return 3;
  }
}

export function registerConfig(program: Command): void {
  const config = program.command("config").description("clawpatrol's own configuration");
  config
    .command("check")
    .description("Validate the config file (default $XDG_CONFIG_HOME/clawpatrol/config.json5); exit 2 on errors")
    .option("--config <file>", "config file to check")
    .action((options: ConfigCommandOptions) => {
      process.exitCode = runConfigCheck(options, processIO());
    });
  config
    .command("show")
    .description("Print the effective config as JSON, defaults filled in, durations with their unit")
    .option("--config <file>", "config file to read")
    .action((options: ConfigCommandOptions) => {
      process.exitCode = runConfigShow(options, processIO());
    });
}
