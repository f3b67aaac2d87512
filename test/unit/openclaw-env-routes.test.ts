import { describe, expect, test } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isSecretEnvName, parseDotenv, parseSystemdUnit, parseUnitFile, readEnvView } from "../../src/openclaw/env-files.js";
import { envLeaves, unitLeaves } from "../../src/drift/snapshot.js";
import { effectiveRoute, parseModelRef, providerOfRef } from "../../src/openclaw/routes.js";
import { eraForVersion, strictAgentModels } from "../../src/openclaw/version.js";
import type { RosterEntry } from "../../src/openclaw/agents.js";

describe("dotenv and systemd unit parsing", () => {
  test("dotenv: quotes, export, comments, line numbers", () => {
    const lines = parseDotenv(`# c\nexport A=1\nB="two words" # x\nC='x#y'\nD=plain # comment\n\nE=`);
    expect(lines.map((l) => [l.name, l.value, l.line])).toEqual([
      ["A", "1", 2],
      ["B", "two words", 3],
      ["C", "x#y", 4],
      ["D", "plain", 5],
      ["E", "", 7],
    ]);
  });
  test("systemd: Environment= with several assignments and EnvironmentFile= with %h and -", () => {
    const u = parseSystemdUnit(`[Service]\nEnvironment=A=1 "B=two words"\nEnvironmentFile=-%h/.config/openclaw/gateway.env\nEnvironmentFile=/etc/x.env\n`, "/home/u");
    expect(u.environment.map((e) => [e.name, e.value, e.line])).toEqual([
      ["A", "1", 2],
      ["B", "two words", 2],
    ]);
    expect(u.environmentFiles).toEqual([
      { path: "/home/u/.config/openclaw/gateway.env", optional: true, line: 3 },
      { path: "/etc/x.env", optional: false, line: 4 },
    ]);
  });
});

describe("which environment variables hold secrets (one rule for env files, units, drift)", () => {
  test.each([
    "OPENROUTER_API_KEY", "OPENAI_API_KEY_2", "OPENCLAW_GATEWAY_TOKEN", "GITHUB_PAT", "SMTP_PASS", "DB_PASSPHRASE",
    "AUTH_COOKIE", "SLACK_SIGNING_SECRET", "CLIENT_SECRETS_FILE", "MY_APIKEY", "AWS_CREDENTIALS", "token", "ANTHROPIC_KEYS",
  ])("%s is a secret", (name) => expect(isSecretEnvName(name)).toBe(true));
  test.each(["OPENCLAW_GATEWAY_PORT", "OPENCLAW_LOG_LEVEL", "HOME", "PATH", "BYPASS_PROXY", "MONKEY_MODE", "PATHOLOGY", "OPENROUTER_BASE_URL"])(
    "%s is not a secret", (name) => expect(isSecretEnvName(name)).toBe(false),
  );

  test("the env view and the drift snapshot fingerprint the same names", () => {
    const home = mkdtempSync(join(tmpdir(), "cp-envname-"));
    try {
      const stateDir = join(home, ".openclaw");
      mkdirSync(stateDir);
      const text = "GITHUB_PAT=ghp_fake_0123456789abcdef\nSMTP_PASS=fake-hunter2-pass\nOPENCLAW_LOG_LEVEL=debug\n";
      writeFileSync(join(stateDir, ".env"), text);
      const { view } = readEnvView({ stateDir, home, config: null, configPath: join(stateDir, "openclaw.json") });
      const shown = (name: string) => String(view.effective.get(name)?.value);
      expect(shown("GITHUB_PAT")).not.toContain("0123456789abcdef");
      expect(shown("SMTP_PASS")).not.toContain("hunter2");
      expect(shown("OPENCLAW_LOG_LEVEL")).toBe("debug");
      const leaves = envLeaves(text);
      expect(leaves.GITHUB_PAT).toMatch(/^secret:/);
      expect(leaves.SMTP_PASS).toMatch(/^secret:/);
      expect(leaves.OPENCLAW_LOG_LEVEL).toBe('"debug"');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("one systemd unit parser for the env view and drift", () => {
  const unit = "[Unit]\nDescription=OpenClaw gateway\n; comment\n[Service]\nEnvironment=A=1 \\\n  \"GITHUB_PAT=ghp_fake_0123456789abcdef\"\nExecStart=/usr/bin/openclaw gateway\nExecStart=/usr/bin/openclaw gateway --port 1\n";
  test("settings keep their section and the line they start on; continuations join", () => {
    expect(parseUnitFile(unit)).toEqual([
      { section: "Unit", key: "Description", value: "OpenClaw gateway", line: 2 },
      { section: "Service", key: "Environment", value: 'A=1    "GITHUB_PAT=ghp_fake_0123456789abcdef"', line: 5 },
      { section: "Service", key: "ExecStart", value: "/usr/bin/openclaw gateway", line: 7 },
      { section: "Service", key: "ExecStart", value: "/usr/bin/openclaw gateway --port 1", line: 8 },
    ]);
    expect(parseSystemdUnit(unit, "/home/u").environment.map((e) => [e.name, e.line])).toEqual([["A", 5], ["GITHUB_PAT", 5]]);
  });
  test("drift leaves: one per setting, Environment= per variable, secret names fingerprinted", () => {
    const leaves = unitLeaves(unit);
    expect(leaves["Service.Environment.A"]).toBe('"1"');
    expect(leaves["Service.Environment.GITHUB_PAT"]).toMatch(/^secret:/);
    expect(JSON.stringify(leaves)).not.toContain("0123456789abcdef");
    expect(leaves["Service.ExecStart[1]"]).toBe('"/usr/bin/openclaw gateway --port 1"');
  });
});

describe("model refs and effective routes", () => {
  const origin = (path: string) => ({ file: "/c/openclaw.json", path });
  const ctx = { aliases: new Map([["openrouter", "openrouter/auto"]]), originOf: origin };
  const config = { agents: { defaults: { model: { primary: "openai-codex/gpt-5.4", fallbacks: ["openrouter/auto"] } } } };
  const agent = (model: unknown): RosterEntry => ({ id: "main", isDefault: true, agentDir: "/a", configPath: "agents.list[0]", model, modelShape: typeof model === "string" ? "string" : model ? "object" : "absent" });

  test("refs split on the first slash; aliases resolve", () => {
    expect(parseModelRef("openrouter/moonshotai/kimi-k2.5")).toEqual({ provider: "openrouter", model: "moonshotai/kimi-k2.5", ref: "openrouter/moonshotai/kimi-k2.5" });
    expect(parseModelRef("OpenRouter", ctx.aliases)?.model).toBe("auto");
    expect(parseModelRef("nonsense")).toBeNull();
    expect(providerOfRef("OpenRouter/moonshotai/kimi-k2.5")).toBe("openrouter");
    expect(providerOfRef("Anthropic")).toBe("anthropic");
  });

  test("2026.4.14: a per-agent string overrides the primary and keeps the global fallbacks", () => {
    const r = effectiveRoute(agent("openrouter/moonshotai/kimi-k2.5"), config, strictAgentModels("2026.4.14", "list"), ctx);
    expect(r.primary?.ref.ref).toBe("openrouter/moonshotai/kimi-k2.5");
    expect(r.primary?.from).toBe("agent");
    expect(r.primary?.origin.path).toBe("agents.list[0].model");
    expect(r.fallbacks.map((f) => [f.ref.ref, f.from])).toEqual([["openrouter/auto", "defaults"]]);
    expect(r.strict).toBe(false);
  });

  test("2026.5.28 and 2026.9.6: a per-agent string is strict (no fallbacks)", () => {
    for (const v of ["2026.5.28", "2026.9.6"]) {
      const r = effectiveRoute(agent("openrouter/auto"), config, strictAgentModels(v, "entries"), ctx);
      expect(r.fallbacks).toEqual([]);
      expect(r.strict).toBe(true);
    }
  });

  test("9.x: {fallbacks} alone inherits the shared primary; {primary, fallbacks} brings its own", () => {
    const a = effectiveRoute(agent({ fallbacks: ["xai/grok-4"] }), config, true, ctx);
    expect(a.primary?.from).toBe("defaults");
    expect(a.fallbacks.map((f) => [f.ref.ref, f.from, f.origin.path])).toEqual([["xai/grok-4", "agent", "agents.list[0].model.fallbacks[0]"]]);
    const b = effectiveRoute(agent({ primary: "a/b", fallbacks: ["c/d"] }), config, true, ctx);
    expect([b.primary?.ref.ref, b.fallbacks.map((f) => f.ref.ref)]).toEqual(["a/b", ["c/d"]]);
    const c = effectiveRoute(agent({ primary: "a/b" }), config, true, ctx);
    expect(c.strict).toBe(true);
  });

  test("no agent model: defaults with their origins", () => {
    const r = effectiveRoute(agent(undefined), config, true, ctx);
    expect(r.primary?.origin.path).toBe("agents.defaults.model.primary");
    expect(r.fallbacks[0]?.origin.path).toBe("agents.defaults.model.fallbacks[0]");
  });

  test("eras by version, the tie-break when no files decide (6.1 B, 7.35 C, 8.2 E as their real CLIs write them)", () => {
    expect(["2026.3.28", "2026.4.14", "2026.5.28", "2026.6.1", "2026.6.9", "2026.7.35", "2026.8.2", "2026.9.6", "junk"].map(eraForVersion)).toEqual(["A", "B", "B", "B", "C", "C", "E", "E", "unknown"]);
  });
});
