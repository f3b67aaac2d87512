// The parts of openclaw.json clawpatrol relies on, with the wrong type, are config.invalid with
// the path — the paths `openclaw config validate --json` reports for the same files (real CLI,
// 2026.9.6: every case below, and a SecretRef apiKey is valid; 2026.5.28: agents, auth,
// models.providers, env, env.vars, agents.list — it spells list indexes "agents.list.0").
import { describe, expect, it } from "@jest/globals";
import { configShapeIssues } from "../../src/openclaw/config-shape.js";

const FILE = "/home/u/.openclaw/openclaw.json";
const paths = (cfg: Record<string, unknown>) => configShapeIssues(cfg, () => FILE).map((i) => i.path);

describe("openclaw.json shape check", () => {
  it("reports the issue's example: agents a string, models.providers a number", () => {
    const issues = configShapeIssues({ agents: "yes", models: { providers: 5 } }, () => FILE);
    expect(issues.map((i) => [i.kind, i.path])).toEqual([["config.invalid", "agents"], ["config.invalid", "models.providers"]]);
    expect(issues[0]!.message).toBe(`${FILE}: agents must be an object, not string (OpenClaw refuses this config)`);
    expect(issues[0]!.file).toBe(FILE);
  });

  it.each([
    [{ auth: "x" }, ["auth"]],
    [{ env: 5 }, ["env"]],
    [{ env: { vars: 5 } }, ["env.vars"]],
    [{ env: { vars: { A: 5 } } }, ["env.vars.A"]],
    [{ agents: { entries: "x" } }, ["agents.entries"]],
    [{ agents: { defaults: 5 } }, ["agents.defaults"]],
    [{ agents: { defaults: { model: 5 } } }, ["agents.defaults.model"]],
    [{ agents: { list: [5] } }, ["agents.list[0]"]],
    [{ models: { providers: { foo: 5 } } }, ["models.providers.foo"]],
    [{ models: { providers: { foo: { apiKey: 5 } } } }, ["models.providers.foo.apiKey"]],
    [{ auth: { profiles: 5, order: 5 } }, ["auth.profiles", "auth.order"]],
  ] as [Record<string, unknown>, string[]][])("%j → %j", (cfg, want) => {
    expect(paths(cfg)).toEqual(want);
  });

  it("accepts what OpenClaw accepts: model strings or objects, SecretRefs, ${VAR} keys, absent parts", () => {
    expect(paths({})).toEqual([]);
    expect(
      paths({
        agents: { defaults: { model: { primary: "a/b", fallbacks: [] } }, entries: { main: { model: "a/b" } } },
        models: { providers: { x: { apiKey: "${X_KEY}", baseUrl: "http://h" }, y: { apiKey: { source: "env", id: "Y" } } } },
        auth: { profiles: { "x:default": { provider: "x", mode: "api_key" } }, order: { x: ["x:default"] } },
        env: { vars: { A: "1" } },
      }),
    ).toEqual([]);
  });

  it("does not report children of a wrong-typed parent again", () => {
    expect(paths({ models: { providers: [{ apiKey: 5 }] } })).toEqual(["models.providers"]);
  });
});
