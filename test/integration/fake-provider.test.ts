import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeProvider, type BehaviourKind, type FakeProvider } from "../../src/fake/provider.js";

const OR_GOOD = "sk-or-v1-" + "a".repeat(60) + "a81c";
const OR_STALE = "sk-or-v1-" + "b".repeat(60) + "04f4";
const GEMINI_BAD = "AIza" + "B".repeat(35);

describe("loopback fake provider", () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider({ keys: { [OR_GOOD]: "ok", [GEMINI_BAD]: "400-api-key-invalid" } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("answers OpenRouter's key check for a valid key and rejects a missing or unknown key with OpenRouter's bodies", async () => {
    const ok = await fetch(`${fake.url}/api/v1/key`, { headers: { authorization: `Bearer ${OR_GOOD}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { limit_remaining: number } }).data.limit_remaining).toBeGreaterThan(0);

    const missing = await fetch(`${fake.url}/api/v1/key`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { message: "Missing Authentication header", code: 401 } });

    const unknown = await fetch(`${fake.url}/api/v1/key`, { headers: { authorization: `Bearer ${OR_STALE}` } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: { message: "User not found.", code: 401 } });
  });

  it("plays Anthropic, Gemini, OpenAI-style and Ollama auth checks", async () => {
    fake.setKeyBehaviour("sk-ant-api03-good", "ok");
    const ant = await fetch(`${fake.url}/v1/models?limit=1`, { headers: { "x-api-key": "sk-ant-api03-good", "anthropic-version": "2023-06-01" } });
    expect(ant.status).toBe(200);
    expect(((await ant.json()) as { has_more: boolean }).has_more).toBe(false);

    const gem = await fetch(`${fake.url}/v1beta/models?pageSize=1`, { headers: { "x-goog-api-key": GEMINI_BAD } });
    expect(gem.status).toBe(400);
    expect(JSON.stringify(await gem.json())).toContain("API_KEY_INVALID");

    const gemQuery = await fetch(`${fake.url}/v1beta/models?pageSize=1&key=${GEMINI_BAD}`);
    expect(gemQuery.status).toBe(400);
    const recorded = fake.requests[fake.requests.length - 1]!;
    expect(recorded.authStyle).toBe("query-key");
    expect(recorded.path).toBe("/v1beta/models?pageSize=1");

    const oai = await fetch(`${fake.url}/v1/models`, { headers: { authorization: "Bearer sk-unknown-key-000000000" } });
    expect(oai.status).toBe(401);
    expect(((await oai.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");

    const tags = await fetch(`${fake.url}/api/tags`);
    expect(tags.status).toBe(200);
    expect(((await tags.json()) as { models: unknown[] }).models.length).toBeGreaterThan(0);
  });

  it.each<[BehaviourKind, number, string]>([
    ["403", 403, "Forbidden"],
    ["402", 402, "Insufficient credits"],
    ["429", 429, "Rate limit"],
    ["429-quota", 429, "requests per day"],
    ["500", 500, "Internal server error"],
  ])("returns %s with the provider's error body", async (kind, status, text) => {
    const key = `sk-test-${kind}-0000000000000000`;
    fake.setKeyBehaviour(key, kind);
    const res = await fetch(`${fake.url}/api/v1/key`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(text);
    if (status === 429) expect(res.headers.get("retry-after")).toBe("1");
  });

  it("reports exhausted OpenRouter credit through limit_remaining", async () => {
    const key = "sk-or-v1-" + "c".repeat(64);
    fake.setKeyBehaviour(key, { kind: "ok", limitRemaining: 0 });
    const res = await fetch(`${fake.url}/api/v1/key`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await res.json()) as { data: { limit_remaining: number } }).data.limit_remaining).toBe(0);
  });

  it("runs a non-streamed chat completion and counts its tokens", async () => {
    const before = fake.counters.completions;
    const res = await fetch(`${fake.url}/api/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${OR_GOOD}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openrouter/auto", messages: [{ role: "user", content: "Say PONG" }] }),
    });
    const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
    expect(body.choices[0]!.message.content).toBe("PONG");
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(fake.counters.completions).toBe(before + 1);
    expect(fake.counters.completionTokens).toBeGreaterThan(0);
  });

  it("streams SSE chunks ending in [DONE], and an empty completion for a model set to empty", async () => {
    fake.setModelBehaviour("fake/empty", "empty");
    fake.setModelBehaviour("fake/custom", { kind: "ok", text: "hello there" });
    const run = async (model: string): Promise<{ text: string; raw: string }> => {
      const res = await fetch(`${fake.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${OR_GOOD}`, "content-type": "application/json" },
        body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const raw = await res.text();
      let text = "";
      for (const line of raw.split("\n")) {
        if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
        const chunk = JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] };
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      return { text, raw };
    };
    const custom = await run("fake/custom");
    expect(custom.text).toBe("hello there");
    expect(custom.raw.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect((await run("fake/empty")).text).toBe("");
  });

  it("hangs until the client gives up, and honours latency", async () => {
    fake.setKeyBehaviour("sk-hang-000000000000000000", "hang");
    await expect(
      fetch(`${fake.url}/v1/models`, { headers: { authorization: "Bearer sk-hang-000000000000000000" }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    fake.setKeyBehaviour("sk-slow-000000000000000000", { kind: "ok", latencyMs: 120 });
    const t0 = Date.now();
    const res = await fetch(`${fake.url}/v1/models`, { headers: { authorization: "Bearer sk-slow-000000000000000000" } });
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
  });

  it("records fingerprints of credentials, never the keys themselves", () => {
    const dump = JSON.stringify(fake.requests);
    expect(fake.requests.length).toBeGreaterThan(5);
    for (const key of [OR_GOOD, OR_STALE, GEMINI_BAD]) expect(dump).not.toContain(key);
    expect(dump).toContain("…a81c");
  });
});

describe("fake provider as its own process", () => {
  const main = resolve("dist/src/fake/provider-main.js");
  it("prints its URL, serves the configured keys and stops on SIGTERM", async () => {
    expect(existsSync(main)).toBe(true); // npm test builds first
    const dir = mkdtempSync(join(tmpdir(), "fakeprov-"));
    const cfg = join(dir, "fake.json");
    writeFileSync(cfg, JSON.stringify({ keys: { [OR_GOOD]: "ok" }, answer: "PONG" }));
    const child = spawn(process.execPath, [main, "--port", "0", "--config", cfg], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const line = await new Promise<string>((res, rej) => {
        child.stdout.once("data", (d: Buffer) => res(d.toString()));
        child.once("exit", (code) => rej(new Error(`exited ${code}`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      const ok = await fetch(`${url}/api/v1/key`, { headers: { authorization: `Bearer ${OR_GOOD}` } });
      expect(ok.status).toBe(200);
      const stats = (await (await fetch(`${url}/__fake/stats`)).json()) as { counters: { authChecks: number }; requests: unknown[] };
      expect(stats.counters.authChecks).toBe(1);
      expect(JSON.stringify(stats)).not.toContain(OR_GOOD);
      const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
