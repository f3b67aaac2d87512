// 2026.9.6's `openclaw models auth … paste-api-key` can bind a provider to a stored profile by
// writing the profile id as its apiKey (`models.providers.openrouter.apiKey: "openrouter:manual"`).
// The real 2026.9.6 CLI resolves it to that profile (`models status`: effective kind "profiles").
// Here: the real 9.6 fixture (written by the CLI) with such a binding added.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import { planFor } from "../../src/probe/matrix.js";
import { fixtureHome, fixtureSecrets } from "./adapter-fixtures.js";
import { requireBuild, runCli } from "./cli-runner.js";

let home: string;
let state: string;

beforeAll(() => {
  requireBuild();
  home = mkdtempSync(join(tmpdir(), "cp-binding-"));
  cpSync(fixtureHome("2026.9.6"), home, { recursive: true });
  state = join(home, ".openclaw");
  const cfgPath = join(state, "openclaw.json");
  const cfg = JSON.parse(readFileSync(cfgPath, "utf8")) as { models: { providers: Record<string, unknown> } };
  cfg.models.providers.openrouter = { baseUrl: "https://openrouter.ai/api/v1", apiKey: "openrouter:default", models: [] };
  writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("a provider apiKey that names a stored profile (2026.9.6 paste-api-key)", () => {
  it("resolves to the bound profile: no config key, nothing shadowed, the probe sends the profile's key", async () => {
    const inst = await readInstallation({ stateDir: state, home, env: {} });
    const or = inst.agents.find((a) => a.id === "main")!.credentials.find((c) => c.provider === "openrouter")!;
    expect(or.winner?.source).toMatchObject({ kind: "profile", profileId: "openrouter:default" });
    expect(or.others.filter((c) => c.source.kind === "config")).toEqual([]);
    const plan = planFor("openrouter", inst.endpoints.get("openrouter"), or.winner);
    expect(plan.kind).toBe("http");
    expect((plan as { credential: { secret: { reveal(): string } } }).credential.secret.reveal()).not.toBe("openrouter:default");
    expect(inst.plaintextSecrets.filter((p) => p.path === "models.providers.openrouter.apiKey")).toEqual([]);
  });

  it("check and explain keep the profile id readable and report no plaintext secret for it", () => {
    const check = runCli(["check", "--json", "--offline", "--state-dir", state], home);
    const body = JSON.parse(check.stdout) as { findings: { kind: string; subject: { file?: string }; evidence?: { path?: string } }[] };
    expect(body.findings.filter((f) => f.kind === "secret.plaintext" && JSON.stringify(f).includes("models.providers.openrouter.apiKey"))).toEqual([]);
    const explain = runCli(["explain", "--agent", "main", "--state-dir", state], home);
    expect(explain.stdout).toContain("openrouter:default");
    expect(explain.stdout).not.toMatch(/…ault #[0-9a-f]{8}/);
    for (const key of fixtureSecrets("2026.9.6")) expect(check.stdout + explain.stdout).not.toContain(key);
  });
});
