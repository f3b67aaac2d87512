import { describe, it, expect } from "@jest/globals";
import { renderMessage, formatDuration } from "../../../src/notify/render.js";
import { LEAKED_KEY, T0, incident } from "./fixtures.js";

describe("what an alert says", () => {
  const inc = incident({ id: "inc-1", actions: ["switched main to openai-codex/gpt-5.4 at 07:48"] });

  it("names host, agent and problem in the subject, in plain words", () => {
    const m = renderMessage({ type: "firing", host: "host-a", incidents: [inc], createdAt: T0 + 2 * 60_000, threadId: "inc-1" });
    expect(m.subject).toBe("main on host-a: OpenRouter rejects the stored key (401) — env key works");
    expect(m.id).toBe("inc-1:firing:0");
    expect(m.severity).toBe("critical");
  });

  it("gives since-when, evidence, what was done and the command to fix — never the key", () => {
    const m = renderMessage({ type: "firing", host: "host-a", incidents: [inc], createdAt: T0 + 2 * 60_000, threadId: "inc-1" });
    expect(m.text).toContain("since 07:46 UTC, 21 Nov 2026 (2 min)");
    expect(m.text).toContain("status: 401");
    expect(m.text).toContain("storedKey: sk-or-v1-…04f4 #1a2b3c4d");
    expect(m.text).toContain("- switched main to openai-codex/gpt-5.4 at 07:48");
    expect(m.text).toContain("To fix:\n    openclaw models auth login --provider openrouter --agent main");
    expect(m.text).toMatch(/apiKey: sk-or-v1-…cdef #[0-9a-f]{8}/);
    for (const s of [m.text, m.html, JSON.stringify(m.incidents)]) expect(s).not.toContain(LEAKED_KEY);
  });

  it("an evidence value that is absent (undefined) shows as such and never breaks the message", () => {
    const odd = incident({ id: "inc-u", evidence: { openclawSaid: { defaultModel: "x/y", modelConfig: undefined } } });
    const m = renderMessage({ type: "firing", host: "h", incidents: [odd], createdAt: T0, threadId: "inc-u" });
    expect(m.text).toContain("openclawSaid.modelConfig: undefined");
  });

  it("says resolved, still failing, and how many more in the subject", () => {
    const two = [inc, incident({ id: "inc-2", kind: "probe.failed", summary: "main: Anthropic answers 529" })];
    expect(renderMessage({ type: "firing", host: "h", incidents: two, createdAt: T0, threadId: "inc-1" }).subject).toBe(
      "main on h: OpenRouter rejects the stored key (401) — env key works (+1 more)",
    );
    const r = renderMessage({ type: "resolved", host: "h", incidents: [{ ...inc, resolvedAt: new Date(T0 + 3_600_000).toISOString() }], createdAt: T0 + 3_600_000, threadId: "inc-1" });
    expect(r.subject).toMatch(/^Resolved — main on h: /);
    expect(r.text).toContain("resolved 08:46 UTC, 21 Nov 2026 after 1 h");
    const rem = renderMessage({ type: "reminder", host: "h", incidents: [inc], createdAt: T0 + 4 * 3_600_000, threadId: "inc-1", reminder: 1 });
    expect(rem.subject).toMatch(/^Still failing — main on h: /);
    expect(rem.text).toContain("Still failing after 4 h (reminder 1).");
    expect(rem.id).toBe("inc-1:reminder:1");
  });

  it("leads with the most severe incident, never hiding a critical one under (+N more)", () => {
    const drift = incident({ id: "inc-3", kind: "config.drift", severity: "warning", summary: "#auth-store was deleted" });
    const invalid = incident({ id: "inc-4", kind: "config.invalid", severity: "critical", summary: "openclaw.json is not valid JSON5 at line 1" });
    const m = renderMessage({ type: "firing", host: "h", incidents: [drift, invalid], createdAt: T0, threadId: "inc-3" });
    expect(m.subject).toBe("main on h: openclaw.json is not valid JSON5 at line 1 (+1 more)");
    expect(m.text.indexOf("config.invalid")).toBeLessThan(m.text.indexOf("config.drift"));
    expect(m.id).toBe("inc-3:firing:0");
  });

  it("drops a leading agent name from the summary so the subject does not repeat it", () => {
    const m = renderMessage({ type: "firing", host: "h", incidents: [incident({ id: "x", summary: "main: Anthropic answers 529" })], createdAt: T0, threadId: "x" });
    expect(m.subject).toBe("main on h: Anthropic answers 529");
    const route = (summary: string) => renderMessage({ type: "firing", host: "h", incidents: [incident({ id: "y", summary })], createdAt: T0, threadId: "y" }).subject;
    expect(route("main → openrouter: OpenRouter probe timed out")).toBe("main on h: OpenRouter probe timed out");
    expect(route("main → anthropic: probe timed out")).toBe("main on h: anthropic: probe timed out");
  });

  it("formats durations for people", () => {
    expect(formatDuration(30_000)).toBe("30 s");
    expect(formatDuration(125 * 60_000)).toBe("2 h 5 min");
    expect(formatDuration(50 * 3_600_000)).toBe("2 d 2 h");
  });
});
