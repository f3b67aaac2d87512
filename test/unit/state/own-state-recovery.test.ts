// clawpatrol's own state: per-install dirs with a one-time adoption of the old layout, remedy state
// replayed from the audit journal, and secret fingerprints re-keyed after the salt is lost.
import { describe, it, expect, afterEach } from "@jest/globals";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installStateDir, prepareInstallState } from "../../../src/state/install-dir.js";
import { remedyStateFromAudit } from "../../../src/remedy/rebuild.js";
import { rekeyLeaves } from "../../../src/state/salt-rekey.js";
import type { AuditRecord } from "../../../src/remedy/types.js";

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "cp-own-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("per-install state", () => {
  it("gives two OpenClaw state dirs two clawpatrol dirs, each naming its install", () => {
    const cp = tmp();
    const a = prepareInstallState({ clawpatrolDir: cp, openclawStateDir: "/home/u/.openclaw", statusPath: join(cp, "status.json"), now: 1 });
    const b = prepareInstallState({ clawpatrolDir: cp, openclawStateDir: "/home/u/.openclaw-work", statusPath: join(cp, "status.json"), now: 1 });
    expect(a.dir).not.toBe(b.dir);
    expect(JSON.parse(readFileSync(join(a.dir, "install.json"), "utf8")).openclawStateDir).toBe("/home/u/.openclaw");
    expect(a.adopted).toEqual([]);
  });

  it("adopts the old single-install files into the install the last status file names, even when another starts first", () => {
    const cp = tmp();
    writeFileSync(join(cp, "health.json"), '{"version":1,"members":[],"open":[]}');
    mkdirSync(join(cp, "notify", "spool", "mbox"), { recursive: true });
    writeFileSync(join(cp, "notify", "spool", "mbox", "000000000001-x.json"), "{}");
    writeFileSync(join(cp, "status.json"), JSON.stringify({ openclaw: { stateDir: "/srv/a/.openclaw" } }));
    const b = prepareInstallState({ clawpatrolDir: cp, openclawStateDir: "/srv/b/.openclaw", statusPath: join(cp, "status.json"), now: 5 });
    expect(b.adopted).toEqual(["health.json", "notify"]);
    expect(b.adoptedBy).toBe("/srv/a/.openclaw");
    expect(existsSync(join(b.dir, "health.json"))).toBe(false);
    const a = installStateDir(cp, "/srv/a/.openclaw");
    expect(existsSync(join(a, "health.json"))).toBe(true);
    expect(existsSync(join(a, "notify", "spool", "mbox", "000000000001-x.json"))).toBe(true);
    expect(existsSync(join(cp, "health.json"))).toBe(false);
    // Once adopted, nothing is left to adopt.
    expect(prepareInstallState({ clawpatrolDir: cp, openclawStateDir: "/srv/a/.openclaw", statusPath: join(cp, "status.json"), now: 6 }).adopted).toEqual([]);
  });

  it("without a status file the old files go to the install that starts (the only one the old daemon watched)", () => {
    const cp = tmp();
    writeFileSync(join(cp, "remedy-state.json"), "{}");
    const a = prepareInstallState({ clawpatrolDir: cp, openclawStateDir: "/srv/a/.openclaw", statusPath: join(cp, "status.json"), now: 5 });
    expect(a.ownerFrom).toBe("assumed");
    expect(existsSync(join(a.dir, "remedy-state.json"))).toBe(true);
  });
});

const rec = (r: Partial<AuditRecord> & Pick<AuditRecord, "opId" | "phase" | "op">): AuditRecord => ({ at: "2026-11-21T07:00:00.000Z", who: "clawpatrol", why: ["route:main/openrouter"], ...r });

describe("remedy state from the audit journal", () => {
  it("keeps an active fallback with its first original, the switch times and gateway restarts", () => {
    const path = "agents.list.0.model";
    const records: AuditRecord[] = [
      rec({ opId: "o1", phase: "intent", op: "fallback", agent: "main", path, before: "openrouter/auto", after: "acme/a", at: "2026-11-21T07:00:00.000Z" }),
      rec({ opId: "o1", phase: "result", op: "fallback", agent: "main", path, before: "openrouter/auto", after: "acme/a", result: "ok", at: "2026-11-21T07:00:01.000Z" }),
      rec({ opId: "o2", phase: "intent", op: "fallback", agent: "main", path, before: "acme/a", after: "acme/b", at: "2026-11-21T08:00:00.000Z" }),
      rec({ opId: "o2", phase: "result", op: "fallback", agent: "main", path, before: "acme/a", after: "acme/b", result: "ok", at: "2026-11-21T08:00:01.000Z" }),
      rec({ opId: "o3", phase: "intent", op: "fallback", agent: "writer", path: "agents.list.1.model", before: "x/y", after: "acme/a", at: "2026-11-21T08:30:00.000Z" }),
      rec({ opId: "o3", phase: "result", op: "fallback", agent: "writer", result: "ok", path: "agents.list.1.model", before: "x/y", after: "acme/a", at: "2026-11-21T08:30:01.000Z" }),
      rec({ opId: "o4", phase: "intent", op: "restore", agent: "writer", path: "agents.list.1.model", before: "acme/a", after: "x/y", at: "2026-11-21T09:00:00.000Z" }),
      rec({ opId: "o4", phase: "result", op: "restore", agent: "writer", result: "ok", path: "agents.list.1.model", before: "acme/a", after: "x/y", at: "2026-11-21T09:00:01.000Z" }),
      rec({ opId: "g1", phase: "intent", op: "gateway-restart", at: "2026-11-21T09:10:00.000Z" }),
      rec({ opId: "g1", phase: "result", op: "gateway-restart", result: "ok", at: "2026-11-21T09:10:05.000Z" }),
      rec({ opId: "s1", phase: "result", op: "silence", who: "user", why: ["sil-1"], at: "2026-11-21T09:20:00.000Z" }),
    ];
    const state = remedyStateFromAudit(records);
    expect(Object.keys(state.active)).toEqual(["main"]);
    expect(state.active.main).toMatchObject({ original: "openrouter/auto", originalRef: "openrouter/auto", applied: "acme/b", appliedRef: "acme/b", opId: "o2" });
    expect(state.switches.main).toHaveLength(2);
    expect(state.switches.writer).toHaveLength(1);
    expect(state.gatewayRestarts).toEqual([Date.parse("2026-11-21T09:10:00.000Z")]);
    expect(state.pending).toBeNull();
  });

  it("hands a switch that never got a result to crash recovery", () => {
    const state = remedyStateFromAudit([rec({ opId: "o1", phase: "intent", op: "fallback", agent: "main", path: "p", before: { primary: "a/b" }, after: { primary: "c/d" } })]);
    expect(state.pending).toMatchObject({ opId: "o1", op: "fallback", originalRef: "a/b", appliedRef: "c/d" });
    expect(state.active).toEqual({});
  });
});

describe("re-keying secret fingerprints after a new salt", () => {
  it("takes the new fingerprint where both sides hold a secret and leaves every other difference to drift", () => {
    const base = { "models.providers.openrouter.apiKey": "secret:sk-or-…04f4 #aaaa", "agents.defaults.model": "openrouter/auto", "env.OLD": "secret:x #1" };
    const now = { "models.providers.openrouter.apiKey": "secret:sk-or-…04f4 #bbbb", "agents.defaults.model": "acme/x", "env.NEW": "secret:y #2" };
    const { leaves, changed } = rekeyLeaves(base, now);
    expect(changed).toBe(1);
    expect(leaves).toEqual({ "models.providers.openrouter.apiKey": "secret:sk-or-…04f4 #bbbb", "agents.defaults.model": "openrouter/auto", "env.OLD": "secret:x #1" });
  });
});
