import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { readInstallation } from "../../src/openclaw/installation.js";
import { probeFindingSource } from "../../src/probe/source.js";

// Seed 000: a stale key in the stored profile openrouter:default, a valid OPENROUTER_API_KEY in
// ~/.openclaw/.env; the runtime uses the profile, so every call 401s while the env key is fine.
const STALE = "sk-or-v1-" + "3f".repeat(30) + "04f4";
const GOOD = "sk-or-v1-" + "7c".repeat(30) + "a81c";
const MAIN = resolve("dist/src/cli/main.js");
/** A key the fake provider answers with HTTP 500: the probe cannot tell whether it works. */
const FLAKY = "sk-or-v1-" + "5e".repeat(30) + "e500";

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("clawpatrol probe on the seed-000 installation", () => {
  let fake: FakeProvider;
  let home: string;
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fake = await startFakeProvider({ keys: { [GOOD]: "ok", [FLAKY]: "500" } });
    home = mkdtempSync(join(tmpdir(), "seed000-"));
    stateDir = join(home, ".openclaw");
    mkdirSync(join(stateDir, "agents", "main", "agent"), { recursive: true });
    writeFileSync(
      join(stateDir, "openclaw.json"),
      JSON.stringify({
        meta: { lastTouchedVersion: "2026.4.14" },
        gateway: { mode: "local", bind: "loopback", port: 1, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
        models: { providers: { openrouter: { baseUrl: `${fake.url}/api/v1`, models: [] } } },
        agents: { defaults: { model: { primary: "openrouter/openrouter/auto" } }, list: [{ id: "main", default: true }] },
      }),
    );
    writeFileSync(join(stateDir, ".env"), `OPENROUTER_API_KEY=${GOOD}\nOPENCLAW_GATEWAY_TOKEN=gw-token-${"0".repeat(32)}\n`);
    writeFileSync(join(stateDir, "agents", "main", "agent", "auth-profiles.json"), JSON.stringify({ version: 1, profiles: { "openrouter:default": { type: "api_key", provider: "openrouter", key: STALE } } }));
    writeFileSync(join(stateDir, "agents", "main", "agent", "auth-state.json"), JSON.stringify({ version: 1, usageStats: {} }));
    env = { PATH: process.env.PATH, HOME: home, OPENCLAW_STATE_DIR: stateDir };
  });
  afterAll(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("says the runtime's stored profile is rejected and the env key works, in one line, without printing a key", async () => {
    expect(existsSync(MAIN)).toBe(true); // npm test builds first
    const r = await run(["probe", "--agent", "main", "--state-dir", stateDir, "--no-gateway"], env);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/main → openrouter: the runtime's credential, .*openrouter:default.*\(sk-or-v1-…04f4\), is rejected \(HTTP 401 User not found\.\); .*OPENROUTER_API_KEY.*\(sk-or-v1-…a81c\) works, but the runtime uses the stored profile\./);
    expect(r.code).toBe(2);
    for (const key of [STALE, GOOD]) expect(out).not.toContain(key);
    // A built-in provider on a loopback base URL gets no synthetic local auth (real CLI 5.28–9.6):
    // only the two real keys are probed, never a keyless request for a credential that does not exist.
    expect(fake.requests.filter((q) => q.path === "/api/v1/key").map((q) => q.auth === null).sort()).toEqual([false, false]);
    expect(fake.counters.completions).toBe(0);
  });

  it("prints findings and rows as JSON with fingerprints only, and reports the gateway down", async () => {
    const r = await run(["probe", "--json", "--state-dir", stateDir], env);
    for (const key of [STALE, GOOD]) expect(r.stdout).not.toContain(key);
    const body = JSON.parse(r.stdout) as { findings: { kind: string }[]; matrix: { rows: { credentialRole: string; result: { status: string } }[] } };
    expect(body.findings.map((f) => f.kind).sort()).toEqual(["auth.rejected", "auth.shadowed", "gateway.down"]);
    // The fake listens on loopback, but openrouter is built in: no synthetic keyless candidate.
    expect(body.matrix.rows.map((x) => `${x.credentialRole}:${x.result.status}`)).toEqual(["runtime:auth", "other:ok"]);
  });

  it("names a missing agent and the config file instead of crashing", async () => {
    const r = await run(["probe", "--agent", "nobody", "--state-dir", stateDir], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no agent "nobody"');
    expect(r.stderr).not.toContain("    at ");
  });

  it("makes `clawpatrol check` include probe findings, and `check --offline` skip the network", async () => {
    const before = fake.counters.requests;
    const online = await run(["check", "--json", "--state-dir", stateDir], env);
    const kinds = (JSON.parse(online.stdout) as { findings: { kind: string; severity: string }[] }).findings.map((f) => `${f.kind}:${f.severity}`);
    expect(kinds).toContain("auth.rejected:critical");
    expect(kinds).toContain("gateway.down:critical");
    expect(fake.counters.requests).toBeGreaterThan(before);
    const mid = fake.counters.requests;
    const offline = await run(["check", "--json", "--offline", "--state-dir", stateDir], env);
    const offKinds = (JSON.parse(offline.stdout) as { findings: { kind: string }[] }).findings.map((f) => f.kind);
    expect(offKinds).not.toContain("auth.rejected");
    expect(offKinds).not.toContain("gateway.down");
    expect(fake.counters.requests).toBe(mid);
    for (const key of [STALE, GOOD]) expect(online.stdout + online.stderr + offline.stdout).not.toContain(key);
  });

  it("feeds the same findings to `check` through probeFindingSource, and none offline", async () => {
    const inst = await readInstallation({ stateDir, env, home });
    const findings = await probeFindingSource(inst, { gateway: false });
    expect(findings.map((f) => f.kind).sort()).toEqual(["auth.rejected", "auth.shadowed"]);
    expect(await probeFindingSource(inst, { offline: true })).toEqual([]);
    expect(JSON.stringify(findings)).not.toContain(STALE);
  });

  it("is UNKNOWN (exit 3), never OK, when the only runtime route's probe was inconclusive", async () => {
    const other = join(home, "flaky");
    mkdirSync(join(other, "agents", "main", "agent"), { recursive: true });
    writeFileSync(
      join(other, "openclaw.json"),
      JSON.stringify({
        models: { providers: { openrouter: { baseUrl: `${fake.url}/api/v1`, models: [] } } },
        agents: { defaults: { model: { primary: "openrouter/openrouter/auto" } }, list: [{ id: "main", default: true }] },
      }),
    );
    writeFileSync(join(other, ".env"), `OPENROUTER_API_KEY=${FLAKY}\n`);
    const r = await run(["probe", "--no-gateway", "--state-dir", other], env);
    expect(r.stdout).toMatch(/main\s+openrouter\s+runtime\s+.*\?\? server 500/);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(FLAKY);
  });
});
