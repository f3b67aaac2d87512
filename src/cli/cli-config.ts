// Every command reads clawpatrol's config the way the daemon does (--config, $CLAWPATROL_CONFIG,
// the XDG default) and so looks at the same OpenClaw install (openclaw.stateDir / profile / bin);
// --state-dir / --profile override the install for one run.
import type { Command } from "commander";
import type { LoadedConfig } from "../config/load.js";
import { ConfigError, readConfigFile } from "../config/file.js";
import { defaultConfig } from "../config/defaults.js";
import type { ClawpatrolConfig } from "../config/schema.js";

export interface InstallFlags {
  config?: string;
  stateDir?: string;
  profile?: string;
}

/** A problem that stops a command before it could look at anything: one line, exit 3. */
export class CannotRun extends Error {}

export function addConfigOptions(command: Command): Command {
  return command
    .option("--config <file>", "clawpatrol config (default: $CLAWPATROL_CONFIG, else $XDG_CONFIG_HOME/clawpatrol/config.json5)")
    .option("--state-dir <dir>", "OpenClaw state dir (default: openclaw.stateDir of the config, else OPENCLAW_STATE_DIR or ~/.openclaw)")
    .option("--profile <name>", "OpenClaw profile (~/.openclaw-<name>)");
}

/** A flag naming the install replaces the config's choice entirely (stateDir and profile together). */
export function withInstallFlags(config: ClawpatrolConfig, flags: InstallFlags): ClawpatrolConfig {
  if (!flags.stateDir && !flags.profile) return config;
  const { stateDir: _s, profile: _p, ...rest } = config.openclaw;
  return {
    ...config,
    openclaw: { ...rest, ...(flags.stateDir ? { stateDir: flags.stateDir } : {}), ...(flags.profile ? { profile: flags.profile } : {}) },
  };
}

export interface CliConfig extends LoadedConfig {
  /** Where the install was named, for "chosen by …" when the config named it. */
  installChosenBy: string | null;
}

/**
 * clawpatrol's config with the flags applied; an unreadable or invalid config is a CannotRun. The
 * schema (zod) is loaded only when there is a file to validate: `check` without one starts faster.
 */
export async function loadCliConfig(flags: InstallFlags, env: NodeJS.ProcessEnv = process.env): Promise<CliConfig> {
  let loaded: LoadedConfig;
  try {
    const file = readConfigFile(flags.config, env);
    loaded =
      file.text === null
        ? { config: defaultConfig(), path: file.path, source: "defaults" }
        : { config: (await import("../config/load.js")).parseConfigText(file.text, file.path, env), path: file.path, source: "file" };
  } catch (err) {
    if (err instanceof ConfigError) throw new CannotRun(err.message);
    throw err;
  }
  const config = withInstallFlags(loaded.config, flags);
  const fromConfig = !flags.stateDir && !flags.profile && (config.openclaw.stateDir || config.openclaw.profile);
  const key = config.openclaw.stateDir ? "openclaw.stateDir" : "openclaw.profile";
  return { ...loaded, config, installChosenBy: fromConfig ? `${key} in ${loaded.path}` : null };
}

