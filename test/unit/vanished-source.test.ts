// A missing datum is unknown, never resolved: a source that disappears under a running daemon
// leaves its incidents open and `unknown`, with no resolve; a later real read judges them again.
import { describe, it, expect } from "@jest/globals";
import { makeFinding, type Finding } from "../../src/checks/finding.js";
import { ManualClock } from "../../src/util/clock.js";
import { HealthTracker } from "../../src/health/tracker.js";
import { keepLastKnownGateway, unobservedBy } from "../../src/daemon/unobserved.js";
import type { Installation } from "../../src/openclaw/types.js";

const HOME = "/home/u";
const CONFIG = "/home/u/.openclaw/openclaw.json";
const paths = { stateDir: "/home/u/.openclaw", configPath: CONFIG, chosenBy: "default", home: HOME };
const STORE = "/home/u/.openclaw/agents/main/agent/auth-profiles.json";
const SNAPSHOT_KINDS = ["secret.plaintext", "config.invalid", "config.shadowed-default"];

const plaintext = (at: number): Finding =>
  makeFinding({ kind: "secret.plaintext", severity: "warning", subject: { file: CONFIG, provider: "openrouter" }, summary: "openrouter key stored in plain text", at });
const invalid = (at: number): Finding => makeFinding({ kind: "config.invalid", severity: "critical", subject: { file: CONFIG }, summary: "openclaw.json is not valid JSON5", at });

function snapshotRound(tracker: HealthTracker, findings: Finding[], inst: Pick<Installation, "config" | "issues" | "paths">, exists: (f: string) => boolean = () => true) {
  return tracker.report({ source: "snapshot", findings, covers: [{ kinds: SNAPSHOT_KINDS }], unobserved: unobservedBy(inst, exists) });
}

describe("a source that vanishes under a running daemon", () => {
  it("leaves its incidents open and unknown while openclaw.json does not parse, and resolves them only after a real read", () => {
    const clock = new ManualClock();
    const tracker = new HealthTracker({ clock, policies: { default: { failureThreshold: 1 } } });
    const healthy = { config: {}, issues: [], paths };
    const opened = snapshotRound(tracker, [plaintext(clock.now())], healthy);
    expect(opened.map((t) => t.type)).toEqual(["opened"]);

    clock.advance(60_000);
    const broken = { config: null, issues: [{ kind: "config.invalid" as const, file: CONFIG, message: "not valid JSON5" }], paths };
    const whileBroken = snapshotRound(tracker, [invalid(clock.now())], broken);
    expect(whileBroken.filter((t) => t.type === "resolved")).toEqual([]);
    expect(whileBroken.map((t) => t.incident.kind)).toEqual(["config.invalid"]);
    const key = plaintext(0).key;
    expect(tracker.stateOf(key)).toBe("unknown");
    expect(tracker.openIncidents().map((i) => i.kind).sort()).toEqual(["config.invalid", "secret.plaintext"]);
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      expect(snapshotRound(tracker, [invalid(clock.now())], broken)).toEqual([]);
    }

    // Repaired, and the key moved out: observed gone, so now it resolves.
    const fixed: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      fixed.push(...snapshotRound(tracker, [], healthy).filter((t) => t.type === "resolved").map((t) => t.incident.kind));
    }
    expect(fixed.sort()).toEqual(["config.invalid", "secret.plaintext"]);
  });

  it("treats a finding about a deleted or unreadable file as unknown, and the read failure itself as observed", () => {
    const gone = unobservedBy({ config: {}, issues: [], paths }, (f) => f !== STORE);
    // Findings name files the way people read them: ~/… and a #path inside the file.
    expect(gone("k", { file: "~/.openclaw/agents/main/agent/auth-profiles.json#profiles.openrouter:default.key" }, "secret.plaintext")).toBe(true);
    expect(gone("k", { file: "~/.openclaw/openclaw.json#env.OPENROUTER_API_KEY" }, "secret.plaintext")).toBe(false);
    expect(gone("k", { file: STORE }, "secret.plaintext")).toBe(true);
    expect(gone("k", { file: CONFIG }, "secret.plaintext")).toBe(false);
    expect(gone("k", { agent: "main" }, "config.shadowed-default")).toBe(false);
    const unreadable = unobservedBy({ config: {}, issues: [{ kind: "state.unreadable", file: STORE, message: "EACCES" }], paths }, () => true);
    expect(unreadable("k", { file: `${STORE}` }, "secret.plaintext")).toBe(true);
    expect(unreadable("k", { file: STORE }, "state.unreadable")).toBe(false);
    const noConfig = unobservedBy({ config: null, issues: [], paths });
    expect(noConfig("k", { agent: "main" }, "config.shadowed-default")).toBe(true);
    expect(noConfig("k", { file: CONFIG }, "config.invalid")).toBe(false);
  });

  it("keeps probing the gateway openclaw.json last named while it cannot be read", () => {
    const gw = (port: number) => ({ port, url: `http://127.0.0.1:${port}` }) as Installation["gateway"];
    const before = { config: {}, gateway: gw(40123) } as Installation;
    const broken = { config: null, gateway: gw(18789) } as Installation;
    expect(keepLastKnownGateway(before, broken).gateway.port).toBe(40123);
    expect(keepLastKnownGateway(undefined, { config: null, gateway: gw(18789) } as Installation).gateway.port).toBe(18789);
    expect(keepLastKnownGateway(before, { config: {}, gateway: gw(40200) } as Installation).gateway.port).toBe(40200);
  });
});
