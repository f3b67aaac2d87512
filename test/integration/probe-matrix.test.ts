import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { createServer } from "node:net";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildInstallation, type FakeCredentialSpec } from "../../src/fake/installation.js";
import { runProbeMatrix } from "../../src/probe/matrix.js";
import { probeFindings } from "../../src/probe/findings.js";
import { ProbeLimiter } from "../../src/probe/limiter.js";
import type { ProbeRow } from "../../src/probe/types.js";

const hex = (c: string, tail: string): string => c.repeat(64 - tail.length) + tail;
const STALE = `sk-or-v1-${hex("b", "04f4")}`;
const GOOD = `sk-or-v1-${hex("a", "a81c")}`;
const OPENAI_OK = `sk-proj-${hex("1", "0a0a")}`;
const ANTHROPIC_OK = `sk-ant-api03-${hex("2", "0b0b")}`;
const GEMINI_BAD = `AIza${"G".repeat(35)}`;
const GROQ_403 = `gsk_${"3".repeat(48)}`;
const XAI_402 = `xai-${"4".repeat(48)}`;
const DEEPSEEK_429 = `sk-${hex("5", "0d0d")}`;
const MISTRAL_500 = `mistral-${"6".repeat(32)}`;
const MOONSHOT_HANG = `sk-${hex("7", "0e0e")}`;
const CUSTOM_OK = `sk-${hex("8", "0f0f")}`;
const ALL_KEYS = [STALE, GOOD, OPENAI_OK, ANTHROPIC_OK, GEMINI_BAD, GROQ_403, XAI_402, DEEPSEEK_429, MISTRAL_500, MOONSHOT_HANG, CUSTOM_OK];

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const profile = (key: string | null, provider: string): FakeCredentialSpec => ({ key, kind: "profile", profileId: `${provider}:default` });
const env = (key: string, v: string): FakeCredentialSpec => ({ key, kind: "env", envVar: v, file: "~/.openclaw/.env" });

function row(rows: ProbeRow[], agent: string, provider: string, role: "runtime" | "other" = "runtime"): ProbeRow {
  const r = rows.find((x) => x.agent === agent && x.provider === provider && x.credentialRole === role);
  if (!r) throw new Error(`no row ${agent}/${provider}/${role}`);
  return r;
}

describe("route probes against a loopback provider", () => {
  let fake: FakeProvider;
  let refused: number;
  beforeAll(async () => {
    fake = await startFakeProvider({
      keys: {
        [GOOD]: "ok",
        [OPENAI_OK]: "ok",
        [ANTHROPIC_OK]: "ok",
        [GEMINI_BAD]: "400-api-key-invalid",
        [GROQ_403]: "403",
        [XAI_402]: "402",
        [DEEPSEEK_429]: { kind: "429", retryAfterSeconds: 7 },
        [MISTRAL_500]: "500",
        [MOONSHOT_HANG]: "hang",
        [CUSTOM_OK]: "ok",
      },
      modelIds: ["gpt-4o-mini", "my-model", "llama3:latest"],
    });
    refused = await closedPort();
  });
  afterAll(async () => {
    await fake.close();
  });

  function installation() {
    const b = fake.url;
    return buildInstallation({
      agents: [
        { id: "main", models: ["openrouter/auto", "openai/gpt-4o-mini"], credentials: { openrouter: [profile(STALE, "openrouter"), env(GOOD, "OPENROUTER_API_KEY")], openai: [env(OPENAI_OK, "OPENAI_API_KEY")] } },
        { id: "worker", models: ["openrouter/auto"], credentials: { openrouter: [profile(STALE, "openrouter"), env(GOOD, "OPENROUTER_API_KEY")] } },
        { id: "claude", models: ["anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash"], credentials: { anthropic: [profile(ANTHROPIC_OK, "anthropic")], google: [env(GEMINI_BAD, "GEMINI_API_KEY")] } },
        { id: "misc", models: ["groq/llama", "xai/grok-4", "deepseek/deepseek-chat", "mistral/mistral-large"], credentials: { groq: [profile(GROQ_403, "groq")], xai: [profile(XAI_402, "xai")], deepseek: [profile(DEEPSEEK_429, "deepseek")], mistral: [profile(MISTRAL_500, "mistral")] } },
        { id: "kimi", models: ["moonshot/kimi-k2.5", "together/llama"], credentials: { moonshot: [profile(MOONSHOT_HANG, "moonshot")], together: [profile(CUSTOM_OK, "together")] } },
        { id: "local", models: ["ollama/llama3", "mycorp/my-model", "mycorp/not-there"], credentials: { mycorp: [{ key: CUSTOM_OK, kind: "config" }] } },
      ],
      baseUrls: {
        openrouter: `${b}/api/v1`,
        openai: `${b}/v1`,
        anthropic: b,
        google: `${b}/v1beta`,
        groq: `${b}/openai/v1`,
        xai: `${b}/v1`,
        deepseek: b,
        mistral: `${b}/v1`,
        moonshot: `${b}/v1`,
        together: `http://127.0.0.1:${refused}/v1`,
        ollama: b,
      },
      endpoints: { mycorp: { baseUrl: `${b}/v1`, api: "openai-completions", headers: { "x-team": "blue" }, custom: true } },
    });
  }

  it("classifies every provider's answer and fans one request out to every agent that shares a credential", async () => {
    fake.reset();
    const m = await runProbeMatrix(installation(), { timeoutMs: 1500 });
    const rows = m.rows;
    expect(row(rows, "main", "openrouter").result).toMatchObject({ status: "auth", verdict: "fail", httpStatus: 401 });
    expect(row(rows, "main", "openrouter").result.snippet).toContain("User not found.");
    expect(row(rows, "main", "openrouter", "other").result).toMatchObject({ status: "ok", verdict: "pass" });
    expect(row(rows, "main", "openai").result).toMatchObject({ status: "ok", verdict: "pass" });
    expect(row(rows, "claude", "anthropic").result).toMatchObject({ status: "ok", httpStatus: 200 });
    expect(row(rows, "claude", "google").result).toMatchObject({ status: "auth", httpStatus: 400 });
    expect(row(rows, "misc", "groq").result).toMatchObject({ status: "auth", httpStatus: 403 });
    expect(row(rows, "misc", "xai").result).toMatchObject({ status: "billing", verdict: "fail", httpStatus: 402 });
    expect(row(rows, "misc", "deepseek").result).toMatchObject({ status: "rate_limit", verdict: "inconclusive", retryAfterSeconds: 7 });
    expect(row(rows, "misc", "mistral").result).toMatchObject({ status: "server", verdict: "inconclusive", httpStatus: 500 });
    expect(row(rows, "kimi", "moonshot").result).toMatchObject({ status: "timeout", verdict: "inconclusive" });
    expect(row(rows, "kimi", "together").result).toMatchObject({ status: "network", verdict: "inconclusive", reason: "connection refused" });
    expect(row(rows, "local", "ollama").result).toMatchObject({ status: "ok", verdict: "pass" });
    expect(row(rows, "local", "mycorp").result).toMatchObject({ status: "no_model", verdict: "fail" });
    expect(row(rows, "local", "mycorp").result.reason).toContain("not-there");

    // The stale key is shared by main and worker: one request, two rows.
    const staleReqs = fake.requests.filter((r) => r.auth?.includes("…04f4"));
    expect(staleReqs).toHaveLength(1);
    expect(staleReqs[0]!.path).toBe("/api/v1/key");
    expect(row(rows, "worker", "openrouter").result.status).toBe("auth");
    // Custom provider: its base URL + /models with its configured headers.
    expect(fake.requests.find((r) => r.endpoint === "models" && r.auth?.includes("…0f0f"))?.path).toBe("/v1/models");
    // Each distinct (provider, base URL, credential) once; the refused one never reaches the fake.
    expect(m.requestsSent).toBe(m.targets);
    expect(fake.requests.filter((r) => r.endpoint !== "chat")).toHaveLength(m.requestsSent - 1);
    expect(fake.counters.completions).toBe(0);
  });

  it("says, in one line, that the runtime's stored profile is rejected while the env key works (seed 000)", async () => {
    const m = await runProbeMatrix(installation(), { agent: "main", provider: "openrouter", timeoutMs: 400 });
    const findings = probeFindings(m, Date.parse("2026-11-21T07:48:00Z"));
    const shadowed = findings.find((f) => f.kind === "auth.shadowed");
    expect(shadowed?.severity).toBe("critical");
    expect(shadowed?.summary).toBe(
      "main → openrouter: the runtime's credential, stored profile openrouter:default (sk-or-v1-…04f4), is rejected (HTTP 401 User not found.); OPENROUTER_API_KEY from ~/.openclaw/.env (sk-or-v1-…a81c) works, but the runtime uses the stored profile.",
    );
    expect(shadowed?.detail).toContain("openclaw models auth paste-api-key --agent main --provider openrouter --profile-id openrouter:default");
    expect(findings.find((f) => f.kind === "auth.rejected")?.subject).toEqual({ agent: "main", provider: "openrouter", profile: "openrouter:default" });
  });

  it("reports billing, model-not-found and inconclusive results as probe.failed with a reason, and never leaks a key", async () => {
    const m = await runProbeMatrix(installation(), { timeoutMs: 1500 });
    const findings = probeFindings(m, Date.now());
    const byKey = (agent: string, provider: string) => findings.find((f) => f.kind === "probe.failed" && f.subject.agent === agent && f.subject.provider === provider);
    expect(byKey("misc", "xai")).toMatchObject({ severity: "critical", evidence: { reason: "billing", httpStatus: 402 } });
    expect(byKey("local", "mycorp")).toMatchObject({ severity: "critical", evidence: { reason: "no_model" } });
    expect(byKey("kimi", "moonshot")).toMatchObject({ severity: "info", evidence: { reason: "timeout", verdict: "inconclusive" } });
    expect(byKey("kimi", "together")).toMatchObject({ severity: "info", evidence: { reason: "network" } });
    expect(findings.filter((f) => f.kind === "auth.rejected").map((f) => `${f.subject.agent}/${f.subject.provider}`).sort()).toEqual(
      ["claude/google", "main/openrouter", "misc/groq", "worker/openrouter"],
    );
    expect(findings.some((f) => f.subject.provider === "openai" || f.subject.provider === "anthropic")).toBe(false);
    const dump = JSON.stringify({ m, findings, requests: fake.requests });
    for (const key of ALL_KEYS) expect(dump).not.toContain(key);
  });

  it("never has two probes of one route in flight: a second run joins the first", async () => {
    fake.setKeyBehaviour(GOOD, { kind: "ok", latencyMs: 150 });
    try {
      fake.reset();
      const limiter = new ProbeLimiter();
      const inst = installation();
      const [a, b] = await Promise.all([
        runProbeMatrix(inst, { agent: "main", provider: "openrouter", limiter }),
        runProbeMatrix(inst, { agent: "worker", provider: "openrouter", limiter }),
      ]);
      expect(a.requestsSent + b.requestsSent).toBe(2);
      expect(fake.requests.filter((r) => r.endpoint === "key")).toHaveLength(2);
      expect(row(b.rows, "worker", "openrouter", "other").result.status).toBe("ok");
    } finally {
      fake.setKeyBehaviour(GOOD, "ok");
    }
  });

  it("treats exhausted OpenRouter credit on a valid key as billing", async () => {
    const broke = `sk-or-v1-${hex("9", "0909")}`;
    fake.setKeyBehaviour(broke, { kind: "ok", limitRemaining: 0 });
    const inst = buildInstallation({ agents: [{ id: "main", models: ["openrouter/auto"], credentials: { openrouter: [profile(broke, "openrouter")] } }], baseUrls: { openrouter: `${fake.url}/api/v1` } });
    const m = await runProbeMatrix(inst);
    expect(m.rows[0]!.result).toMatchObject({ status: "billing", verdict: "fail", httpStatus: 200 });
  });
});
