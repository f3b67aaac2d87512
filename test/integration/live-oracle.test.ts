// The live oracle's plumbing on real files and a real child process (the fake `openclaw` of the test
// support stands in for OpenClaw's answers; test/e2e/live-oracle.e2e.test.ts asks the real 9.6):
// the private copy OpenClaw reads instead of the install, and how the CLI is run.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { readInstallation } from "../../src/openclaw/installation.js";
import { askOpenClaw, ORACLE_PRIORITY, OracleCannotRun, type AskOptions } from "../../src/openclaw/live-oracle.js";
import { copyForOracle, CopyRefused } from "../../src/openclaw/oracle-copy.js";
import { realExec, type ExecOptions } from "../../src/util/exec.js";
import { fixtureHome } from "./adapter-fixtures.js";

const FAKE = join(process.cwd(), "test", "support", "fake-openclaw.mjs");
let tmp: string;
let home: string;
let state: string;
let scratch: string;

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${statSync(p).mtimeMs} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "cp-live-oracle-"));
  home = join(tmp, "home");
  cpSync(fixtureHome("2026.9.6"), home, { recursive: true });
  state = join(home, ".openclaw");
  scratch = join(tmp, "xdg", "clawpatrol", "oracle");
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const read = () => readInstallation({ stateDir: state, home, env: {} });

describe("the private copy OpenClaw reads instead of the install", () => {
  it("holds the config, .env, the state DB and the asked agents' files, readable, with the install untouched", async () => {
    const before = tree(home);
    const copy = await copyForOracle(await read(), ["prof"], scratch);
    try {
      expect(copy.home).toBe(join(copy.root, "home"));
      expect(copy.stateDir).toBe(join(copy.home, ".openclaw"));
      for (const f of ["openclaw.json", ".env", "state/openclaw.sqlite", "agents/prof/agent/openclaw-agent.sqlite"]) expect(existsSync(join(copy.stateDir, f))).toBe(true);
      // Only the agents asked about (and main, which this install has no directory for).
      expect(existsSync(join(copy.stateDir, "agents", "worker"))).toBe(false);
      const db = new DatabaseSync(join(copy.stateDir, "agents", "prof", "agent", "openclaw-agent.sqlite"), { readOnly: true });
      expect(db.prepare("SELECT count(*) AS n FROM auth_profile_store").get()).toEqual({ n: 1 });
      expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: 23 });
      db.close();
      expect((statSync(join(copy.stateDir, "state", "openclaw.sqlite")).mode & 0o777).toString(8)).toBe("600");
      expect(copy.unmap(`${copy.home}/.openclaw/x`)).toBe(`${home}/.openclaw/x`);
    } finally {
      copy.dispose();
    }
    expect(existsSync(copy.root)).toBe(false);
    expect(tree(home)).toEqual(before);
  });

  it("copies a file the config names by ~/ (a SecretRef file), so OpenClaw finds it where it looks", async () => {
    mkdirSync(join(home, "secrets"));
    writeFileSync(join(home, "secrets", "vault.json"), '{"providers":{}}\n', { mode: 0o600 });
    const config = JSON.parse(readFileSync(join(state, "openclaw.json"), "utf8"));
    config.secrets = { providers: { vault: { source: "file", path: "~/secrets/vault.json" } } };
    writeFileSync(join(state, "openclaw.json"), JSON.stringify(config));
    const copy = await copyForOracle(await read(), ["prof"], scratch);
    try {
      expect(readFileSync(join(copy.home, "secrets", "vault.json"), "utf8")).toBe('{"providers":{}}\n');
    } finally {
      copy.dispose();
    }
  });

  it("refuses an agentDir written as an absolute path (OpenClaw would write to the real one), naming it", async () => {
    const config = JSON.parse(readFileSync(join(state, "openclaw.json"), "utf8"));
    config.agents.entries.prof.agentDir = join(state, "agents", "prof", "agent");
    writeFileSync(join(state, "openclaw.json"), JSON.stringify(config));
    const inst = await read();
    await expect(copyForOracle(inst, ["prof"], scratch)).rejects.toThrow(CopyRefused);
    await expect(copyForOracle(inst, ["prof"], scratch)).rejects.toThrow(/^agents\.entries\.prof\.agentDir in .*openclaw\.json is an absolute path: verify runs OpenClaw on a copy/);
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
  });

  it("refuses more than its size limit, and removes a copy a killed run left behind", async () => {
    const inst = await read();
    await expect(copyForOracle(inst, ["prof", "worker"], scratch, Date.now(), 100_000)).rejects.toThrow(/^the OpenClaw databases verify would copy are [\d.]+ MiB \(limit 0\.10 MiB\): compare fewer agents/);
    const stale = join(scratch, "copy-left");
    mkdirSync(stale);
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, old, old);
    (await copyForOracle(inst, ["prof"], scratch)).dispose();
    expect(existsSync(stale)).toBe(false);
  });
});

describe("asking the installed openclaw", () => {
  const control = () => join(tmp, "control.json");
  const envLog = () => join(tmp, "env.jsonl");
  const calls = () => readFileSync(envLog(), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, any>);
  const status = { defaultModel: "mockprof/mock-ok", fallbacks: ["mock/mock-ok"], modelConfig: { defaultSource: "agent" } };

  async function ask(over: Partial<AskOptions> = {}, ctl: Record<string, unknown> = { modelsStatus: { prof: status, worker: status } }) {
    writeFileSync(control(), JSON.stringify(ctl));
    // The gateway service's environment (what OpenClaw's CLI is given); the caller's shell is not.
    mkdirSync(join(state, "service-env"), { recursive: true });
    writeFileSync(join(state, "service-env", "fake.env"), `FAKE_OPENCLAW_CONTROL=${control()}\nFAKE_OPENCLAW_ENV_LOG=${envLog()}\nMISTRAL_API_KEY=fake-mistral-key-of-the-service\n`);
    return askOpenClaw({
      inst: await read(),
      agents: ["prof", "worker"],
      bin: FAKE,
      env: { PATH: dirname(process.execPath), OPENAI_API_KEY: "sk-proj-fake-from-the-callers-shell" },
      scratchParent: scratch,
      exec: realExec,
      now: Date.now,
      timeoutMs: 30_000,
      ...over,
    });
  }

  it("asks once per agent, one at a time, on the copy, offline, with the gateway address pointed nowhere; the copy is gone after", async () => {
    const options: ExecOptions[] = [];
    const a = await ask({ exec: (f, args, o) => (options.push(o ?? {}), realExec(f, args, o)) });
    expect(a.agents.map((x) => [x.agent, x.status.defaultModel])).toEqual([["prof", "mockprof/mock-ok"], ["worker", "mockprof/mock-ok"]]);
    for (const x of a.agents) expect(x.window.end).toBeGreaterThanOrEqual(x.window.start);
    expect(a.version).toBe("2026.9.6");
    expect(a.refused).toBeNull();
    const seen = calls();
    expect(seen.map((c) => c.args)).toEqual([["models", "status", "--json", "--agent", "prof"], ["models", "status", "--json", "--agent", "worker"]]);
    for (const c of seen) {
      expect(c.OPENCLAW_STATE_DIR!.startsWith(join(scratch, "copy-"))).toBe(true);
      expect(c.HOME).toBe(dirname(c.OPENCLAW_STATE_DIR!));
      expect(c.cwd!.startsWith(join(scratch, "copy-"))).toBe(true);
      expect(c).toMatchObject({ configExists: true, OPENCLAW_GATEWAY_PORT: "9", OPENCLAW_GATEWAY_URL: "ws://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9" });
    }
    expect(options.filter((o) => o.priority === ORACLE_PRIORITY)).toHaveLength(2);
    // The gateway service's environment reaches OpenClaw; the caller's own shell does not (the gateway does not have it either).
    expect(seen[0]!.names).toEqual(expect.arrayContaining(["MISTRAL_API_KEY", "PATH"]));
    expect(seen[0]!.names).not.toContain("OPENAI_API_KEY");
    expect(readdirSync(scratch).filter((n) => n.startsWith("copy-"))).toEqual([]);
  });

  it("reports OpenClaw's refusal for the whole install, with its secrets audit", async () => {
    const a = await ask({}, { refuse: "models.providers.mock.apiKey is unresolved", secretsAudit: { findings: [{ code: "REF_UNRESOLVED", file: join(state, "openclaw.json"), jsonPath: "models.providers.mock.apiKey" }] } });
    expect(a.refused).toMatch(/^models status: failed to resolve secrets from the active gateway snapshot/);
    expect(a.agents).toEqual([]);
    expect(a.audit?.findings).toHaveLength(1);
  });

  it("a config OpenClaw rejects is its answer for the whole install, in its words, with the install's own path", async () => {
    const a = await ask({}, { invalidConfig: 'meta: Unrecognized key: "lastTouchedAt"' });
    expect(a.configRejected).toBe(`Invalid config at ${join(state, "openclaw.json")}: - meta: Unrecognized key: "lastTouchedAt"`);
    expect(a.agents).toEqual([]);
    expect(calls()).toHaveLength(1);
  });

  it("could not run: openclaw not on PATH, a timeout, an error answer — each one line with its fix, and no copy left", async () => {
    const notOnPath = ask({ bin: "openclaw" });
    await expect(notOnPath).rejects.toThrow(OracleCannotRun);
    await expect(notOnPath).rejects.toMatchObject({ message: "openclaw is not on PATH", fix: "install OpenClaw (npm install -g openclaw) or set openclaw.bin in clawpatrol's config" });
    await expect(ask({ bin: join(tmp, "nope", "openclaw") })).rejects.toThrow(/nope\/openclaw \(openclaw\.bin\) does not exist/);
    await expect(ask({ timeoutMs: 1500 }, { statusDelayMs: 20_000, modelsStatus: { prof: status } })).rejects.toMatchObject({ message: expect.stringMatching(/^openclaw models status --json --agent prof: timed out after 1500 ms$/), fix: expect.stringContaining("verify.timeout") });
    await expect(ask({}, { modelsStatus: {} })).rejects.toThrow(/^openclaw models status --json --agent prof refused: fake openclaw: no models status for agent prof/);
    expect(readdirSync(scratch).filter((n) => n.startsWith("copy-"))).toEqual([]);
  });
});
