// A credential that is present but cooling down: OpenClaw 8.2+ counts its provider as missing until
// the window ends (version-rules.ts cooldownMakesProviderUnusable). The windows here were written
// by real `agent --local` turns answered 401 (test/fixtures/<version>, make-fixtures.ts): a stored
// profile's (`mockprof:default`) and, on 8.2 and 9.6, the config key's (`inline-api-key:mock`).
import { describe, expect, it } from "@jest/globals";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import { winnerUnusable } from "../../src/openclaw/availability.js";
import type { Installation } from "../../src/openclaw/types.js";
import { explainJson, renderExplain } from "../../src/cli/explain.js";
import { readFileSync } from "node:fs";

const read = (v: string, now?: number) => {
  const home = join("test", "fixtures", v, "home");
  return readInstallation({ stateDir: join(home, ".openclaw"), home, env: {}, ...(now !== undefined ? { now } : {}) });
};
const usage = (inst: Installation, id: string) => inst.usage.find((u) => u.profileId === id)!;
const verdicts = (inst: Installation, now: number) => {
  const prof = inst.agents.find((a) => a.id === "prof")!;
  return Object.fromEntries(prof.credentials.map((pc) => [pc.provider, winnerUnusable(inst, prof, pc, now)?.usageId ?? null]));
};

describe("a cooling credential makes its provider unusable (OpenClaw 8.2+)", () => {
  for (const v of ["2026.9.6", "2026.8.2"]) {
    it(`${v}: the stored profile and the config key, each while its own window lasts`, async () => {
      const inst = await read(v);
      const inline = usage(inst, "inline-api-key:mock");
      const profile = usage(inst, "mockprof:default");
      expect(inline.cooldownReason).toBe("auth");
      expect(verdicts(inst, inline.lastFailureAt! + 1000)).toEqual({ mockprof: "mockprof:default", mock: "inline-api-key:mock" });
      // The profile's window ended first here; then only the config key is out.
      const between = Math.max(profile.cooldownUntil!, inline.lastFailureAt!);
      if (between < inline.cooldownUntil!) expect(verdicts(inst, between)).toEqual({ mockprof: null, mock: "inline-api-key:mock" });
      expect(verdicts(inst, inline.cooldownUntil! + 1)).toEqual({ mockprof: null, mock: null });
    });
  }

  for (const v of ["2026.7.35", "2026.5.28"]) {
    it(`${v}: a cooling key still counts as usable (its models status ignores the window)`, async () => {
      const inst = await read(v);
      const profile = usage(inst, "mockprof:default");
      expect(verdicts(inst, profile.lastFailureAt! + 1000)).toEqual({ mockprof: null, mock: null });
    });
  }

  it("an env key, OpenRouter, and a rate limit scoped to another model never make a provider unusable", async () => {
    const inst = await read("2026.9.6");
    const prof = inst.agents.find((a) => a.id === "prof")!;
    const mock = prof.credentials.find((c) => c.provider === "mock")!;
    const at = usage(inst, "inline-api-key:mock").lastFailureAt! + 1000;
    const asEnv = { ...mock, winner: { ...mock.winner!, source: { ...mock.winner!.source, kind: "env" as const } } };
    expect(winnerUnusable(inst, prof, asEnv, at)).toBeNull();
    const openrouter = { ...mock, provider: "openrouter" };
    expect(winnerUnusable({ ...inst, usage: [{ ...usage(inst, "inline-api-key:mock"), profileId: "inline-api-key:openrouter" }] }, prof, openrouter, at)).toBeNull();
    const mockprof = prof.credentials.find((c) => c.provider === "mockprof")!;
    const scoped = inst.usage.map((u) => (u.profileId === "mockprof:default" ? { ...u, cooldownReason: "rate_limit", cooldownModel: "other-model" } : u));
    expect(winnerUnusable({ ...inst, usage: scoped }, prof, mockprof, usage(inst, "mockprof:default").lastFailureAt! + 1000)).toBeNull();
    const sameModel = inst.usage.map((u) => (u.profileId === "mockprof:default" ? { ...u, cooldownReason: "rate_limit", cooldownModel: "mock-ok" } : u));
    expect(winnerUnusable({ ...inst, usage: sameModel }, prof, mockprof, usage(inst, "mockprof:default").lastFailureAt! + 1000)?.usageId).toBe("mockprof:default");
  });

  it("explain says when a cooling key is usable again, and prints no key", async () => {
    const at = usage(await read("2026.9.6"), "inline-api-key:mock").lastFailureAt! + 1000;
    const inst = await read("2026.9.6", at);
    const prof = inst.agents.find((a) => a.id === "prof")!;
    const text = renderExplain(inst, [prof]);
    expect(text).toMatch(/unusable until \S+ \(auth, inline-api-key:mock\): OpenClaw counts mock as missing until then/);
    const json = explainJson(inst, [prof]);
    expect(json.agents[0]!.credentials.find((c) => c.provider === "mock")).toMatchObject({ unusableReason: "auth", unusableUntil: new Date(usage(inst, "inline-api-key:mock").cooldownUntil!).toISOString() });
    const secrets = JSON.parse(readFileSync(join("test", "fixtures", "2026.9.6", "secrets.json"), "utf8")) as string[];
    for (const k of secrets) expect(text + JSON.stringify(json)).not.toContain(k);
  });
});
