// Findings that repeat per agent are one line past a threshold: the count, a few examples, the fix
// for one of them — never one line per agent.
import { describe, it, expect } from "@jest/globals";
import { makeFinding, type Finding } from "../../src/checks/finding.js";
import { REPEAT_THRESHOLD, summarizeRepeats } from "../../src/checks/summarize.js";

const AT = Date.parse("2026-11-30T06:00:00Z");
const pinned = (agent: string): Finding =>
  makeFinding({ kind: "config.shadowed-default", severity: "info", subject: { agent }, summary: `agent ${agent} runs acme/mock-ok`, detail: `openclaw config unset agents.entries.${agent}.model`, at: AT });

describe("summarising findings that repeat per agent", () => {
  it("keeps per-agent lines up to the threshold", () => {
    const few = Array.from({ length: REPEAT_THRESHOLD }, (_, i) => pinned(`a${i}`));
    expect(summarizeRepeats(few)).toEqual(few);
  });

  it("turns 43,505 agents into one line with the count and three examples, leaving other findings alone", () => {
    const many = Array.from({ length: 43_505 }, (_, i) => pinned(`agent${String(i).padStart(5, "0")}`));
    const other = makeFinding({ kind: "env.duplicate-key", severity: "warning", subject: { file: "/x/.env" }, summary: "dup", at: AT });
    const out = summarizeRepeats([...many, other]);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(other);
    const s = out[1]!;
    expect(s.kind).toBe("config.shadowed-default");
    expect(s.severity).toBe("info");
    expect(s.summary).toBe("43,505 agents pin their own model (agents.defaults.model does not reach them) — e.g. agent00000, agent00001, agent00002, …");
    expect(s.detail).toBe("For agent00000: openclaw config unset agents.entries.agent00000.model (the same applies to each of the 43,505 agents)");
    expect(s.evidence).toEqual({ agents: 43_505, examples: ["agent agent00000 runs acme/mock-ok", "agent agent00001 runs acme/mock-ok", "agent agent00002 runs acme/mock-ok"] });
    // One incident however the count moves.
    expect(summarizeRepeats(many.slice(1))[0]!.key).toBe(s.key);
  });

  it("summarises each severity apart, so a warning never hides inside an info count", () => {
    const infos = Array.from({ length: 30 }, (_, i) => pinned(`i${i}`));
    const warns = Array.from({ length: 30 }, (_, i) => ({ ...pinned(`w${i}`), severity: "warning" as const }));
    const out = summarizeRepeats([...infos, ...warns]);
    expect(out.map((f) => `${f.severity} ${f.summary.split(" agents")[0]}`).sort()).toEqual(["info 30", "warning 30"]);
  });
});
