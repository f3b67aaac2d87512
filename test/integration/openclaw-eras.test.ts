// The adapter reads every storage era: the real 2026.5.28 (B), 2026.7.35 (C), 2026.8.2 and 2026.9.6 (E)
// state dirs written by the real CLIs (scripts/make-fixtures.ts), hand-built layouts for what no
// installable version writes (eras A, D, a C migration leftover), and the seed-000 story.
import { describe, expect, test } from "@jest/globals";
import { readInstallation } from "../../src/openclaw/installation.js";
import type { Installation } from "../../src/openclaw/types.js";
import { fixtureHome, fixtureState, T0 } from "./adapter-fixtures.js";

async function read(name: string, now = T0): Promise<Installation> {
  return readInstallation({ stateDir: fixtureState(name), home: fixtureHome(name), env: {}, now });
}
const agent = (inst: Installation, id: string) => inst.agents.find((a) => a.id === id)!;
const creds = (inst: Installation, id: string, provider: string) => agent(inst, id).credentials.find((c) => c.provider === provider)!;

describe("era A (≤2026.4.5): auth-profiles.json with inline usageStats", () => {
  test("reads agents.list, the inline cooldown and lastGood", async () => {
    const inst = await read("legacy-2026.3-era-a");
    expect(inst.version).toMatchObject({ version: "2026.3.28", source: "meta", era: "A" });
    expect(inst.rosterShape).toBe("list");
    expect(inst.agents.map((a) => [a.id, a.isDefault, a.configPath])).toEqual([["main", true, "agents.list[0]"], ["helper", false, "agents.list[1]"]]);
    const u = inst.usage.find((x) => x.profileId === "anthropic:default")!;
    expect(u).toMatchObject({ provider: "anthropic", cooldownReason: "rate_limit", cooldownModel: "claude-sonnet-4-5", errorCount: 3 });
    expect(u.cooldownUntil).toBe(T0 + 240_000);
    // 2026.3 < 2026.4.27: helper's string model keeps the global fallbacks.
    expect(agent(inst, "helper").route.fallbacks.map((f) => f.ref.ref)).toEqual(["openrouter/auto"]);
    expect(agent(inst, "helper").route.strict).toBe(false);
    // The non-main agent reads main's store.
    expect(creds(inst, "helper", "openrouter").winner?.source.profileId).toBe("openrouter:default");
  });
});

describe("era B (2026.4.6–5.x): auth-state.json, $include, ${VAR}, models.json", () => {
  test("resolves the $include'd roster, env refs, escapes and the generated models.json", async () => {
    const inst = await read("legacy-2026.4-era-b");
    expect(inst.version.era).toBe("B");
    expect(inst.configFiles.map((f) => f.split("/").pop())).toEqual(["openclaw.json", "agents.json5"]);
    expect(inst.agents.map((a) => a.id)).toEqual(["main", "ops"]);
    expect(agent(inst, "ops").route.primary?.origin.file).toMatch(/agents\.json5$/);
    expect((inst.config as any).messages.note).toBe("literal ${NOT_A_VAR} stays");
    expect(inst.issues).toEqual([]);
    expect(inst.usage.find((u) => u.profileId === "groq:default")).toMatchObject({ cooldownReason: "auth", cooldownUntil: T0 + 20_000 });
    // groq: no profile → env GROQ_API_KEY wins (the config apiKey is a ${GROQ_API_KEY} reference to the same value).
    const groq = creds(inst, "main", "groq");
    expect(groq.winner?.source.kind).toBe("env");
    expect(groq.others.every((c) => !c.secret || c.secret.sameAs(groq.winner!.secret!))).toBe(true);
    expect(inst.plaintextSecrets.some((p) => p.file.endsWith("models.json") && p.path === "providers.openrouter.apiKey")).toBe(true);
    expect(inst.gateway.logFile).toBe(`${fixtureHome("legacy-2026.4-era-b")}/.openclaw/logs/openclaw.log`);
    expect(inst.gateway.token?.fingerprint).toMatch(/^…/);
  });
});

describe("era C, hand-built: a migration leftover beside the SQLite store", () => {
  test("reads auth_profile_store/state and ignores the leftover auth-profiles.json", async () => {
    const inst = await read("legacy-2026.6-era-c");
    expect(inst.version.era).toBe("C");
    expect(inst.version.evidence.join("\n")).toMatch(/auth_profile_store but no session tables/);
    expect(inst.version.evidence.join("\n")).toMatch(/migration leftover/);
    const ds = creds(inst, "main", "deepseek");
    expect(ds.winner?.source.file).toMatch(/openclaw-agent\.sqlite$/);
    expect(ds.others).toEqual([]);
    expect(creds(inst, "coder", "deepseek").winner?.source.profileId).toBe("deepseek:default");
    expect(inst.usage[0]).toMatchObject({ profileId: "deepseek:default", disabledReason: "billing", disabledUntil: T0 + 5 * 3600_000 });
  });
});

describe("era D (2026.7.2–8.x): sessions in SQLite, agents.entries", () => {
  test("agent-local store overrides main's; {fallbacks} inherits the shared primary", async () => {
    const inst = await read("legacy-2026.8-era-d");
    expect(inst.version.era).toBe("D");
    expect(inst.rosterShape).toBe("entries");
    const research = agent(inst, "research");
    expect(research.route.primary?.from).toBe("defaults");
    expect(research.route.fallbacks.map((f) => [f.ref.ref, f.from])).toEqual([["xai/grok-4-fast", "agent"]]);
    expect(creds(inst, "research", "xai").winner?.source.file).toMatch(/agents\/research\/agent\/openclaw-agent\.sqlite$/);
    expect(creds(inst, "main", "xai").winner?.source.file).toMatch(/agents\/main\/agent\/openclaw-agent\.sqlite$/);
    // env.vars in the config supplies MISTRAL_API_KEY.
    expect(creds(inst, "main", "mistral").winner?.source.label).toMatch(/env\.vars\.MISTRAL_API_KEY/);
    expect(inst.gateway.port).toBe(18790);
  });
});

describe("2026.5.28, written by the real CLI", () => {
  test("is era B: auth-profiles.json per agent, a real auth-state.json cooldown, agents.list", async () => {
    const inst = await read("2026.5.28");
    expect(inst.version).toMatchObject({ version: "2026.5.28", era: "B" });
    expect(inst.rosterShape).toBe("list");
    expect(inst.agents.map((a) => a.id)).toEqual(["main", "worker", "prof"]);
    // 2026.5.28 already treats a per-agent string model as strict (no fallbacks).
    expect(agent(inst, "worker").route).toMatchObject({ strict: true, fallbacks: [] });
    expect(agent(inst, "prof").route.fallbacks.map((f) => f.ref.ref)).toEqual(["mock/mock-ok"]);
    const cool = inst.usage.find((u) => u.profileId === "mockprof:default")!;
    expect(cool).toMatchObject({ cooldownReason: "auth", errorCount: 1, agent: "prof" });
    expect(cool.source).toMatch(/agents\/prof\/agent\/auth-state\.json$/);
    // worker's own profile for openai; openrouter comes from main's store.
    expect(creds(inst, "worker", "openai").winner?.source.file).toMatch(/agents\/worker\/agent\/auth-profiles\.json$/);
    // The .env key differs from the stored profile: the profile wins.
    const or = creds(inst, "main", "openrouter");
    expect(or.winner?.source.kind).toBe("profile");
    expect(or.others.some((c) => c.source.kind === "env" && !c.secret!.sameAs(or.winner!.secret!))).toBe(true);
    expect(inst.endpoints.get("mock")?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(inst.gateway.port).toBe(18999);
  });
});

describe("2026.7.35, written by the real CLI", () => {
  test("is era C: per-agent SQLite auth with JSONL sessions, a real auth_profile_state cooldown, agents.list", async () => {
    const inst = await read("2026.7.35");
    expect(inst.version).toMatchObject({ version: "2026.7.35", era: "C" });
    expect(inst.version.evidence.join("\n")).toMatch(/auth_profile_store but no session tables/);
    expect(inst.rosterShape).toBe("list");
    expect(inst.agents.map((a) => a.id)).toEqual(["main", "worker", "prof"]);
    expect(agent(inst, "worker").route).toMatchObject({ strict: true, fallbacks: [] });
    expect(agent(inst, "prof").route.fallbacks.map((f) => f.ref.ref)).toEqual(["mock/mock-ok"]);
    // onboard writes main's store, paste-api-key each agent's own: no shared store in this era.
    expect(creds(inst, "main", "openrouter").winner?.source.file).toMatch(/agents\/main\/agent\/openclaw-agent\.sqlite$/);
    expect(creds(inst, "worker", "openai").winner?.source.file).toMatch(/agents\/worker\/agent\/openclaw-agent\.sqlite$/);
    const cool = inst.usage.find((u) => u.profileId === "mockprof:default")!;
    expect(cool).toMatchObject({ agent: "prof", provider: "mockprof", cooldownReason: "auth", errorCount: 1 });
    expect(cool.source).toMatch(/agents\/prof\/agent\/openclaw-agent\.sqlite#auth_profile_state$/);
    // The stored profile beats the hand-added .env key.
    const or = creds(inst, "main", "openrouter");
    expect(or.others.find((c) => c.source.kind === "env")!.secret!.sameAs(or.winner!.secret!)).toBe(false);
    expect(inst.gateway.port).toBe(18999);
  });
});

// 2026.8.2 gets the same files from the same CLI calls; it stores make-fixtures' `config set agents.list` as agents.entries.
describe.each([["2026.8.2"], ["2026.9.6"]])("%s, written by the real CLI", (version) => {
  test("is era E: shared auth in state/openclaw.sqlite, agent-local overrides, agents.entries", async () => {
    const inst = await read(version);
    expect(inst.version).toMatchObject({ version, source: "schema", era: "E" });
    expect(inst.rosterShape).toBe("entries");
    expect(inst.agents.map((a) => a.id)).toEqual(["main", "worker", "prof"]);
    expect(creds(inst, "main", "openrouter").winner?.source.file).toMatch(/state\/openclaw\.sqlite$/);
    expect(creds(inst, "worker", "openai").winner?.source.file).toMatch(/agents\/worker\/agent\/openclaw-agent\.sqlite$/);
    expect(agent(inst, "worker").route).toMatchObject({ strict: true, fallbacks: [] });
    expect(inst.plaintextSecrets.some((p) => p.file.endsWith("state/openclaw.sqlite") && p.path === "profiles.openrouter:default.key")).toBe(true);
    // Real cooldowns written after the fake provider's 401: the profile and the inline key.
    const byId = new Map(inst.usage.map((u) => [u.profileId, u]));
    expect(byId.get("mockprof:default")).toMatchObject({ agent: "prof", provider: "mockprof", cooldownReason: "auth", errorCount: 1 });
    expect(byId.get("inline-api-key:mock")).toMatchObject({ agent: "prof", provider: "mock", cooldownReason: "auth" });
    expect(byId.get("inline-api-key:mock")!.source).toMatch(/agents\/prof\/agent\/openclaw-agent\.sqlite#auth_profile_state$/);
    // The stored profile (shared store) beats the hand-added .env key.
    const or = creds(inst, "main", "openrouter");
    expect(or.others.find((c) => c.source.kind === "env")!.secret!.sameAs(or.winner!.secret!)).toBe(false);
  });
});

describe("seed 000 (2026.4.14): the day-long support thread", () => {
  test("main runs its own kimi override; the stale stored profile beats the .env key", async () => {
    const inst = await read("seed-000");
    const main = agent(inst, "main");
    expect(main.name).toBe("Steve");
    expect(main.route.primary).toMatchObject({ from: "agent", origin: { path: "agents.list[0].model" } });
    expect(main.route.primary?.ref.ref).toBe("openrouter/moonshotai/kimi-k2.5");
    const or = creds(inst, "main", "openrouter");
    expect(or.winner?.source.profileId).toBe("openrouter:default");
    const envLive = or.others.find((c) => c.source.kind === "env" && /line 3$/.test(c.source.label))!;
    expect(envLive.secret!.sameAs(or.winner!.secret!)).toBe(false);
    expect(inst.env.files.find((f) => f.path.endsWith(".openclaw/.env"))!.duplicates).toEqual([{ name: "OPENROUTER_API_KEY", lines: [1, 3], differ: true }]);
  });
});
