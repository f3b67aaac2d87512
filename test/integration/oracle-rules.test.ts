// Rules checked against the real OpenClaw CLI of each version (`openclaw models status --json`;
// scripts/verify-openclaw.ts and test/e2e/openclaw-oracle.e2e.test.ts re-check them on generated
// installs). Each case here is the smallest install that shows the rule.
import { afterEach, describe, expect, it } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import { planFor } from "../../src/probe/matrix.js";
import { missingAuth } from "../../src/checks/auth.js";
import { duplicateEnvKeys, issueFindings } from "../../src/checks/lint.js";

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function install(version: string, config: Record<string, unknown>, files: Record<string, string> = {}): { home: string; state: string } {
  const home = mkdtempSync(join(tmpdir(), "cp-oracle-"));
  homes.push(home);
  const state = join(home, ".openclaw");
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, "openclaw.json"), JSON.stringify({ meta: { lastTouchedVersion: version }, ...config }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(state, rel, ".."), { recursive: true });
    writeFileSync(join(state, rel), text);
  }
  return { home, state };
}
const read = ({ home, state }: { home: string; state: string }) => readInstallation({ stateDir: state, home, env: {} });
const roster = (version: string, model: string) =>
  version >= "2026.8" ? { ownership: "explicit", entries: { main: { model } } } : { list: [{ id: "main", default: true, model }] };

describe("no synthetic local auth for a built-in provider (verified 2026.5.28, 6.1, 7.35, 9.6)", () => {
  it.each([["2026.9.6"], ["2026.5.28"]])("%s: openai on a loopback baseUrl with no key is auth.missing and is not probed", async (version) => {
    const inst = await read(install(version, { models: { providers: { openai: { baseUrl: "http://127.0.0.1:9/v1", models: [] } } }, agents: roster(version, "openai/gpt-5.4") }));
    const openai = inst.agents[0]!.credentials[0]!;
    expect(openai.winner).toBeNull();
    expect(missingAuth(inst, 0).map((f) => f.key)).toEqual(["auth.missing|agent=main|provider=openai"]);
    expect(planFor("openai", inst.endpoints.get("openai"), openai.winner)).toMatchObject({ kind: "local", key: "openai|missing" });
  });
});

describe("a custom provider without a key (models status: usable on 2026.9.6, missing on 5.28–8.2)", () => {
  const cfg = (version: string) => ({ models: { providers: { mock: { baseUrl: "https://llm.example.invalid/v1", api: "openai-completions", models: [{ id: "m", name: "M" }] } } }, agents: roster(version, "mock/m") });
  it("2026.9.6: the synthetic custom-local key wins, nothing is missing", async () => {
    const inst = await read(install("2026.9.6", cfg("2026.9.6")));
    expect(inst.agents[0]!.credentials[0]!.winner?.source.kind).toBe("local");
  });
  it.each([["2026.5.28"], ["2026.6.1"], ["2026.7.35"], ["2026.8.2"]])("%s: auth.missing", async (version) => {
    const inst = await read(install(version, cfg(version)));
    expect(inst.agents[0]!.credentials[0]!.winner).toBeNull();
  });
});

describe("a custom provider whose apiKey names a variable set nowhere (verified 9.6 --local turn, secrets audit; 5.28, 7.35, 8.2 models status/refusal)", () => {
  const cfg = (version: string) => ({ models: { providers: { mock: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", apiKey: "${MOCK_API_KEY}", models: [{ id: "m", name: "M" }] } } }, agents: roster(version, "mock/m") });
  it.each([["2026.9.6"], ["2026.8.2"], ["2026.5.28"]])("%s: no synthetic key, the agent is auth.missing and the fix is to set the variable", async (version) => {
    const inst = await read(install(version, cfg(version)));
    expect(inst.agents[0]!.credentials[0]!.winner).toBeNull();
    const [missing] = missingAuth(inst, 0);
    expect(missing?.key).toBe("auth.missing|agent=main|provider=mock");
    expect(missing?.detail).toContain("add MOCK_API_KEY=… to ~/.openclaw/.env");
  });
  it.each([["2026.9.6", true], ["2026.8.2", true], ["2026.7.35", false], ["2026.5.28", false]])("%s: the config.missing-var fix says whether models status refuses (%s)", async (version, refuses) => {
    const inst = await read(install(version, cfg(version)));
    const f = issueFindings(inst, 0).find((x) => x.kind === "config.missing-var")!;
    expect(f.detail?.includes("refuses `openclaw models status`")).toBe(refuses);
  });
});

describe("a .env name defined twice (dotenv keeps the last line; verified 9.6 models status)", () => {
  it("the last line wins, the discarded one is no credential, the duplicate is still a lint finding", async () => {
    const first = "sk-or-v1-fake-" + "1".repeat(40);
    const last = "sk-or-v1-fake-" + "2".repeat(40);
    const inst = await read(install("2026.9.6", { agents: roster("2026.9.6", "openrouter/auto") }, { ".env": `OPENROUTER_API_KEY=${first}\nOPENROUTER_API_KEY=${last}\n` }));
    const or = inst.agents[0]!.credentials[0]!;
    expect(or.winner?.secret?.reveal()).toBe(last);
    expect(or.others).toEqual([]);
    expect(duplicateEnvKeys(inst, 0).map((f) => f.kind)).toEqual(["env.duplicate-key"]);
  });
});

describe("era from the files, version only as a tie-break", () => {
  it("2026.6.1 writes agents/<id>/agent/auth-profiles.json: that store is read and beats the .env key", async () => {
    const stored = "sk-or-v1-fake-" + "3".repeat(40);
    const envKey = "sk-or-v1-fake-" + "4".repeat(40);
    const inst = await read(install("2026.6.1", { agents: roster("2026.6.1", "openrouter/auto") }, {
      ".env": `OPENROUTER_API_KEY=${envKey}\n`,
      "agents/main/agent/auth-profiles.json": JSON.stringify({ version: 1, profiles: { "openrouter:manual": { type: "api_key", provider: "openrouter", key: stored } } }),
    }));
    expect(inst.version.era).toBe("B");
    expect(inst.agents[0]!.credentials[0]!.winner?.source.profileId).toBe("openrouter:manual");
  });
  it("with no store on disk yet, the version decides: 7.35 → C, 8.2 → E", async () => {
    expect((await read(install("2026.7.35", { agents: roster("2026.7.35", "openrouter/auto") }))).version.era).toBe("C");
    expect((await read(install("2026.8.2", { agents: roster("2026.8.2", "openrouter/auto") }))).version.era).toBe("E");
  });
});

describe("a custom provider's ${VAR} key is the config key, not an env source (5.28, 6.1 models status: models.json)", () => {
  it("MOCK_API_KEY in .env feeds models.providers.mock.apiKey; the winner is the config key", async () => {
    const key = "fake-" + "6".repeat(40);
    const inst = await read(install("2026.5.28", {
      models: { providers: { mock: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "${MOCK_API_KEY}", api: "openai-completions", models: [{ id: "m", name: "M" }] } } },
      agents: roster("2026.5.28", "mock/m"),
    }, { ".env": `MOCK_API_KEY=${key}\n` }));
    const mock = inst.agents[0]!.credentials[0]!;
    expect(mock.winner?.source.kind).toBe("config");
    expect(mock.winner?.secret?.reveal()).toBe(key);
    expect(mock.others).toEqual([]);
  });
});
