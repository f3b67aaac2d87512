import { describe, it, expect } from "@jest/globals";
import { probeFindings } from "../../src/probe/findings.js";
import type { ProbeMatrix, ProbeRow, ProbeResult, CredentialView } from "../../src/probe/types.js";

const AT = Date.parse("2026-11-21T07:48:00Z");
const cred = (kind: "profile" | "env", label: string, fp: string, profileId?: string, envVar?: string): CredentialView => ({
  id: `openrouter|${kind}`,
  type: "api_key",
  source: { kind, label, ...(profileId ? { profileId } : {}), ...(envVar ? { envVar, file: "/home/u/.openclaw/.env" } : {}) },
  fingerprint: fp,
});
const res = (status: ProbeResult["status"], verdict: ProbeResult["verdict"], extra: Partial<ProbeResult> = {}): ProbeResult => ({ status, verdict, reason: status === "auth" ? "HTTP 401 User not found." : "HTTP 200", at: AT, ...extra });
const row = (agent: string, role: "runtime" | "other", c: CredentialView, r: ProbeResult): ProbeRow => ({
  agent,
  provider: "openrouter",
  models: ["openrouter/auto"],
  routeRole: "primary",
  credentialRole: role,
  credential: c,
  baseUrl: "https://openrouter.ai/api/v1",
  targetKey: c.fingerprint ?? "",
  result: r,
});
const PROFILE = cred("profile", "stored profile openrouter:default", "sk-or-v1-…04f4 #1111aaaa", "openrouter:default");
const ENV = cred("env", "OPENROUTER_API_KEY from ~/.openclaw/.env", "sk-or-v1-…a81c #2222bbbb", undefined, "OPENROUTER_API_KEY");
const matrix = (rows: ProbeRow[]): ProbeMatrix => ({ startedAt: AT, finishedAt: AT, rows, requestsSent: 2, targets: 2 });

describe("probe findings", () => {
  it("explains a stale stored profile shadowing a working env key in one line", () => {
    const f = probeFindings(matrix([row("main", "runtime", PROFILE, res("auth", "fail", { httpStatus: 401 })), row("main", "other", ENV, res("ok", "pass"))]), AT);
    expect(f.map((x) => x.kind).sort()).toEqual(["auth.rejected", "auth.shadowed"]);
    const s = f.find((x) => x.kind === "auth.shadowed")!;
    expect(s.summary).toBe(
      "main → openrouter: the runtime's credential, stored profile openrouter:default (sk-or-v1-…04f4), is rejected (HTTP 401 User not found.); OPENROUTER_API_KEY from ~/.openclaw/.env (sk-or-v1-…a81c) works, but the runtime uses the stored profile.",
    );
    expect(s.observedAt).toBe("2026-11-21T07:48:00.000Z");
  });

  it("says nothing when the runtime's credential works, even if an unused one is stale", () => {
    expect(probeFindings(matrix([row("main", "runtime", ENV, res("ok", "pass")), row("main", "other", PROFILE, res("auth", "fail"))]), AT)).toEqual([]);
  });

  it("reports a rejected key with no alternative as auth.rejected only", () => {
    const f = probeFindings(matrix([row("main", "runtime", PROFILE, res("auth", "fail")), row("main", "other", ENV, res("auth", "fail"))]), AT);
    expect(f.map((x) => x.kind)).toEqual(["auth.rejected"]);
    expect(f[0]!.summary).toContain("no other configured credential works either");
  });

  it("keeps inconclusive results at info so they never fail a route on their own", () => {
    const f = probeFindings(matrix([row("main", "runtime", PROFILE, res("timeout", "inconclusive", { reason: "no answer within 8000 ms" }))]), AT);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: "probe.failed", severity: "info", evidence: { reason: "timeout", verdict: "inconclusive" } });
  });

  it("is pure: same matrix and time, same findings", () => {
    const m = matrix([row("a", "runtime", PROFILE, res("billing", "fail", { httpStatus: 402 }))]);
    expect(probeFindings(m, AT)).toEqual(probeFindings(m, AT));
    expect(probeFindings(m, AT)[0]).toMatchObject({ kind: "probe.failed", severity: "critical", evidence: { reason: "billing" } });
  });
});
