// Checks over real fixture snapshots at a fixed time: expiry, cooldowns, missing auth; plus how
// the adapter finds an installation and which env source wins.
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { activeCooldowns, expiringAuth, missingAuth } from "../../src/checks/auth.js";
import { readInstallation, locateInstallation } from "../../src/openclaw/installation.js";
import type { Exec } from "../../src/util/exec.js";
import { fixtureHome, fixtureState, T0 } from "./adapter-fixtures.js";

const read = (name: string, now = T0) => readInstallation({ stateDir: fixtureState(name), home: fixtureHome(name), env: {}, now });

describe("auth and cooldown checks on fixtures", () => {
  test("the seed's Codex OAuth profile expiring in under 3 days is reported, with its refresh token noted", async () => {
    const inst = await read("seed-000");
    // main's route does not use openai-codex (the override shadows the default), yet the stored
    // OAuth profile the user is about to switch to is still watched.
    expect(inst.agents[0]!.credentials.map((c) => c.provider)).toEqual(["openrouter"]);
    const f = expiringAuth(inst, T0);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: "auth.expiring", severity: "info", subject: { provider: "openai-codex", profile: "openai-codex:steve@example.com" } });
    expect(f[0]!.summary).toMatch(/oauth credential openai-codex:steve@example.com expires at 2026-11-24T06:00:00.000Z \(in 71 h\); it has a refresh token/);
    expect(expiringAuth(inst, T0 - 24 * 3600_000)).toEqual([]);
  });

  test("an expiring OAuth credential on the route: info with a refresh token, critical once expired without one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-exp-"));
    const st = join(dir, ".openclaw");
    mkdirSync(join(st, "agents", "main", "agent"), { recursive: true });
    writeFileSync(join(st, "openclaw.json"), JSON.stringify({ meta: { lastTouchedVersion: "2026.4.14" }, agents: { defaults: { model: "openai-codex/gpt-5.4" } } }));
    const profile = (refresh: boolean, expires: number) =>
      writeFileSync(join(st, "agents", "main", "agent", "auth-profiles.json"), JSON.stringify({ version: 1, profiles: { "openai-codex:me": { type: "oauth", provider: "openai-codex", access: "eyJ" + "a".repeat(60), ...(refresh ? { refresh: "rt_" + "b".repeat(40) } : {}), expires } } }));
    profile(true, T0 + 3 * 24 * 3600_000 - 60_000);
    let f = expiringAuth(await readInstallation({ stateDir: st, home: dir, env: {}, now: T0 }), T0);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: "auth.expiring", severity: "info", subject: { provider: "openai-codex", profile: "openai-codex:me" } });
    expect(f[0]!.summary).toMatch(/expires at .* \(in 72 h\); it has a refresh token/);
    // Expired with a refresh token: OpenClaw renews it on the next call, routine (info).
    profile(true, T0 - 1000);
    f = expiringAuth(await readInstallation({ stateDir: st, home: dir, env: {}, now: T0 }), T0);
    expect(f[0]).toMatchObject({ severity: "info" });
    expect(f[0]!.summary).toMatch(/expired at .*; it has a refresh token/);
    profile(false, T0 - 1000);
    f = expiringAuth(await readInstallation({ stateDir: st, home: dir, env: {}, now: T0 }), T0);
    expect(f[0]).toMatchObject({ severity: "critical" });
    expect(f[0]!.detail).toContain("openclaw models auth --agent main login --provider openai-codex");
    rmSync(dir, { recursive: true, force: true });
  });

  test("era A inline cooldown is active at T0 with until-time and reason; expired an hour later; a rate limit is info, not a page", async () => {
    const inst = await read("legacy-2026.3-era-a");
    const f = activeCooldowns(inst, T0);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: "cooldown.active", severity: "info", subject: { provider: "anthropic", profile: "anthropic:default" } });
    expect(f[0]!.summary).toContain("until 2026-11-21T07:04:00.000Z");
    expect(f[0]!.summary).toContain("reason rate_limit");
    expect(activeCooldowns(inst, T0 + 3600_000)).toEqual([]);
  });

  test("a billing disable (era C) is critical", async () => {
    const f = activeCooldowns(await read("legacy-2026.6-era-c"), T0);
    expect(f[0]).toMatchObject({ severity: "critical" });
    expect(f[0]!.summary).toMatch(/is disabled until .* reason billing/);
  });

  test("a real 2026.5.28 auth cooldown (written by the CLI after a 401) is read back", async () => {
    const inst = await read("2026.5.28", 0);
    const u = inst.usage.find((x) => x.profileId === "mockprof:default")!;
    const f = activeCooldowns(inst, u.cooldownUntil! - 1000);
    expect(f[0]).toMatchObject({ kind: "cooldown.active", severity: "warning", subject: { agent: "prof", provider: "mockprof", profile: "mockprof:default" } });
    expect(f[0]!.summary).toContain("reason auth");
  });

  test("an OpenRouter cooldown entry is only info: OpenRouter never cools", async () => {
    const inst = await read("seed-000");
    inst.usage.push({ profileId: "openrouter:default", provider: "openrouter", cooldownUntil: T0 + 60_000, cooldownReason: "auth", source: "test" });
    const f = activeCooldowns(inst, T0);
    expect(f[0]).toMatchObject({ severity: "info" });
    expect(f[0]!.summary).toContain("openrouter never cools");
  });

  test("auth.missing: critical for the primary's provider, warning for a fallback's", async () => {
    const f = missingAuth(await read("2026.5.28"), T0);
    const main = f.find((x) => x.subject.agent === "main" && x.subject.provider === "openai")!;
    expect(main.severity).toBe("warning");
    expect(main.detail).toContain("openclaw models auth --agent main paste-api-key --provider openai");
  });
});

describe("finding the installation", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "cp-loc-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test("--state-dir > --profile > OPENCLAW_STATE_DIR > ~/.openclaw > ~/.clawdbot > ~/.moltbot (noted)", () => {
    mkdirSync(join(home, ".moltbot"));
    let l = locateInstallation({ home, env: {} });
    expect([l.stateDir, l.chosenBy]).toEqual([join(home, ".moltbot"), "legacy ~/.moltbot"]);
    expect(l.notes.join(" ")).toMatch(/not a state dir OpenClaw itself reads/);
    mkdirSync(join(home, ".clawdbot"));
    l = locateInstallation({ home, env: {} });
    expect(l.chosenBy).toBe("legacy ~/.clawdbot");
    mkdirSync(join(home, ".openclaw"));
    expect(locateInstallation({ home, env: {} }).chosenBy).toBe("~/.openclaw");
    expect(locateInstallation({ home, env: { OPENCLAW_STATE_DIR: "~/custom" } }).stateDir).toBe(join(home, "custom"));
    expect(locateInstallation({ home, env: { OPENCLAW_STATE_DIR: "/x" }, profile: "work" }).stateDir).toBe(join(home, ".openclaw-work"));
    expect(locateInstallation({ home, env: {}, stateDir: "/y", profile: "work" }).stateDir).toBe("/y");
    const c = locateInstallation({ home, env: { OPENCLAW_CONFIG_PATH: "/etc/oc.json" } });
    expect([c.stateDir, c.configPath]).toEqual([join(home, ".openclaw"), "/etc/oc.json"]);
  });

  test("the CLI's `openclaw --version` wins over files when available", async () => {
    const calls: string[][] = [];
    const exec: Exec = async (file, args) => {
      calls.push([file, ...args]);
      return { code: 0, stdout: "OpenClaw 2026.9.6 (eb377ac)\n", stderr: "" };
    };
    const inst = await readInstallation({ stateDir: fixtureState("seed-000"), home: fixtureHome("seed-000"), env: {}, now: T0, exec, openclawBin: "/opt/oc/openclaw" });
    expect(calls).toEqual([["/opt/oc/openclaw", "--version"]]);
    expect(inst.version).toMatchObject({ version: "2026.9.6", source: "cli" });
    expect(inst.version.evidence[0]).toBe("openclaw --version: 2026.9.6");
    // Storage still decides the era; the mismatch is recorded as evidence.
    expect(inst.version.era).toBe("B");
    expect(inst.version.evidence.join("\n")).toMatch(/files say era B but version 2026\.9\.6 suggests era E/);
  });

  test("an npm-installed openclaw's version is read from its package.json, without starting it", async () => {
    // npm's layout: <prefix>/bin/openclaw → ../lib/node_modules/openclaw/openclaw.mjs
    const prefix = mkdtempSync(join(tmpdir(), "cp-npm-"));
    const pkg = join(prefix, "lib", "node_modules", "openclaw");
    mkdirSync(pkg, { recursive: true });
    mkdirSync(join(prefix, "bin"));
    writeFileSync(join(pkg, "openclaw.mjs"), "#!/usr/bin/env node\n");
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "openclaw", version: "2026.7.35" }));
    symlinkSync("../lib/node_modules/openclaw/openclaw.mjs", join(prefix, "bin", "openclaw"));
    const calls: string[][] = [];
    const exec: Exec = async (file, args) => {
      calls.push([file, ...args]);
      return { code: 0, stdout: "OpenClaw 2026.9.6 (eb377ac)\n", stderr: "" };
    };
    try {
      const env = { PATH: `${join(prefix, "nothing-here")}:${join(prefix, "bin")}:/usr/bin` };
      const inst = await readInstallation({ stateDir: fixtureState("seed-000"), home: fixtureHome("seed-000"), env, now: T0, exec });
      expect(calls).toEqual([]);
      expect(inst.version).toMatchObject({ version: "2026.7.35", source: "cli" });
      expect(inst.version.evidence[0]).toBe("openclaw package.json: 2026.7.35");
      // A wrapper script (no openclaw package.json beside it) is asked with --version.
      const wrapper = join(prefix, "wrapper");
      writeFileSync(wrapper, "#!/bin/sh\nexec openclaw \"$@\"\n", { mode: 0o755 });
      const viaWrapper = await readInstallation({ stateDir: fixtureState("seed-000"), home: fixtureHome("seed-000"), env, now: T0, exec, openclawBin: wrapper });
      expect(calls).toEqual([[wrapper, "--version"]]);
      expect(viaWrapper.version.version).toBe("2026.9.6");
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });

  test("env precedence: systemd unit env > ~/.openclaw/.env > gateway.env > config env block", async () => {
    const st = join(home, ".openclaw");
    mkdirSync(join(home, ".config", "systemd", "user"), { recursive: true });
    mkdirSync(join(home, ".config", "openclaw"), { recursive: true });
    mkdirSync(st, { recursive: true });
    const k = (n: string) => `sk-or-v1-${n.repeat(64)}`;
    writeFileSync(join(home, ".config", "systemd", "user", "openclaw-gateway.service"), `[Service]\nEnvironment=OPENROUTER_API_KEY=${k("1")}\nEnvironmentFile=-%h/.openclaw/service.env\n`);
    writeFileSync(join(st, "service.env"), `GROQ_API_KEY=gsk_${"2".repeat(40)}\n`);
    writeFileSync(join(st, ".env"), `OPENROUTER_API_KEY=${k("3")}\nGROQ_API_KEY=gsk_${"4".repeat(40)}\nMISTRAL_API_KEY=m${"5".repeat(30)}\n`);
    writeFileSync(join(home, ".config", "openclaw", "gateway.env"), `MISTRAL_API_KEY=m${"6".repeat(30)}\nXAI_API_KEY=xai-${"7".repeat(40)}\n`);
    writeFileSync(join(st, "openclaw.json"), JSON.stringify({ env: { vars: { XAI_API_KEY: "xai-" + "8".repeat(40), DEEPSEEK_API_KEY: "sk-" + "9".repeat(40) } } }));
    const inst = await readInstallation({ stateDir: st, home, env: {}, now: T0 });
    const src = (n: string) => {
      const e = inst.env.effective.get(n)!;
      return e.origin.line ? `${e.origin.file.replace(home, "~")}:${e.origin.line}` : `${e.origin.file.replace(home, "~")}#${e.origin.path}`;
    };
    expect(src("OPENROUTER_API_KEY")).toBe("~/.config/systemd/user/openclaw-gateway.service:2");
    expect(src("GROQ_API_KEY")).toBe("~/.openclaw/service.env:1");
    expect(src("MISTRAL_API_KEY")).toBe("~/.openclaw/.env:3");
    expect(src("XAI_API_KEY")).toBe("~/.config/openclaw/gateway.env:2");
    expect(src("DEEPSEEK_API_KEY")).toBe("~/.openclaw/openclaw.json#env.vars.DEEPSEEK_API_KEY");
    expect(JSON.stringify([...inst.env.effective.values()])).not.toContain("9".repeat(40));
  });
});

describe("credentialsFor: a provider not on the route yet (fallback candidates)", () => {
  test("resolves with the agent's own stores and env", async () => {
    const { credentialsFor } = await import("../../src/openclaw/installation.js");
    const inst = await read("seed-000");
    const codex = credentialsFor(inst, "main", "openai-codex");
    expect(codex.winner).toMatchObject({ type: "oauth", source: { kind: "profile", profileId: "openai-codex:steve@example.com" } });
    expect(credentialsFor(inst, "main", "openrouter")).toBe(inst.agents[0]!.credentials[0]);
    expect(credentialsFor(inst, "ghost", "openrouter").winner).toBeNull();
  });
});

describe("version-dependent shape checks, service env and gateway info", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "cp-shape-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test("agents.list and flat env keys in an era-E (2026.9) config are config.invalid with the doctor fix", async () => {
    const st = join(home, ".openclaw");
    mkdirSync(join(st, "state"), { recursive: true });
    const { DatabaseSync } = await import("node:sqlite");
    const db = new DatabaseSync(join(st, "state", "openclaw.sqlite"));
    db.exec("CREATE TABLE config_machine_state (state_key TEXT PRIMARY KEY, value_json TEXT, updated_at_ms INTEGER)");
    db.exec(`INSERT INTO config_machine_state VALUES ('auth.sharedStore', '{"location":"state-db"}', 1)`);
    db.close();
    writeFileSync(join(st, "openclaw.json"), JSON.stringify({ meta: { lastTouchedVersion: "2026.9.6" }, env: { OPENROUTER_API_KEY: "${OR}" }, agents: { list: [{ id: "main" }] } }));
    const inst = await readInstallation({ stateDir: st, home, env: {}, now: T0 });
    expect(inst.version.era).toBe("E");
    expect(inst.configValid).toBe(false);
    const msgs = inst.issues.filter((i) => i.kind === "config.invalid");
    expect(msgs.map((i) => i.path)).toEqual(["agents.list", "env.OPENROUTER_API_KEY"]);
    expect(msgs[0]!.fix).toBe("openclaw doctor --fix (migrates agents.list to agents.entries)");
  });

  test("service-env/*.env is part of the gateway's env, ahead of ~/.openclaw/.env", async () => {
    const st = join(home, ".openclaw");
    mkdirSync(join(st, "service-env"), { recursive: true });
    writeFileSync(join(st, "service-env", "ai.openclaw.gateway.env"), `BAIDU_API_KEY=old${"1".repeat(30)}\n`);
    writeFileSync(join(st, ".env"), `BAIDU_API_KEY=new${"2".repeat(30)}\n`);
    writeFileSync(join(st, "openclaw.json"), JSON.stringify({ agents: { defaults: { model: "baidu/ernie" } } }));
    const inst = await readInstallation({ stateDir: st, home, env: {}, now: T0 });
    const pc = inst.agents[0]!.credentials[0]!;
    expect(pc.winner?.source.label).toBe("BAIDU_API_KEY from ~/.openclaw/service-env/ai.openclaw.gateway.env line 1");
    expect(pc.others[0]?.source.label).toMatch(/^BAIDU_API_KEY from ~\/\.openclaw\/\.env line 1 \(not used/);
    const { shadowedAuth } = await import("../../src/checks/auth.js");
    expect(shadowedAuth(inst, T0)[0]!.detail).toContain("fix BAIDU_API_KEY in");
  });

  test("gateway info: port, url, token fingerprint and OpenClaw's dated default log file", async () => {
    const inst = await read("seed-000");
    const d = new Date(T0);
    const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    expect(inst.gateway).toMatchObject({ port: 18789, bind: "loopback", url: "http://127.0.0.1:18789", authMode: "token", reloadMode: "hybrid", logFile: `/tmp/openclaw/openclaw-${date}.log` });
    expect(inst.gateway.token?.fingerprint).toMatch(/ #[0-9a-f]{8}$/);
  });
});
