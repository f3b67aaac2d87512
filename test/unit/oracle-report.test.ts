import { describe, expect, it } from "@jest/globals";
import { buildInstallation } from "../../src/fake/installation.js";
import type { OpenClawAnswers } from "../../src/openclaw/live-oracle.js";
import { compareWithOpenClaw, disagreements, type VerifyOutcome } from "../../src/oracle/verify.js";
import { disagreementFindings, renderVerify, verifyExitCode, verifyJson } from "../../src/oracle/report.js";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const KEY = "sk-or-v1-fake-0123456789abcdef0123456789abcdef";

function answers(status: Record<string, unknown>, refused: string | null = null): OpenClawAnswers {
  return {
    bin: "/usr/lib/node_modules/openclaw/openclaw.mjs",
    version: "2026.9.6",
    agents: refused ? [] : Object.entries(status).map(([agent, s]) => ({ agent, status: s as never, window: { start: NOW, end: NOW } })),
    refused,
    audit: null,
    configRejected: null,
    copiedBytes: 0,
    calls: 1,
    cliMs: 5000,
  };
}

const inst = () =>
  buildInstallation({
    stateDir: "/home/u/.openclaw",
    agents: [
      { id: "main", models: ["openrouter/moonshotai/kimi-k2.5", "openai/gpt-5.4"], credentials: { openrouter: [{ kind: "profile", key: KEY, profileId: "openrouter:default" }] } },
      { id: "worker", models: ["openrouter/moonshotai/kimi-k2.5"], credentials: { openrouter: [{ kind: "profile", key: KEY, profileId: "openrouter:default" }] } },
    ],
  });

const agreeing = { defaultModel: "openrouter/moonshotai/kimi-k2.5", fallbacks: ["openai/gpt-5.4"] };

describe("clawpatrol's reading against OpenClaw's answers", () => {
  it("agrees field by field, and says so in one line (exit 0)", () => {
    const o = compareWithOpenClaw(inst(), answers({ main: agreeing, worker: { defaultModel: "openrouter/moonshotai/kimi-k2.5", fallbacks: [] } }), NOW);
    expect(disagreements(o)).toEqual([]);
    expect(verifyExitCode(o)).toBe(0);
    expect(renderVerify(o).split("\n")[0]).toBe("OK: clawpatrol reads all 2 agents as OpenClaw 2026.9.6's own `openclaw models status` does (every field it reports)");
    expect(disagreementFindings(o, NOW)).toEqual([]);
  });

  it("names each differing field with both answers and how to report it (exit 1)", () => {
    const o = compareWithOpenClaw(inst(), answers({ main: { ...agreeing, fallbacks: ["anthropic/claude-opus-4.6"] }, worker: { defaultModel: "openrouter/moonshotai/kimi-k2.5", fallbacks: [] } }), NOW);
    expect(disagreements(o)).toEqual([{ agent: "main", field: "fallbacks", openclaw: ["anthropic/claude-opus-4.6"], clawpatrol: ["openai/gpt-5.4"] }]);
    expect(verifyExitCode(o)).toBe(1);
    const text = renderVerify(o, "/home/u");
    expect(text).toContain("WARNING: clawpatrol reads 1 of 2 agents differently from OpenClaw 2026.9.6's own `openclaw models status`");
    expect(text).toContain('  fallbacks: OpenClaw says ["anthropic/claude-opus-4.6"] · clawpatrol says ["openai/gpt-5.4"]');
    expect(text).toContain("`clawpatrol verify --agent main --json` prints what to paste into a clawpatrol issue");
    expect(text).toContain("agrees: worker");
    expect(text).toContain("· ~/.openclaw ·");

    const [f] = disagreementFindings(o, NOW);
    expect(f).toMatchObject({ kind: "clawpatrol.disagrees", severity: "warning", subject: { agent: "main" }, key: "clawpatrol.disagrees|agent=main" });
    expect(f!.summary).toBe('clawpatrol reads agent main differently from OpenClaw 2026.9.6\'s own models status — fallbacks: OpenClaw says ["anthropic/claude-opus-4.6"] · clawpatrol says ["openai/gpt-5.4"]');
    expect(f!.detail).toContain("trust `openclaw models status --agent main` over clawpatrol");
    expect(f!.evidence).toMatchObject({ openclawVersion: "2026.9.6", fields: [{ field: "fallbacks" }] });
  });

  it("one finding per agent, however many fields differ; install-wide answers are their own subject", () => {
    const o: VerifyOutcome = {
      openclaw: { bin: "/x/openclaw", version: "2026.11.2" },
      stateDir: "/home/u/.openclaw",
      refused: "failed to resolve secrets",
      install: [{ field: "status-refused", verdict: "disagree", openclaw: "refused", clawpatrol: "answers" }],
      agents: [{ agent: "a", openclawSaid: {}, results: [
        { field: "primary", verdict: "disagree", openclaw: "x/1", clawpatrol: "x/2" },
        { field: "missing", verdict: "disagree", openclaw: ["x"], clawpatrol: [] },
        { field: "origin", verdict: "not-reported", openclaw: null, clawpatrol: "agent" },
      ] }],
    };
    const fs = disagreementFindings(o, NOW);
    expect(fs.map((f) => f.key)).toEqual(["clawpatrol.disagrees", "clawpatrol.disagrees|agent=a"]);
    expect(fs[1]!.summary).toContain("(+1 more field: missing)");
    expect(fs[0]!.summary).toBe('clawpatrol reads this install differently from OpenClaw 2026.11.2\'s own models status — status-refused: OpenClaw says "refused" · clawpatrol says "answers"');
    const text = renderVerify(o);
    expect(text.split("\n")[0]).toBe("WARNING: clawpatrol reads 1 of 1 agent and the install as a whole differently from OpenClaw 2026.11.2's own `openclaw models status`");
    expect(text).toContain("OpenClaw 2026.11.2 (newer than 2026.9.6, the newest clawpatrol is verified on)");
  });

  it("the JSON to paste into an issue holds what OpenClaw said, and no key", () => {
    // OpenClaw names an env key by its own mask (first and last 8 characters): never repeated.
    const status = { ...agreeing, auth: { providers: [{ provider: "openrouter", effective: { kind: "env", detail: "sk-or-v1...89abcdef" } }], missingProvidersInUse: [] } };
    const o = compareWithOpenClaw(inst(), answers({ main: status }), NOW);
    const json = JSON.stringify(verifyJson(o));
    expect(verifyJson(o)).toMatchObject({ schema: 1, verdict: "disagree", openclaw: { version: "2026.9.6", newestVerified: "2026.9.6" } });
    expect(disagreements(o).map((d) => d.field)).toEqual(["missing", "winner-kind"]);
    expect(json).toContain('"effective":["openrouter:env"]');
    expect(json).not.toContain(KEY.slice(0, 12));
    expect(json).not.toContain("sk-or-v1...");
  });

  it("a config OpenClaw rejects while clawpatrol reads it as valid is a disagreement, in OpenClaw's words", () => {
    const a = { ...answers({}), configRejected: 'Invalid config at ~/.openclaw/openclaw.json: - meta: Unrecognized key: "lastTouchedAt"' };
    const o = compareWithOpenClaw(inst(), a, NOW);
    expect(disagreements(o)).toEqual([{ agent: null, field: "config-valid", openclaw: 'rejected: Invalid config at ~/.openclaw/openclaw.json: - meta: Unrecognized key: "lastTouchedAt"', clawpatrol: "accepted" }]);
    expect(o.install.map((r) => r.field)).toEqual(["config-valid"]);
  });

  it("a refusal clawpatrol does not predict is a disagreement about the whole install", () => {
    const o = compareWithOpenClaw(inst(), answers({}, "models status: failed to resolve secrets from the active gateway snapshot"), NOW);
    expect(disagreements(o)).toEqual([{ agent: null, field: "status-refused", openclaw: "refused", clawpatrol: "answers" }]);
  });
});
