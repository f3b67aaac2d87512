// The verifier's comparison can fail: it flags a wrong route, a missing provider and a different key.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import type { Installation } from "../../src/openclaw/types.js";
import { compareAgent, openclawMask, type ModelsStatus } from "../../scripts/verify/compare.js";

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
    expect(verdicts(agreeing)).toEqual({ primary: "agree", fallbacks: "agree", origin: "agree", missing: "agree", "winner-kind": "agree", "winner-key": "agree" });
  });
  it("flags each field that differs", () => {
    expect(verdicts({ ...agreeing, defaultModel: "openai/gpt-5.4", fallbacks: [], modelConfig: { defaultSource: "agent" } })).toMatchObject({ primary: "disagree", fallbacks: "disagree", origin: "disagree" });
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, missingProvidersInUse: [] } }).missing).toBe("disagree");
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, providers: [{ provider: "openrouter", effective: { kind: "profiles", detail: "~/.openclaw/state/openclaw.sqlite" } }] } })["winner-kind"]).toBe("disagree");
    expect(verdicts({ ...agreeing, auth: { ...agreeing.auth, providers: [{ provider: "openrouter", effective: { kind: "env", detail: "sk-or-v1...99999999" } }] } })["winner-key"]).toBe("disagree");
  });
  it("says not-reported when the version lists no effective source", () => {
    expect(verdicts({ ...agreeing, auth: { missingProvidersInUse: ["openai"], providers: [] } })["winner-kind"]).toBe("not-reported");
  });
});
