// The README's "Install as a service" lines, run as written by a new user: an empty HOME, only the
// system Node on PATH, npm's global prefix in a temp dir (the README's own alternative to root).
// Shared by scripts/try-readme-install.ts (a fresh clone, `npm ci` included) and the test suite
// (this checkout, already built). systemctl/loginctl are recorders: nothing touches the real manager.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The shell lines of the README's install block, comments stripped, in order. */
export function readmeInstallLines(readme: string): string[] {
  const section = /^## Install as a service\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```sh block under \"## Install as a service\"");
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"));
}

/** The first Node on the system PATH, as a clean Debian machine has it (/usr/bin/node). */
export const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

export interface InstallSandbox {
  home: string;
  prefix: string;
  /** systemctl/loginctl calls, one "name argv…" line each. */
  calls: string;
  env: NodeJS.ProcessEnv;
}

/** An empty HOME, a global npm prefix and recording systemctl/loginctl under `dir`. */
export function installSandbox(dir: string, npmCache?: string): InstallSandbox {
  const home = join(dir, "home");
  const prefix = join(dir, "npm-global");
  const bin = join(dir, "fake-systemd");
  const calls = join(dir, "systemd-calls.log");
  for (const d of [home, prefix, bin]) mkdirSync(d, { recursive: true });
  const fake = (name: string, stdout: string) => {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${calls}"\nprintf '${stdout}'\n`);
    chmodSync(path, 0o755);
    return path;
  };
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    USER: "newuser",
    PATH: `${join(prefix, "bin")}:${SYSTEM_PATH}`,
    LANG: "C.UTF-8",
    // The README's non-root alternative to `npm install -g` under /usr.
    NPM_CONFIG_PREFIX: prefix,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    ...(npmCache ? { npm_config_cache: npmCache } : {}),
    CLAWPATROL_SYSTEMCTL: fake("systemctl", ""),
    CLAWPATROL_LOGINCTL: fake("loginctl", "Linger=yes\\n"),
  };
  return { home, prefix, calls, env };
}

export interface LineResult {
  line: string;
  code: number | null;
  ms: number;
  output: string;
}

/** One README line through bash in `cwd`, as typed. */
export function runLine(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 15 * 60_000): LineResult {
  const started = Date.now();
  const r = spawnSync("/bin/bash", ["-c", line], { cwd, env, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { line, code: r.status, ms: Date.now() - started, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? `\n${r.error.message}` : ""}` };
}

/** systemctl/loginctl calls recorded so far. */
export function systemdCalls(sandbox: InstallSandbox): string[] {
  try {
    return readFileSync(sandbox.calls, "utf8").trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** `ExecStart=` of a unit text: [node, main.js, …args]. */
export function execStart(unit: string): string[] {
  const line = /^ExecStart=(.*)$/m.exec(unit)?.[1];
  return line ? line.split(/\s+/) : [];
}
