import { describe, it, expect } from "@jest/globals";
import { classifyHttp, verdictOf } from "../../src/probe/classify.js";
import type { ProbeStatus } from "../../src/probe/types.js";
import { tokenCheck } from "../../src/probe/providers/token.js";
import { resolveCheck } from "../../src/probe/providers/index.js";
import { planFor } from "../../src/probe/matrix.js";
import { fakeCredential } from "../../src/fake/installation.js";

describe("classifying a provider's answer", () => {
  it.each([
    [401, '{"error":{"message":"Missing Authentication header","code":401}}', "auth"],
    [403, '{"error":{"message":"Forbidden"}}', "auth"],
    [400, '{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}', "auth"],
    [400, '{"error":{"message":"Incorrect API key provided: xai-…"}}', "auth"],
    [400, '{"error":{"message":"bad request"}}', "server"],
    [402, '{"error":{"message":"Insufficient credits","code":402}}', "billing"],
    [429, '{"error":{"message":"Rate limit exceeded"}}', "rate_limit"],
    [429, '{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota"}}', "billing"],
    [500, "oops", "server"],
    [404, "not found", "server"],
  ] as [number, string, ProbeStatus][])("HTTP %i %s → %s", (status, body, expected) => {
    expect(classifyHttp(status, body).status).toBe(expected);
  });

  it("puts the provider's own message in the reason", () => {
    expect(classifyHttp(401, '{"error":{"message":"User not found.","code":401}}').reason).toBe("HTTP 401 User not found.");
  });

  it("never lets an undecidable probe fail a route", () => {
    for (const s of ["timeout", "network", "rate_limit", "server", "unsupported"] as const) expect(verdictOf(s)).toBe("inconclusive");
    for (const s of ["auth", "billing", "no_model", "expired", "missing"] as const) expect(verdictOf(s)).toBe("fail");
    expect(verdictOf("ok")).toBe("pass");
  });
});

describe("OAuth and token credentials (no network)", () => {
  const now = Date.parse("2026-11-21T07:00:00Z");
  it("passes a token valid for days and says how long", () => {
    const c = fakeCredential("openai-codex", { key: "tok-" + "x".repeat(30), type: "oauth", expiresAt: now + 3 * 86_400_000 + 5 * 3_600_000, hasRefreshToken: true });
    expect(tokenCheck(c, now)).toMatchObject({ status: "ok", verdict: "pass", reason: "valid for 3d 5h, refresh token present" });
  });
  it("passes an expired OAuth access token the runtime can refresh", () => {
    const c = fakeCredential("openai-codex", { key: "tok-" + "x".repeat(30), type: "oauth", expiresAt: now - 3_600_000, hasRefreshToken: true });
    expect(tokenCheck(c, now).verdict).toBe("pass");
  });
  it("fails an expired token without a refresh token", () => {
    const c = fakeCredential("anthropic", { key: "sk-ant-oat01-" + "x".repeat(40), type: "token", expiresAt: now - 2 * 3_600_000 });
    expect(tokenCheck(c, now)).toMatchObject({ status: "expired", verdict: "fail", reason: "expired 2h ago" });
  });
  it("never sends an Anthropic setup token as an x-api-key", () => {
    const c = fakeCredential("anthropic", { key: "sk-ant-oat01-" + "x".repeat(40) });
    expect(planFor("anthropic", undefined, c).kind).toBe("local");
  });
});

describe("which host a probe hits", () => {
  it("uses the configured base URL override exactly, keeping the provider's own check", () => {
    const r = resolveCheck("openrouter", { provider: "openrouter", baseUrl: "http://127.0.0.1:9/api/v1", baseUrlOrigin: "builtin", custom: false });
    expect(r?.check.request(r.baseUrl, "k", {}).url).toBe("http://127.0.0.1:9/api/v1/key");
  });
  it("uses built-in hosts when nothing is configured", () => {
    const url = (p: string) => {
      const r = resolveCheck(p, undefined)!;
      return r.check.request(r.baseUrl, "k", {}).url;
    };
    expect(url("openrouter")).toBe("https://openrouter.ai/api/v1/key");
    expect(url("openai")).toBe("https://api.openai.com/v1/models");
    expect(url("anthropic")).toBe("https://api.anthropic.com/v1/models?limit=1");
    expect(url("google")).toBe("https://generativelanguage.googleapis.com/v1beta/models?pageSize=1");
    expect(url("groq")).toBe("https://api.groq.com/openai/v1/models");
    expect(url("moonshot")).toBe("https://api.moonshot.ai/v1/models");
    expect(url("ollama")).toBe("http://127.0.0.1:11434/api/tags");
  });
  it("probes a custom provider by its api, with its configured headers", () => {
    const r = resolveCheck("corp", { provider: "corp", baseUrl: "http://10.0.0.5:8000/v1/", baseUrlOrigin: "builtin", custom: true, api: "openai-completions", headers: { "x-team": "blue" } })!;
    const req = r.check.request(r.baseUrl, "secret-value", r.headers);
    expect(req.url).toBe("http://10.0.0.5:8000/v1/models");
    expect(req.headers).toMatchObject({ "x-team": "blue", authorization: "Bearer secret-value" });
    expect(resolveCheck("bedrock", { provider: "bedrock", baseUrl: "https://x", baseUrlOrigin: "builtin", custom: true, api: "bedrock-converse-stream" })).toBeNull();
    expect(resolveCheck("unknown-thing", undefined)).toBeNull();
  });
});
