// The fleet-facing metric set: every family clawpatrol renders is documented in docs/metrics.md,
// labels never carry secrets or session/run ids, and the probe latency histogram is cumulative.
import { describe, it, expect } from "@jest/globals";
import { readFileSync } from "node:fs";
import { renderPrometheus } from "../../src/status/prometheus.js";
import { ProbeLatencyHistogram } from "../../src/metrics/probe-latency.js";
import { buildStatusSnapshot } from "../../src/status/snapshot.js";
import { fixtureInputs, fixtureIncident, FAKE_OPENAI_KEY, FAKE_OPENROUTER_KEY } from "../support/status-fixture.js";

const documented = (): Set<string> => new Set([...readFileSync("docs/metrics.md", "utf8").matchAll(/`(clawpatrol_[a-z_]+)`/g)].map((m) => m[1]!));

function fleetSnapshotText(): string {
  const histogram = new ProbeLatencyHistogram();
  histogram.observe("main", "openrouter", 0.14);
  const incident = { ...fixtureIncident(), findings: [] };
  const warning = { ...fixtureIncident(), id: "inc-2", kind: "cooldown.active", severity: "warning" as const, subjectKey: "cooldown:openai" };
  return renderPrometheus(buildStatusSnapshot({ ...fixtureInputs(), incidents: [incident, warning] }), histogram.render());
}

describe("metrics a fleet can use", () => {
  it("lists every rendered metric family in docs/metrics.md", () => {
    const families = [...fleetSnapshotText().matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
    expect(families.length).toBeGreaterThanOrEqual(15);
    const missing = families.filter((f) => !documented().has(f));
    expect(missing).toEqual([]);
  });

  it("counts open incidents by kind and severity and labels the fallback's from and to models", () => {
    const text = fleetSnapshotText();
    expect(text).toContain('clawpatrol_incidents_open_by_kind{kind="auth.rejected",severity="critical"} 1');
    expect(text).toContain('clawpatrol_incidents_open_by_kind{kind="cooldown.active",severity="warning"} 1');
    expect(text).toContain('clawpatrol_fallback_active{agent="research",from_model="",to_model=""} 0');
    expect(text).toMatch(/^clawpatrol_info\{version="0\.1\.0",openclaw_version="2026\.9\.6",era="E"\} 1$/m);
  });

  it("renders a cumulative probe latency histogram per agent and provider", () => {
    const h = new ProbeLatencyHistogram();
    h.observeRows([
      { agent: "main", provider: "openrouter", credentialRole: "runtime", result: { latencyMs: 80 } },
      { agent: "main", provider: "openrouter", credentialRole: "runtime", result: { latencyMs: 700 } },
      { agent: "main", provider: "openrouter", credentialRole: "other", result: { latencyMs: 9000 } },
      { agent: "main", provider: "openrouter", credentialRole: "runtime", result: {} },
    ]);
    const text = h.render().join("\n");
    expect(text).toContain('clawpatrol_probe_duration_seconds_bucket{agent="main",provider="openrouter",le="0.05"} 0');
    expect(text).toContain('clawpatrol_probe_duration_seconds_bucket{agent="main",provider="openrouter",le="0.1"} 1');
    expect(text).toContain('clawpatrol_probe_duration_seconds_bucket{agent="main",provider="openrouter",le="0.5"} 1');
    expect(text).toContain('clawpatrol_probe_duration_seconds_bucket{agent="main",provider="openrouter",le="1"} 2');
    expect(text).toContain('clawpatrol_probe_duration_seconds_bucket{agent="main",provider="openrouter",le="+Inf"} 2');
    expect(text).toContain('clawpatrol_probe_duration_seconds_count{agent="main",provider="openrouter"} 2');
    const sum = /clawpatrol_probe_duration_seconds_sum\{agent="main",provider="openrouter"\} (\S+)/.exec(text)?.[1];
    expect(Number(sum)).toBeCloseTo(0.78, 6);
  });

  it("never puts a secret, a session id or a run id into a label", () => {
    const text = fleetSnapshotText();
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]!));
    expect([...labelNames].sort()).toEqual(["agent", "era", "from_model", "kind", "le", "model", "openclaw_version", "provider", "role", "severity", "state", "to_model", "version"]);
    for (const secret of [FAKE_OPENROUTER_KEY, FAKE_OPENAI_KEY, "gw-token-"]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/session|run_id|sk-/i);
  });
});
