import { describe, it, expect, beforeEach, afterEach } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, chmodSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { realExec } from "../../src/util/exec.js";
import { installUnit, uninstallUnit } from "../../src/systemd/install.js";
import { readUnitTemplate, renderUnit, quoteExecArg } from "../../src/systemd/unit.js";
import { runInstall } from "../../src/cli/install.js";
import { runUninstall } from "../../src/cli/uninstall.js";
import { nodeSatisfiesFloor } from "../../src/util/node-floor.js";
import type { CliIO } from "../../src/cli/status.js";

const ANALYZE = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));

let dir: string;
let log: string;
let env: NodeJS.ProcessEnv;
let mainPath: string;

/** A fake systemctl/loginctl: appends "<name> <argv…>" to a log; loginctl prints the linger answer. */
function fakeBin(name: string, stdout = "", code = 0): string {
  const path = join(dir, "bin", name);
  writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${log}"\nprintf '${stdout}'\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return path;
}

function calls(): string[] {
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
}

function io(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { env, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), color: false, now: () => Date.now(), stdout, stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clawpatrol-install-"));
  log = join(dir, "calls.log");
  execFileSync("mkdir", ["-p", join(dir, "bin"), join(dir, "pkg", "dist", "src", "cli")]);
  mainPath = join(dir, "pkg", "dist", "src", "cli", "main.js");
  writeFileSync(mainPath, "// stand-in for the built CLI\n");
  env = {
    PATH: process.env.PATH,
    HOME: join(dir, "home"),
    USER: "alice",
    XDG_CONFIG_HOME: join(dir, "config"),
    CLAWPATROL_SYSTEMCTL: fakeBin("systemctl"),
    CLAWPATROL_LOGINCTL: fakeBin("loginctl", "Linger=no\\n"),
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("clawpatrol install", () => {
  it("writes the unit to $XDG_CONFIG_HOME/systemd/user, reloads, enables it and prints the linger command", async () => {
    const cli = io();
    const code = await runInstall({ nodePath: process.execPath, mainPath }, cli);
    expect(cli.stderr.join("")).toBe("");
    expect(code).toBe(0);
    const unitPath = join(dir, "config", "systemd", "user", "clawpatrol.service");
    const unit = readFileSync(unitPath, "utf8");
    expect(unit).toContain(`ExecStart=${process.execPath} ${mainPath} run\n`);
    expect(unit).toContain("Type=notify\n");
    expect(unit).toContain("NotifyAccess=all\n");
    expect(unit).not.toContain("/usr/bin/env clawpatrol run");
    expect(calls()).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user enable --now clawpatrol.service",
      "loginctl show-user alice --property=Linger",
    ]);
    expect(cli.stdout.join("")).toContain("lingering is off for alice");
    expect(cli.stdout.join("")).toContain("\n  loginctl enable-linger alice\n");
  });

  it("is idempotent: a second install rewrites nothing and only re-asserts enable --now", async () => {
    await runInstall({ nodePath: process.execPath, mainPath }, io());
    const unitPath = join(dir, "config", "systemd", "user", "clawpatrol.service");
    const before = statSync(unitPath).mtimeMs;
    writeFileSync(log, "");
    const cli = io();
    expect(await runInstall({ nodePath: process.execPath, mainPath }, cli)).toBe(0);
    expect(statSync(unitPath).mtimeMs).toBe(before);
    expect(cli.stdout.join("")).toContain("already up to date");
    expect(calls()).toEqual(["systemctl --user enable --now clawpatrol.service", "loginctl show-user alice --property=Linger"]);
  });

  it("updating an installed unit reloads systemd and restarts the running service", async () => {
    await runInstall({ nodePath: process.execPath, mainPath }, io());
    writeFileSync(log, "");
    const configFile = join(dir, "my config.json5");
    writeFileSync(configFile, "{ remedy: { mode: 'act' } }\n");
    expect(await runInstall({ nodePath: process.execPath, mainPath, config: configFile }, io())).toBe(0);
    const unit = readFileSync(join(dir, "config", "systemd", "user", "clawpatrol.service"), "utf8");
    expect(unit).toContain(`run --config "${configFile}"`);
    expect(calls()).toEqual([
      "systemctl --user daemon-reload",
      "systemctl --user enable --now clawpatrol.service",
      "systemctl --user try-restart clawpatrol.service",
      "loginctl show-user alice --property=Linger",
    ]);
  });

  it("says nothing about lingering when it is already on", async () => {
    env.CLAWPATROL_LOGINCTL = fakeBin("loginctl", "Linger=yes\\n");
    const cli = io();
    expect(await runInstall({ nodePath: process.execPath, mainPath }, cli)).toBe(0);
    expect(cli.stdout.join("")).not.toContain("enable-linger");
  });

  it("--dry-run prints the unit and every command, and writes and runs nothing", async () => {
    const cli = io();
    expect(await runInstall({ dryRun: true, nodePath: process.execPath, mainPath }, cli)).toBe(0);
    const text = cli.stdout.join("");
    expect(text).toContain("[Service]");
    expect(text).toContain(`ExecStart=${process.execPath} ${mainPath} run`);
    expect(text).toContain(`would run: ${env.CLAWPATROL_SYSTEMCTL} --user daemon-reload`);
    expect(text).toContain(`would run: ${env.CLAWPATROL_SYSTEMCTL} --user enable --now clawpatrol.service`);
    expect(text).toContain(`would run: ${env.CLAWPATROL_LOGINCTL} show-user alice --property=Linger`);
    expect(existsSync(join(dir, "config", "systemd"))).toBe(false);
    expect(calls()).toEqual([]);
  });

  it("reports a dead user bus as one line with the fix, not a stack trace", async () => {
    const failing = join(dir, "bin", "systemctl-nobus");
    writeFileSync(failing, `#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n`);
    chmodSync(failing, 0o755);
    env.CLAWPATROL_SYSTEMCTL = failing;
    const cli = io();
    expect(await runInstall({ nodePath: process.execPath, mainPath }, cli)).toBe(3);
    const err = cli.stderr.join("");
    expect(err).toContain("Failed to connect to bus");
    expect(err).toContain("XDG_RUNTIME_DIR=/run/user/$(id -u)");
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("refuses to install with a broken config and names the problem", async () => {
    const configFile = join(dir, "bad.json5");
    writeFileSync(configFile, "{ remedy: { mode: 'fix-everything' } }");
    const cli = io();
    expect(await runInstall({ nodePath: process.execPath, mainPath, config: configFile }, cli)).toBe(3);
    expect(cli.stderr.join("")).toContain("remedy.mode: expected one of observe|act");
    expect(calls()).toEqual([]);
  });

  // The system Node of this machine is 20: a unit started with it dies on node:sqlite.
  const OLD_NODE = existsSync("/usr/bin/node") && !nodeSatisfiesFloor(spawnSync("/usr/bin/node", ["--version"], { encoding: "utf8" }).stdout) ? "/usr/bin/node" : null;

  (OLD_NODE ? it : it.skip)("refuses to write a unit whose ExecStart= Node is below 22.14, in one line", async () => {
    const cli = io();
    expect(await runInstall({ nodePath: OLD_NODE!, mainPath }, cli, realExec)).toBe(3);
    const err = cli.stderr.join("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(/not installing: the unit would start clawpatrol with \/usr\/bin\/node, but clawpatrol needs Node ≥ 22\.14 \(found v\d+/);
    expect(err).toContain("--node");
    expect(existsSync(join(dir, "config", "systemd", "user", "clawpatrol.service"))).toBe(false);
    expect(calls()).toEqual([]);
  });

  it("refuses when the built entry point is missing", async () => {
    const cli = io();
    expect(await runInstall({ nodePath: process.execPath, mainPath: join(dir, "nope", "main.js") }, cli)).toBe(3);
    expect(cli.stderr.join("")).toContain("npm run build");
  });
});

describe("clawpatrol uninstall", () => {
  it("disables and stops the service, removes the unit and reloads; a second run does nothing", async () => {
    await runInstall({ nodePath: process.execPath, mainPath }, io());
    writeFileSync(log, "");
    const cli = io();
    expect(await runUninstall({}, cli)).toBe(0);
    expect(existsSync(join(dir, "config", "systemd", "user", "clawpatrol.service"))).toBe(false);
    expect(calls()).toEqual(["systemctl --user disable --now clawpatrol.service", "systemctl --user daemon-reload"]);
    writeFileSync(log, "");
    const again = io();
    expect(await runUninstall({}, again)).toBe(0);
    expect(again.stdout.join("")).toContain("nothing to do");
    expect(calls()).toEqual([]);
  });

  it("--dry-run leaves the unit in place and runs nothing", async () => {
    await runInstall({ nodePath: process.execPath, mainPath }, io());
    writeFileSync(log, "");
    const cli = io();
    expect(await runUninstall({ dryRun: true }, cli)).toBe(0);
    expect(existsSync(join(dir, "config", "systemd", "user", "clawpatrol.service"))).toBe(true);
    expect(cli.stdout.join("")).toContain("would run: ");
    expect(cli.stdout.join("")).toContain("disable --now clawpatrol.service");
    expect(calls()).toEqual([]);
  });

  it("the library API reports the argv it ran", async () => {
    const lines: string[] = [];
    const res = await installUnit({ env, exec: realExec, out: (l) => lines.push(l), nodePath: process.execPath, mainPath, user: "bob" });
    expect(res.linger).toBe("no");
    expect(res.commands.map((c) => c.slice(1).join(" "))).toEqual(["--user daemon-reload", "--user enable --now clawpatrol.service", "show-user bob --property=Linger"]);
    const un = await uninstallUnit({ env, exec: realExec, out: (l) => lines.push(l) });
    expect(un.changed).toBe(true);
  });
});

describe("the unit file", () => {
  it("quotes ExecStart words that systemd would otherwise split or expand", () => {
    expect(quoteExecArg("/usr/bin/node")).toBe("/usr/bin/node");
    expect(quoteExecArg("/home/a b/x.js")).toBe('"/home/a b/x.js"');
    expect(quoteExecArg("/opt/100%/$HOME")).toBe("/opt/100%%/$$HOME");
  });

  const verify = ANALYZE ? it : it.skip;
  verify("the shipped template and the rendered unit pass systemd-analyze verify (user manager semantics) with no warnings", () => {
    const runtime = mkdtempSync(join(tmpdir(), "clawpatrol-xdg-runtime-"));
    try {
      const rendered = join(dir, "clawpatrol.service");
      writeFileSync(rendered, renderUnit(readUnitTemplate(), { nodePath: process.execPath, mainPath, configPath: join(dir, "c f.json5") }));
      for (const file of [join(process.cwd(), "units", "clawpatrol.service"), rendered]) {
        for (const mode of [["--user"], []]) {
          const res = spawnSync(ANALYZE!, [...mode, "verify", file], {
            env: { ...process.env, XDG_RUNTIME_DIR: runtime },
            encoding: "utf8",
          });
          expect({ file, mode, stderr: res.stderr, stdout: res.stdout, status: res.status }).toEqual({ file, mode, stderr: "", stdout: "", status: 0 });
        }
      }
      // A missing binary in ExecStart= is exactly what verify catches.
      const broken = join(dir, "broken.service");
      writeFileSync(broken, renderUnit(readUnitTemplate(), { nodePath: "/nonexistent/node", mainPath }));
      expect(() => execFileSync(ANALYZE!, ["--user", "verify", broken], { env: { ...process.env, XDG_RUNTIME_DIR: runtime }, stdio: "pipe" })).toThrow();
    } finally {
      rmSync(runtime, { recursive: true, force: true });
    }
  });
});
