// OpenClaw 2026.9.6 falls back for real (primary answers 401, the configured fallback answers):
// clawpatrol reads model.failover for that agent from the files OpenClaw wrote, and the stock
// gateway has no Prometheus route of its own (diagnostics-prometheus is an external plugin).
import { describe, expect, it } from "@jest/globals";
import { cachedOpenClawEntry } from "../../src/sandbox/openclaw-cli.js";
import { runFailoverScenario } from "../../src/sandbox/failover-scenario.js";

const VERSION = "2026.9.6";
const ENTRY = cachedOpenClawEntry(VERSION);
if (!ENTRY) console.warn(`[e2e failover] skipped: OpenClaw ${VERSION} not found (run the e2e global setup)`);
const maybe = ENTRY ? describe : describe.skip;

maybe(`OpenClaw ${VERSION}'s own failover`, () => {
  it("becomes model.failover for the agent, read from the gateway log and joined via its transcript", async () => {
    const r = await runFailoverScenario(ENTRY!);
    expect(r.turnExitCode).toBe(0);
    expect(r.logLines.some((l) => l.includes('"decision":"candidate_succeeded"'))).toBe(true);
    const failover = r.findings.filter((f) => f.kind === "model.failover");
    expect(failover).toHaveLength(1);
    expect(failover[0]).toMatchObject({ severity: "warning", subject: { agent: "fo", provider: "mockbad", model: "mock-ok" }, evidence: { to: { "mock/mock-ok": 1 }, reasons: { auth: 1 } } });
    expect(r.diagnosticsPrometheus.status).toBe(404);
    expect(JSON.stringify(r.findings)).not.toMatch(/bad-key-|good-key-/);
  }, 300_000);
});
