import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseLogLine, logSignal, logFilesIn, logLocation, lineOfInterest } from "../../src/openclaw/gateway-log.js";
import { parseTranscriptLine, isEmptyFinishedTurn, isSilentOnPurpose, isVisibleReply } from "../../src/openclaw/transcripts.js";
import { parseSessionsJson } from "../../src/openclaw/sessions.js";

const FIX = join(process.cwd(), "test/fixtures/runs/oc-2026.9.6");
const KEY = "sk-or-v1-" + "0123456789abcdef".repeat(4);

describe("gateway log lines (real 2026.9.6 output)", () => {
  const lines = readFileSync(join(FIX, "openclaw.log"), "utf8").split("\n").filter(Boolean);
  const events = lines.map((l, i) => parseLogLine(l, "openclaw.log", i)).filter((e) => e !== null);
  const signals = events.map((e) => logSignal(e!)).filter((s) => s !== null);

  it("parses every line with a time, level and subsystem", () => {
    expect(events.length).toBe(lines.length);
    for (const e of events) {
      expect(Number.isFinite(e!.at)).toBe(true);
      expect(e!.level).toMatch(/^(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)$/);
    }
    expect(events.some((e) => e!.subsystem === "agent/embedded")).toBe(true);
  });

  it("reads the 401 as a fetch failure, a run failure and a new cooldown window", () => {
    expect(signals).toContainEqual(expect.objectContaining({ type: "fetch-failure", provider: "mockbad", status: 401, model: "mock-ok" }));
    expect(signals).toContainEqual(expect.objectContaining({ type: "run-failure", provider: "mockbad", reason: "auth", runId: "c67209ed-c9e1-4874-b7d1-44faa8743589" }));
    expect(signals).toContainEqual(expect.objectContaining({ type: "cooldown-window", provider: "mockbad", reason: "auth", reused: false, windowType: "cooldown" }));
  });

  it("reads the empty completion as empty-reply signatures with run, session and provider", () => {
    const empties = signals.filter((s) => s!.type === "empty-reply");
    expect(empties.map((s) => (s as { signature: string }).signature)).toEqual(
      expect.arrayContaining(["empty response detected", "incomplete turn detected"]),
    );
    expect(empties[0]).toMatchObject({ runId: "d48685ad-6d7f-4fbd-a8fd-2a475970691e", sessionId: "39b9c87d-cf85-481f-9ef8-a85b09129b08", provider: "mock", model: "mock-empty" });
  });

  it("reads a transient same-model retry", () => {
    expect(signals).toContainEqual(expect.objectContaining({ type: "retry", provider: "mock", model: "mock-hang", attempt: 1, max: 8 }));
  });

  it("finds the agent of a lane line", () => {
    const lane = events.find((e) => e!.message.startsWith("lane task error: lane=session:agent:bad:"));
    expect(lane?.agent).toBe("bad");
  });

  it("the byte pre-filter keeps every line that carries a signal", () => {
    for (const [i, l] of lines.entries()) {
      const sig = logSignal(parseLogLine(l, "f", i)!);
      if (sig && sig.type !== "run-ok") expect(lineOfInterest(Buffer.from(l))).toBe(true);
    }
  });

  it("builds the text of a 4.14 line (no top-level message) from its arguments", () => {
    const line = JSON.stringify({ "0": '{"subsystem":"agent/embedded"}', "1": "incomplete turn detected: runId=r1 sessionId=s1 stopReason=stop payloads=0 — surfacing error to user", _meta: { logLevelName: "WARN", date: "2026-04-20T10:00:00.000Z" }, time: "2026-04-20T10:00:00.000Z" });
    const e = parseLogLine(line, "f", 0)!;
    expect(e.message).toMatch(/^incomplete turn detected/);
    expect(logSignal(e)).toMatchObject({ type: "empty-reply", runId: "r1", sessionId: "s1" });
    const plain = parseLogLine(JSON.stringify({ "0": "[model-fetch] response provider=openrouter api=x model=auto status=401 elapsedMs=3", _meta: { logLevelName: "INFO" }, time: "2026-04-20T10:00:00Z" }), "f", 1)!;
    expect(logSignal(plain)).toMatchObject({ type: "fetch-failure", provider: "openrouter", status: 401 });
  });

  it("redacts keys in log text and structured fields", () => {
    const line = JSON.stringify({ "0": '{"subsystem":"agent/embedded"}', "1": { event: "embedded_run_agent_end", isError: true, provider: "openrouter", error: `401 bad key ${KEY}`, rawErrorPreview: `Bearer ${KEY}` }, "2": "embedded run agent end", time: "2026-04-20T10:00:00Z" });
    const e = parseLogLine(line, "f", 0)!;
    expect(JSON.stringify(e)).not.toContain(KEY);
    expect(JSON.stringify(logSignal(e))).not.toContain(KEY);
  });

  it("treats binary junk as nothing and plain text as a text event", () => {
    expect(parseLogLine("\u0000\u0001\u0002garbage", "f", 0)).toBeNull();
    expect(parseLogLine("not json at all", "f", 0)).toMatchObject({ level: "unknown", message: "not json at all" });
    expect(parseLogLine('{"truncated": "json', "f", 0)).toMatchObject({ level: "unknown" });
  });

  it("lists daily files and size-rotation archives oldest first", () => {
    const loc = logLocation({ tmp: "/tmp/x" });
    expect(loc).toEqual({ dir: "/tmp/x/openclaw", file: null, prefix: "openclaw" });
    const names = ["openclaw-2026-11-21.log", "openclaw-2026-11-20.log", "openclaw-2026-11-21.1.log", "openclaw-2026-11-21.2.log", "other.log", "openclaw-work-2026-11-21.log"];
    expect(logFilesIn(loc, names).map((p) => p.split("/").pop())).toEqual([
      "openclaw-2026-11-20.log", "openclaw-2026-11-21.2.log", "openclaw-2026-11-21.1.log", "openclaw-2026-11-21.log",
    ]);
    const fixed = logLocation({ logFile: "/var/log/oc/gw.log" });
    expect(logFilesIn(fixed, ["gw.log", "gw.1.log", "gw.3.log", "gwx.log"]).map((p) => p.split("/").pop())).toEqual(["gw.3.log", "gw.1.log", "gw.log"]);
    expect(logLocation({ tmp: "/t", profile: "work" }).prefix).toBe("openclaw-work");
  });
});

describe("transcript entries", () => {
  const ctx = { agent: "steve", sessionId: "s1", cursor: "c" };
  const line = (message: Record<string, unknown>) => JSON.stringify({ type: "message", id: "x", timestamp: "2026-11-21T12:00:00.000Z", message });

  it("the 4.14 401 turn is an empty finished turn with its redacted error", () => {
    const r = parseTranscriptLine(line({ role: "assistant", content: [], provider: "openrouter", model: "auto", stopReason: "error", errorMessage: `401 Missing Authentication header (key ${KEY})` }), ctx)!;
    expect(isEmptyFinishedTurn(r)).toBe(true);
    expect(r.errorMessage).toMatch(/^401 Missing Authentication header/);
    expect(r.errorMessage).not.toContain(KEY);
  });

  it("whitespace-only and thinking-only turns are empty; a tool-use stop is not finished", () => {
    expect(isEmptyFinishedTurn(parseTranscriptLine(line({ role: "assistant", content: [{ type: "text", text: "  \n" }], stopReason: "stop" }), ctx)!)).toBe(true);
    const thinking = parseTranscriptLine(line({ role: "assistant", content: [{ type: "thinking", thinking: "hmm" }], stopReason: "stop" }), ctx)!;
    expect(thinking.hasThinking).toBe(true);
    expect(isEmptyFinishedTurn(thinking)).toBe(true);
    expect(isEmptyFinishedTurn(parseTranscriptLine(line({ role: "assistant", content: [{ type: "toolCall", name: "exec", arguments: {} }], stopReason: "toolUse" }), ctx)!)).toBe(false);
  });

  it("NO_REPLY / HEARTBEAT_OK are silence on purpose and a message-tool call delivers the answer", () => {
    const silent = parseTranscriptLine(line({ role: "assistant", content: [{ type: "text", text: "NO_REPLY" }], stopReason: "stop" }), ctx)!;
    expect(isSilentOnPurpose(silent)).toBe(true);
    const hb = parseTranscriptLine(line({ role: "assistant", content: "HEARTBEAT_OK", stopReason: "stop" }), ctx)!;
    expect(isSilentOnPurpose(hb)).toBe(true);
    const viaTool = parseTranscriptLine(line({ role: "assistant", content: [{ type: "toolCall", name: "message", arguments: { text: "hi" } }], stopReason: "toolUse", __openclaw: { runId: "r9" } }), ctx)!;
    expect(viaTool.usedMessageTool).toBe(true);
    expect(viaTool.runId).toBe("r9");
  });

  it("a visible answer is a visible reply; model_change and model-snapshot carry the route", () => {
    expect(isVisibleReply(parseTranscriptLine(line({ role: "assistant", content: [{ type: "text", text: "PONG" }], stopReason: "stop" }), ctx)!)).toBe(true);
    expect(parseTranscriptLine(JSON.stringify({ type: "model_change", provider: "mock", modelId: "mock-hang" }), ctx)).toMatchObject({ role: "other", provider: "mock", model: "mock-hang" });
    expect(parseTranscriptLine(JSON.stringify({ type: "custom", customType: "model-snapshot", data: { provider: "p", modelId: "m" } }), ctx)).toMatchObject({ role: "other", provider: "p", model: "m" });
    expect(parseTranscriptLine("{broken", ctx)).toBeNull();
    expect(parseTranscriptLine(JSON.stringify({ type: "session", version: 3 }), ctx)).toBeNull();
  });

  it("reads sessions.json (4.14 shape) into run states", () => {
    const text = JSON.stringify({
      "agent:main:main": { sessionId: "a956", updatedAt: 1795264307041, modelProvider: "mock", model: "mock-ok" },
      "agent:hang:openai-user:stuck414": { sessionId: "cb4f", updatedAt: 1795264745682, status: "running", startedAt: 1795264745671, modelProvider: "mock", model: "mock-hang" },
    });
    expect(parseSessionsJson(text, "hang")).toEqual([
      { agent: "hang", sessionKey: "agent:main:main", sessionId: "a956", status: null, queued: 0, updatedAt: 1795264307041, model: "mock-ok", provider: "mock" },
      { agent: "hang", sessionKey: "agent:hang:openai-user:stuck414", sessionId: "cb4f", status: "running", queued: 0, startedAt: 1795264745671, updatedAt: 1795264745682, model: "mock-hang", provider: "mock" },
    ]);
    expect(() => parseSessionsJson("[]", "x")).toThrow(/not a JSON object/);
  });
});
