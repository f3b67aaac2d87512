// A switch is verified whole. The documents below are what the real OpenClaw 2026.9.6 CLI wrote
// (observed 2026-11-30 on a scratch install: `config set agents.entries.courier.model '"acme/mock-ok"'
// --strict-json --expect-current-json '"openrouter/auto"'`, then the restore, then `config unset
// agents.defaults.model.primary`, which left `agents.defaults.model: {}` behind).
import { describe, it, expect } from "@jest/globals";
import { causedByCollateral, describeChange, diffWhole, revertPlan } from "../../src/remedy/collateral.js";
import { ABSENT, type JsonValue } from "../../src/remedy/types.js";

const BEFORE: JsonValue = {
  agents: { ownership: "explicit", entries: { courier: { name: "courier", model: "openrouter/auto" }, scout: { name: "scout", model: "acme/mock-ok" } } },
};
const AFTER_SET: JsonValue = {
  agents: {
    ownership: "explicit",
    entries: { courier: { name: "courier", model: "acme/mock-ok" }, scout: { name: "scout", model: "acme/mock-ok" } },
    defaults: { model: { primary: "acme/mock-ok" } },
  },
  meta: { migrations: { modelPolicyAllowlist: true, utilityModelSeparation: true }, lastTouchedVersion: "2026.9.6" },
};
const AFTER_RESTORE: JsonValue = {
  agents: {
    ownership: "explicit",
    defaults: { model: { primary: "acme/mock-ok" } },
    entries: { courier: { name: "courier", model: "openrouter/auto" }, scout: { name: "scout", model: "acme/mock-ok" } },
  },
  meta: { migrations: { modelPolicyAllowlist: true, utilityModelSeparation: true }, lastTouchedVersion: "2026.9.6" },
};

describe("a model switch verified against the whole config (OpenClaw 2026.9.6)", () => {
  const diff = diffWhole(BEFORE, AFTER_SET, "agents.entries.courier.model");

  it("finds the target change and sees that OpenClaw also set agents.defaults.model.primary", () => {
    expect(diff.target.map((c) => c.path)).toEqual(["agents.entries.courier.model"]);
    expect(diff.collateral).toEqual([{ path: "agents.defaults.model.primary", before: ABSENT, after: "acme/mock-ok", restorable: true, createdUnder: "agents.defaults" }]);
    expect(describeChange(diff.collateral[0]!)).toBe('agents.defaults.model.primary (added "acme/mock-ok")');
  });

  it("keeps OpenClaw's migration bookkeeping apart (recorded, not alerted, not undone)", () => {
    expect(diff.bookkeeping.map((c) => c.path)).toEqual(["meta.lastTouchedVersion", "meta.migrations.modelPolicyAllowlist", "meta.migrations.utilityModelSeparation"]);
  });

  it("puts the added default back by unsetting the whole agents.defaults it created (not leaving model: {})", () => {
    expect(revertPlan(diff.collateral, AFTER_RESTORE)).toEqual([{ path: "agents.defaults", value: ABSENT, undoes: ["agents.defaults.model.primary"] }]);
  });

  it("leaves a collateral value alone once someone else changed it", () => {
    const edited = JSON.parse(JSON.stringify(AFTER_RESTORE)) as { agents: { defaults: { model: { primary: string } } } };
    edited.agents.defaults.model.primary = "openai/gpt-5.4";
    expect(revertPlan(diff.collateral, edited as unknown as JsonValue)).toEqual([]);
  });

  it("unsets only the leaf when the created ancestor now holds something else too", () => {
    const more = JSON.parse(JSON.stringify(AFTER_RESTORE)) as { agents: { defaults: Record<string, unknown> } };
    more.agents.defaults.thinking = "low";
    expect(revertPlan(diff.collateral, more as unknown as JsonValue)).toEqual([{ path: "agents.defaults.model.primary", value: ABSENT, undoes: ["agents.defaults.model.primary"] }]);
  });

  it("never records or writes back a secret OpenClaw touched", () => {
    const d = diffWhole({ models: { providers: { x: { apiKey: "a" } } } }, { models: { providers: { x: { apiKey: "sk-or-v1-fake-0123456789abcdef0123456789abcdef" } } } }, "agents.entries.courier.model");
    expect(JSON.stringify(d)).not.toContain("sk-or-v1-fake-0123456789abcdef0123456789abcdef");
  });

  it("does not report the shadowed default that clawpatrol's own switch brought about as a lint problem", () => {
    expect(causedByCollateral("config.shadowed-default", ["agents.defaults.model.primary"])).toBe(true);
    expect(causedByCollateral("config.shadowed-default", [])).toBe(false);
    expect(causedByCollateral("secret.plaintext", ["agents.defaults.model.primary"])).toBe(false);
  });
});
