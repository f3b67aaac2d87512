// Where an OpenClaw installation lives: state dir and config path, by OpenClaw's own rules
// (research §1.1), plus clawpatrol's --state-dir / --profile flags in front of them.
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { InstallPaths } from "./types.js";

export interface LocateOptions {
  stateDir?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface LocatedInstallation extends InstallPaths {
  /** Home directory used to expand `~`. */
  home: string;
  /** The state dir exists and is a directory. */
  exists: boolean;
  configExists: boolean;
  /** Things worth telling the user about the choice (e.g. a ~/.moltbot dir OpenClaw itself ignores). */
  notes: string[];
}

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export function resolveHome(options: { env?: NodeJS.ProcessEnv; home?: string }): string {
  const env = options.env ?? process.env;
  return options.home ?? nonEmpty(env.OPENCLAW_HOME) ?? nonEmpty(env.HOME) ?? homedir();
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** `~` and `~/x` expand against home; relative paths resolve against `base` (default cwd). */
export function expandHome(path: string, home: string, base?: string): string {
  const p = path.trim();
  if (p === "~") return home;
  if (p.startsWith("~/")) return join(home, p.slice(2));
  if (isAbsolute(p)) return p;
  return base ? resolve(base, p) : resolve(p);
}

/** The config file OpenClaw reads in a state dir when nothing names another: `<stateDir>/openclaw.json`. */
export function defaultConfigPath(stateDir: string): string {
  return join(stateDir, "openclaw.json");
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Show a path with the home dir as `~` (for messages). */
export function tildify(path: string, home: string): string {
  if (home && (path === home || path.startsWith(home + "/"))) return "~" + path.slice(home.length);
  return path;
}

export function locateInstallation(options: LocateOptions = {}): LocatedInstallation {
  const env = options.env ?? process.env;
  const home = resolveHome(options);
  const notes: string[] = [];
  let stateDir: string;
  let chosenBy: string;
  let profile: string | undefined;
  const envProfile = nonEmpty(env.OPENCLAW_PROFILE);

  if (options.stateDir) {
    stateDir = expandHome(options.stateDir, home);
    chosenBy = "--state-dir";
  } else if (options.profile || (envProfile && !nonEmpty(env.OPENCLAW_STATE_DIR))) {
    profile = (options.profile ?? envProfile)!.trim();
    if (!PROFILE_NAME.test(profile)) notes.push(`profile name "${profile}" is not one OpenClaw accepts (letters, digits, _ and -)`);
    stateDir = profile.toLowerCase() === "default" ? join(home, ".openclaw") : join(home, `.openclaw-${profile}`);
    chosenBy = options.profile ? `--profile ${profile}` : `OPENCLAW_PROFILE=${profile}`;
  } else if (nonEmpty(env.OPENCLAW_STATE_DIR)) {
    stateDir = expandHome(env.OPENCLAW_STATE_DIR!, home);
    chosenBy = "OPENCLAW_STATE_DIR";
  } else if (isDir(join(home, ".openclaw"))) {
    stateDir = join(home, ".openclaw");
    chosenBy = "~/.openclaw";
  } else if (isDir(join(home, ".clawdbot"))) {
    stateDir = join(home, ".clawdbot");
    chosenBy = "legacy ~/.clawdbot";
  } else if (isDir(join(home, ".moltbot"))) {
    stateDir = join(home, ".moltbot");
    chosenBy = "legacy ~/.moltbot";
    notes.push("~/.moltbot is not a state dir OpenClaw itself reads (only ~/.clawdbot is); move it to ~/.openclaw");
  } else {
    stateDir = join(home, ".openclaw");
    chosenBy = "~/.openclaw";
  }

  let configPath: string;
  const envConfig = nonEmpty(env.OPENCLAW_CONFIG_PATH);
  if (envConfig && !options.stateDir && !options.profile) {
    configPath = expandHome(envConfig, home);
    chosenBy += ", OPENCLAW_CONFIG_PATH";
  } else {
    const candidates = [defaultConfigPath(stateDir), join(stateDir, "clawdbot.json")];
    configPath = candidates.find((c) => existsSync(c)) ?? candidates[0]!;
  }
  if (!options.stateDir && isDir(join(home, ".moltbot")) && chosenBy !== "legacy ~/.moltbot") {
    notes.push("found ~/.moltbot as well; OpenClaw ignores it");
  }

  const result: LocatedInstallation = {
    stateDir,
    configPath,
    chosenBy,
    home,
    exists: isDir(stateDir),
    configExists: existsSync(configPath),
    notes,
  };
  if (profile) result.profile = profile;
  return result;
}
