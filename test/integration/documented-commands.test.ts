// Every `clawpatrol …` line a person is told to run — README.md, docs/*.md, the example config,
// the fix texts and hints in src/ — is run against the built CLI, so none can rot: each must parse
// (no unknown command or option, no "too many arguments"), and run to an answer on a sandbox
// install (the seed story on a loopback fake provider, a fake `openclaw`, a recording systemctl),
// exit 0–3 without a stack trace. Lines that run until stopped (`run`, `demo`, `--watch`,
// `--follow`) are parsed only (CLAWPATROL_PARSE_ONLY). The commands and their options are read from
// the CLI's own --help, so a new command is covered without touching this test.
import { describe, expect, it, beforeAll, afterAll } from "@jest/globals";
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { REPO } from "./adapter-fixtures.js";
import { hasStackTrace, requireBuild } from "./cli-runner.js";
import { buildSeedSandbox, type SeedSandbox } from "../../src/demo/seed-sandbox.js";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { commandLines, commandNames, documentedMentions, parseShape, type CommandLine, type CommandShape, type Fixture } from "../support/documented-commands.js";

const LAUNCHER = join(REPO, "dist", "src", "cli", "clawpatrol.js");
const FAKE_OPENCLAW = join(REPO, "test", "support", "fake-openclaw.mjs");
const USAGE_ERROR = /error: (unknown option|unknown command|too many arguments|missing required argument|required option|option '.*' argument missing)|unknown command/;

let dir: string;
let provider: FakeProvider;
let seed: SeedSandbox;
let env: NodeJS.ProcessEnv;

function cli(argv: string[], extra: NodeJS.ProcessEnv = {}, timeout = 60_000) {
  const r = spawnSync(process.execPath, [LAUNCHER, ...argv], { encoding: "utf8", timeout, env: { ...env, ...extra } });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", timedOut: r.error !== undefined };
}

function cliAsync(argv: string[], extra: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LAUNCHER, ...argv], { encoding: "utf8", timeout: 60_000, env: { ...env, ...extra } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

/** What each command accepts, from its --help; required options found by parsing it bare. */
async function shapes(): Promise<Map<string, CommandShape>> {
  const out = new Map<string, CommandShape>();
  const add = async (path: string[]): Promise<void> => {
    const required: string[] = [];
    for (let tries = 0; tries < 5; tries++) {
      const bare = await cliAsync([...path, ...required.flatMap((o) => [o, "x"])], { CLAWPATROL_PARSE_ONLY: "1" });
      const m = /required option '(--[\w-]+)/.exec(bare.stderr);
      if (!m) break;
      required.push(m[1]!);
    }
    const shape = parseShape(path.join(" "), (await cliAsync([...path, "--help"])).stdout, required);
    out.set(path.join(" "), shape);
    await Promise.all(shape.subcommands.map((sub) => add([...path, sub])));
  };
  await Promise.all(commandNames((await cliAsync(["--help"])).stdout).map((name) => add([name])));
  return out;
}

const runsUntilStopped = (argv: string[]) => ["run", "demo"].includes(argv[0]!) || argv.some((a) => ["--watch", "-f", "--follow"].includes(a));

let lines: CommandLine[];

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), "clawpatrol-doc-commands-"));
  provider = await startFakeProvider({ unknownKey: "401" });
  seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: 9, now: Date.now(), parent: dir });
  provider.setKeyBehaviour(seed.keys.envKey, "ok");
  const bin = join(dir, "bin");
  mkdirSync(bin);
  for (const name of ["systemctl", "loginctl"]) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${name === "loginctl" ? "echo Linger=yes\n" : ""}exit 0\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const configFile = join(dir, "config.json5");
  writeFileSync(configFile, "{ remedy: { mode: \"observe\" } }\n");
  env = {
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: seed.home,
    TZ: "UTC",
    NO_COLOR: "1",
    XDG_STATE_HOME: join(seed.home, "state"),
    XDG_CONFIG_HOME: join(seed.home, "config"),
    OPENCLAW_STATE_DIR: seed.stateDir,
    OPENCLAW_BIN: FAKE_OPENCLAW,
    FAKE_OPENCLAW_VERSION: "5",
    CLAWPATROL_SYSTEMCTL: join(bin, "systemctl"),
    CLAWPATROL_LOGINCTL: join(bin, "loginctl"),
  };
  const model = "openai-codex/gpt-5.4";
  const fixture: Fixture = {
    byOption: {
      agent: "main", to: model, kind: "auth.rejected", for: "2h", reason: "documented-command test", clear: "sil-none",
      "state-dir": seed.stateDir, profile: "doc-test", config: configFile, file: seed.configPath, since: "1h", "stuck-after": "5m",
      lines: "5", channel: "mailbox", node: process.execPath, "openclaw-bin": FAKE_OPENCLAW, path: join(dir, "status.json"),
      mailbox: join(dir, "demo.mbox"), timeout: "2000", provider: "openrouter", act: FAKE_OPENCLAW,
    },
    byValueName: { id: "main", model, file: configFile, dir: seed.stateDir, duration: "1h", ms: "2000", n: "5", name: "mailbox", path: join(dir, "x"), time: "1h ago", kind: "auth.rejected", text: "test" },
    byArgument: { incident: "inc-none", shell: "bash", "*": "main" },
    fallback: "x",
  };
  const known = await shapes();
  // One run per distinct argv; every place that writes it is named when it fails.
  const byArgv = new Map<string, CommandLine>();
  for (const mention of documentedMentions(REPO, [...known.keys()].filter((k) => !k.includes(" ")))) {
    for (const line of commandLines(mention, known, fixture) ?? []) {
      const key = line.argv.join("\u0000");
      const seen = byArgv.get(key);
      if (!seen) byArgv.set(key, line);
      else if (!seen.source.split(", ").includes(line.source)) seen.source += `, ${line.source}`;
    }
  }
  lines = [...byArgv.values()];
}, 120_000);

afterAll(async () => {
  await provider?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("every documented clawpatrol command line", () => {
  it("is found in README, docs, the example config and src/ fix texts", () => {
    const sources = new Set(lines.flatMap((l) => l.source.split(", ").map((s) => s.split("/")[0])));
    for (const where of ["README.md", "docs", "config", "src"]) expect([...sources]).toContain(where);
    // The fix texts people are sent: the fallback the daemon names, and the way back.
    const fromRemedy = lines.filter((l) => l.source.includes("src/remedy/")).map((l) => l.argv.join(" "));
    expect(fromRemedy).toEqual(expect.arrayContaining(["fallback --agent main --to openai-codex/gpt-5.4 --yes", "restore --agent main"]));
    expect(lines.length).toBeGreaterThan(30);
  });

  it("each parses and runs to an answer on a sandbox install: no usage error, exit 0–3, no stack trace", () => {
    const bad: string[] = [];
    for (const line of lines) {
      // A line that runs until stopped is parsed and validated, not run.
      const parseOnly = runsUntilStopped(line.argv);
      const r = cli(line.argv, parseOnly ? { CLAWPATROL_PARSE_ONLY: "1" } : {}, 60_000);
      const text = r.stdout + r.stderr;
      const ok = parseOnly ? r.code === 0 && r.stdout.startsWith("parsed: ") : !r.timedOut && r.code !== null && r.code <= 3 && !USAGE_ERROR.test(text) && !hasStackTrace(text);
      if (!ok) bad.push(`${line.source}: ${line.written}  →  clawpatrol ${line.argv.join(" ")}: exit ${r.code}${r.timedOut ? " (timed out)" : ""}: ${text.trim().split("\n").slice(0, 2).join(" / ")}`);
    }
    expect(bad).toEqual([]);
  }, 900_000);
});
