// `clawpatrol install` / `uninstall`: write the user unit, reload systemd, enable it, and say
// exactly what to run when lingering is off. Idempotent; --dry-run runs and writes nothing.
import { existsSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { userInfo } from "node:os";
import { fileURLToPath } from "node:url";
import type { Exec } from "../util/exec.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { userUnitDir } from "../util/paths.js";
import { UNIT_NAME, readUnitTemplate, renderUnit } from "./unit.js";

export interface SystemdOptions {
  env: NodeJS.ProcessEnv;
  exec: Exec;
  /** Binary names (tests point these at a recording script). */
  systemctl?: string;
  loginctl?: string;
  /** Login name for the linger check; default $USER, then the OS account. */
  user?: string;
  dryRun?: boolean;
  /** Where progress lines go (the CLI passes a stdout writer). */
  out: (line: string) => void;
  /** Default $XDG_CONFIG_HOME/systemd/user. */
  unitDir?: string;
}

export interface InstallOptions extends SystemdOptions {
  nodePath?: string;
  mainPath?: string;
  configPath?: string;
  template?: string;
}

export interface OpsResult {
  unitPath: string;
  /** The unit file was written / removed (false when already in the wanted state or dry-run). */
  changed: boolean;
  /** Every command run (or, with dryRun, that would run), argv form. */
  commands: string[][];
  /** Problems that need the user; empty means success. */
  problems: string[];
}

export interface InstallResult extends OpsResult {
  unit: string;
  linger: "yes" | "no" | "unknown";
}

function binaries(options: SystemdOptions): { systemctl: string; loginctl: string } {
  return {
    systemctl: options.systemctl ?? options.env.CLAWPATROL_SYSTEMCTL ?? "systemctl",
    loginctl: options.loginctl ?? options.env.CLAWPATROL_LOGINCTL ?? "loginctl",
  };
}

function loginName(options: SystemdOptions): string {
  if (options.user) return options.user;
  if (options.env.USER) return options.env.USER;
  try { return userInfo().username; } catch { return String(process.getuid?.() ?? "root"); }
}

export function defaultMainPath(): string {
  return fileURLToPath(new URL("../cli/main.js", import.meta.url));
}

function shellWords(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

function busHint(stderr: string): string {
  return /bus|XDG_RUNTIME_DIR|DBUS/i.test(stderr)
    ? " (no user session bus: log in as this user directly, not via su/sudo, or export XDG_RUNTIME_DIR=/run/user/$(id -u))"
    : "";
}

class Runner {
  readonly commands: string[][] = [];
  readonly problems: string[] = [];
  readonly options: SystemdOptions;
  constructor(options: SystemdOptions) {
    this.options = options;
  }

  /** Runs argv (or prints it on dry-run); a failure becomes a problem line, never an exception. */
  async run(argv: string[], required = true): Promise<{ ok: boolean; stdout: string }> {
    this.commands.push(argv);
    this.options.out(`${this.options.dryRun ? "would run" : "running"}: ${shellWords(argv)}`);
    if (this.options.dryRun) return { ok: true, stdout: "" };
    const [file, ...args] = argv;
    const result = await this.options.exec(file!, args, { env: this.options.env, timeoutMs: 30_000 });
    if (result.code === 0) return { ok: true, stdout: result.stdout };
    const reason = (result.stderr.trim().split("\n")[0] || result.error || `exit code ${result.code}`).trim();
    if (required) this.problems.push(`\`${shellWords(argv)}\` failed: ${reason}${busHint(result.stderr + (result.error ?? ""))}`);
    return { ok: false, stdout: result.stdout };
  }
}

export async function installUnit(options: InstallOptions): Promise<InstallResult> {
  const { systemctl, loginctl } = binaries(options);
  const unitPath = join(options.unitDir ?? userUnitDir(options.env), UNIT_NAME);
  const mainPath = options.mainPath ?? defaultMainPath();
  const unit = renderUnit(options.template ?? readUnitTemplate(), {
    nodePath: options.nodePath ?? process.execPath,
    mainPath,
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  const runner = new Runner(options);
  const previous = existsSync(unitPath) ? readFileSync(unitPath, "utf8") : null;
  const changed = previous !== unit;

  if (!options.dryRun && !existsSync(mainPath)) {
    runner.problems.push(`${mainPath} does not exist: build clawpatrol first (npm run build) or reinstall the package`);
    return { unitPath, unit, changed: false, commands: [], problems: runner.problems, linger: "unknown" };
  }

  if (options.dryRun) {
    options.out(`would write ${unitPath}${changed ? "" : " (unchanged)"}:`);
    options.out(unit.trimEnd());
  } else if (changed) {
    await writeFileAtomic(unitPath, unit, 0o644);
    options.out(`${previous === null ? "wrote" : "updated"} ${unitPath}`);
  } else {
    options.out(`${unitPath} is already up to date`);
  }

  if (changed || options.dryRun) await runner.run([systemctl, "--user", "daemon-reload"]);
  await runner.run([systemctl, "--user", "enable", "--now", UNIT_NAME]);
  // enable --now leaves an already running old version alone; pick up the new unit.
  if (previous !== null && changed) await runner.run([systemctl, "--user", "try-restart", UNIT_NAME]);

  const user = loginName(options);
  let linger: InstallResult["linger"] = "unknown";
  const check = await runner.run([loginctl, "show-user", user, "--property=Linger"], false);
  if (!options.dryRun) {
    const m = /^Linger=(yes|no)\s*$/m.exec(check.stdout);
    linger = m ? (m[1] as "yes" | "no") : "unknown";
    if (linger === "no") {
      options.out(`lingering is off for ${user}: clawpatrol stops when you log out. To keep it running, run:`);
      options.out(`  loginctl enable-linger ${user}`);
    } else if (linger === "unknown") {
      options.out(`could not read lingering for ${user}; if clawpatrol must run without a login session, run:`);
      options.out(`  loginctl enable-linger ${user}`);
    }
  }
  return { unitPath, unit, changed: changed && !options.dryRun, commands: runner.commands, problems: runner.problems, linger };
}

export async function uninstallUnit(options: SystemdOptions): Promise<OpsResult> {
  const { systemctl } = binaries(options);
  const unitPath = join(options.unitDir ?? userUnitDir(options.env), UNIT_NAME);
  const runner = new Runner(options);
  if (!existsSync(unitPath)) {
    options.out(`${unitPath} is not installed; nothing to do`);
    return { unitPath, changed: false, commands: [], problems: [] };
  }
  // A unit that is already stopped/disabled still disables cleanly; a dead user bus is reported.
  await runner.run([systemctl, "--user", "disable", "--now", UNIT_NAME]);
  if (options.dryRun) {
    options.out(`would remove ${unitPath}`);
  } else {
    unlinkSync(unitPath);
    options.out(`removed ${unitPath}`);
  }
  await runner.run([systemctl, "--user", "daemon-reload"]);
  return { unitPath, changed: !options.dryRun, commands: runner.commands, problems: runner.problems };
}
