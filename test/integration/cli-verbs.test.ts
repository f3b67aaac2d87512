// The operator's everyday verbs: shell completion generated from the real command table, and
// `clawpatrol logs` reading the service's journal.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBuild, runCli } from "./cli-runner.js";
import { runAttached, runLogs } from "../../src/cli/logs.js";
import type { CliIO } from "../../src/cli/status.js";

beforeAll(requireBuild);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cp-verbs-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const COMMANDS = ["check", "explain", "verify", "probe", "install", "uninstall", "status", "config", "test-alert", "fallback", "restore", "accept", "run", "demo", "logs", "silence", "ack", "completion"];

/** What bash would offer after typing `words` (the last one being completed). */
function bashComplete(script: string, words: string[]): string[] {
  const file = join(dir, "completion.bash");
  writeFileSync(file, script);
  const r = spawnSync("bash", ["-c", `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _clawpatrol; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean);
}

describe("clawpatrol completion", () => {
  it("bash completes every command and each command's own options", () => {
    const out = runCli(["completion", "bash"], dir);
    expect(out.code).toBe(0);
    expect(bashComplete(out.stdout, ["clawpatrol", ""]).sort()).toEqual([...COMMANDS].sort());
    expect(bashComplete(out.stdout, ["clawpatrol", "ch"])).toEqual(["check"]);
    expect(bashComplete(out.stdout, ["clawpatrol", "check", "--s"]).sort()).toEqual(["--short", "--since", "--state-dir", "--stuck-after"]);
    expect(bashComplete(out.stdout, ["clawpatrol", "probe", "--pro"]).sort()).toEqual(["--profile", "--provider"]);
    expect(bashComplete(out.stdout, ["clawpatrol", "silence", "--c"]).sort()).toEqual(["--clear", "--config"]);
    expect(bashComplete(out.stdout, ["clawpatrol", "ack", "--r"])).toEqual(["--reason"]);
  });

  it("zsh and fish scripts list the same commands and options", () => {
    const zsh = runCli(["completion", "zsh"], dir).stdout;
    const fish = runCli(["completion", "fish"], dir).stdout;
    expect(zsh.startsWith("#compdef clawpatrol\n")).toBe(true);
    for (const c of COMMANDS) {
      expect(zsh).toContain(`    '${c}:`);
      expect(fish).toContain(`complete -c clawpatrol -n __fish_use_subcommand -a '${c}'`);
    }
    expect(zsh).toMatch(/check\) opts=\(\n(?: {6}'.*\n)*? {6}'--short:print one Nagios-style line/);
    expect(fish).toContain("complete -c clawpatrol -n '__fish_seen_subcommand_from check' -l 'short'");
  });

  it("an unknown or missing shell is a usage error, exit 3", () => {
    expect(runCli(["completion", "tcsh"], dir).code).toBe(3);
    expect(runCli(["completion"], dir).code).toBe(3);
  });
});

describe("clawpatrol logs", () => {
  function io(env: NodeJS.ProcessEnv): CliIO & { stderr: string } {
    const o = { env, color: false, now: () => Date.now(), stderr: "", out: () => undefined, err: (t: string) => void (o.stderr += t) };
    return o;
  }
  const unitDir = () => join(dir, "config", "systemd", "user");

  function fakeJournalctl(): { env: NodeJS.ProcessEnv; calls: () => string[] } {
    const log = join(dir, "journalctl.calls");
    const bin = join(dir, "journalctl");
    writeFileSync(bin, `#!/bin/sh\necho "$*" >> "${log}"\n`);
    chmodSync(bin, 0o755);
    return { env: { XDG_CONFIG_HOME: join(dir, "config"), CLAWPATROL_JOURNALCTL: bin, PATH: process.env.PATH }, calls: () => readFileSync(log, "utf8").trim().split("\n") };
  }

  it("reads the service's user journal, following with -f", async () => {
    mkdirSync(unitDir(), { recursive: true });
    writeFileSync(join(unitDir(), "clawpatrol.service"), "[Service]\n");
    const j = fakeJournalctl();
    expect(await runLogs({ lines: "100" }, io(j.env), runAttached)).toBe(0);
    expect(await runLogs({ follow: true, lines: "20", since: "1h ago" }, io(j.env), runAttached)).toBe(0);
    expect(j.calls()).toEqual(["--user -u clawpatrol.service -n 100 --no-pager", "--user -u clawpatrol.service -n 20 --no-pager --since 1h ago -f"]);
  });

  it("without the service, says where a foreground run logs and how to install, exit 3", async () => {
    const o = io({ XDG_CONFIG_HOME: join(dir, "config") });
    expect(await runLogs({}, o, runAttached)).toBe(3);
    expect(o.stderr.trim().split("\n")).toHaveLength(1);
    expect(o.stderr).toContain("clawpatrol is not installed as a service");
    expect(o.stderr).toContain("clawpatrol install");
  });

  it("a missing journalctl is one line naming it, exit 3", async () => {
    mkdirSync(unitDir(), { recursive: true });
    writeFileSync(join(unitDir(), "clawpatrol.service"), "[Service]\n");
    const o = io({ XDG_CONFIG_HOME: join(dir, "config"), CLAWPATROL_JOURNALCTL: join(dir, "no-such-journalctl") });
    expect(await runLogs({}, o, runAttached)).toBe(3);
    expect(o.stderr).toMatch(/^clawpatrol logs: cannot run .*no-such-journalctl \(ENOENT\)/);
  });
});
