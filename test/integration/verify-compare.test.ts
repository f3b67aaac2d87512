// The verifier's comparison can fail: it flags a wrong route, a missing provider and a different key.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import type { Installation } from "../../src/openclaw/types.js";
import { compareAgent, compareInstall, openclawMask, type ModelsStatus } from "../../src/openclaw/oracle-compare.js";
import { unresolvedRefBlocksModelsStatus } from "../../src/openclaw/version-rules.js";

const KEY = "sk-or-v1-fake-" + "5".repeat(40);
let home: string;
let inst: Installation;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "cp-compare-"));
  const state = join(home, ".openclaw");
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, "openclaw.json"), JSON.stringify({ meta: { lastTouchedVersion: "2026.9.6" }, agents: { defaults: { model: { primary: "openrouter/auto", fallbacks: ["openai/gpt-5.4"] } }, ownership: "explicit", entries: { main: {} } } }));
  writeFileSync(join(state, ".env"), `OPENROUTER_API_KEY=${KEY}\n`);
  inst = await readInstallation({ stateDir: state, home, env: {} });
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const verdicts = (status: ModelsStatus) => Object.fromEntries(compareAgent(inst, inst.agents[0]!, status).map((r) => [r.field, r.verdict]));
const agreeing: ModelsStatus = {
  defaultModel: "openrouter/auto", fallbacks: ["openai/gpt-5.4"], modelConfig: { defaultSource: "defaults" },
  auth: { missingProvidersInUse: ["openai"], providers: [{ provider: "openrouter", effective: { kind: "env", detail: openclawMask(KEY) } }] },
};

describe("compareAgent (scripts/verify)", () => {
  it("agrees with a models status that says what clawpatrol says", () => {
    expect(verdicts(agreeing)).toEqual({ primary: "agree", fallbacks: "agree", origin: "agree", missing: "agree", "winner-kind": "agree", "winner-key": "agree", "winner-profile": "not-reported", unusable: "not-reported" });
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, unusableProfiles: [] } }).unusable).toBe("agree");
  });
  it("flags each field that differs", () => {
    expect(verdicts({ ...agreeing, defaultModel: "openai/gpt-5.4", fallbacks: [], modelConfig: { defaultSource: "agent" } })).toMatchObject({ primary: "disagree", fallbacks: "disagree", origin: "disagree" });
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, missingProvidersInUse: [] } }).missing).toBe("disagree");
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, providers: [{ provider: "openrouter", effective: { kind: "profiles", detail: "~/.openclaw/state/openclaw.sqlite" } }] } })["winner-kind"]).toBe("disagree");
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, providers: [{ provider: "openrouter", effective: { kind: "env", detail: "sk-or-v1...99999999" } }] } })["winner-key"]).toBe("disagree");
  });
  it("flags a profile OpenClaw will skip that clawpatrol sees as usable, and a different winning profile", () => {
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, unusableProfiles: [{ profileId: "openrouter:manual" }] } }).unusable).toBe("disagree");
    const profiles = { ...agreeing.auth, providers: [{ provider: "openrouter", effective: { kind: "profiles", detail: "~/.openclaw/state/openclaw.sqlite" } }], oauth: { providers: [{ provider: "openrouter", effectiveProfiles: [{ profileId: "openrouter:manual" }] }] } };
    expect(verdicts({ ...agreeing, auth: profiles })["winner-profile"]).toBe("disagree");
  });
  it("compares models status refusals and secrets audit install-wide", () => {
    const missingVar = { kind: "config.missing-var", evidence: { file: "~/.openclaw/openclaw.json", path: "models.providers.mock.apiKey" } };
    const plain = { kind: "secret.plaintext", evidence: { file: "~/.openclaw/openclaw.json", path: "models.providers.remote.apiKey" } };
    const audit = { findings: [
      { code: "REF_UNRESOLVED", file: "/h/.openclaw/openclaw.json", jsonPath: "models.providers.mock.apiKey" },
      { code: "PLAINTEXT_FOUND", file: "/h/.openclaw/openclaw.json", jsonPath: "models.providers.remote.apiKey" },
      { code: "PLAINTEXT_FOUND", file: "/h/.openclaw/openclaw.json", jsonPath: "gateway.auth.token" },
    ] };
    const v = (findings: { kind: string; evidence: { file: string; path: string } }[], refused: string | null, version = "2026.9.6") =>
      Object.fromEntries(compareInstall(version, findings, refused, audit, unresolvedRefBlocksModelsStatus).map((r) => [r.field, r.verdict]));
    expect(v([missingVar, plain], "models status: failed to resolve secrets")).toEqual({ "status-refused": "agree", "unresolved-refs": "agree", plaintext: "agree" });
    expect(v([missingVar, plain], null)["status-refused"]).toBe("disagree");
    expect(v([missingVar, plain], null, "2026.7.35")["status-refused"]).toBe("agree");
    expect(v([plain], "models status: failed to resolve secrets")).toMatchObject({ "status-refused": "disagree", "unresolved-refs": "disagree" });
    expect(v([missingVar], "x").plaintext).toBe("disagree");
  });
  it("says not-reported when the version lists no effective source", () => {
    expect(verdicts({ ...agreeing, auth: { missingProvidersInUse: ["openai"], providers: [] } })["winner-kind"]).toBe("not-reported");
  });
});
