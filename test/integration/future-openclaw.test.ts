// OpenClaw versions no test here can install (2026.10+): fixtures derived from the real 2026.9.6 one
// (scripts/derive-fixtures.ts) with the version and schemas bumped, and with columns and a table
// renamed. `check` says which version was verified and what it assumes; nothing it could not read
// reads as OK.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import { snapshotFindings } from "../../src/sources.js";
import { fixtureHome, fixtureSecrets, fixtureState } from "./adapter-fixtures.js";
import { hasStackTrace, requireBuild, runCli } from "./cli-runner.js";

beforeAll(requireBuild);

interface Shown {
  kind: string;
  severity: string;
  subject: Record<string, string>;
  summary: string;
  detail?: string;
}

const check = (fixture: string, extra: string[] = []) => runCli(["check", "--offline", "--state-dir", fixtureState(fixture), ...extra], fixtureHome(fixture));

describe("an OpenClaw newer than any clawpatrol was verified on (2026.11.2, state schema 19, agent schema 24)", () => {
  const fixture = "derived-2026.11-future";

  test("check names the version verified right under the verdict, and exits by its other findings alone", () => {
    const r = check(fixture);
    const [verdict, second] = r.stdout.split("\n");
    expect(verdict).toMatch(/^WARNING — /);
    expect(second).toMatch(/^OpenClaw 2026\.11\.2 \(newer than 2026\.9\.6, the newest clawpatrol is verified on\) · storage era E · /);
    expect(r.code).toBe(1);
    expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
    for (const k of fixtureSecrets(fixture)) expect(r.stdout).not.toContain(k);
  });

  test("one info finding naming the version and schemas verified and what is assumed", () => {
    const { findings } = JSON.parse(check(fixture, ["--json"]).stdout) as { findings: (Shown & { evidence: unknown })[] };
    const unverified = findings.filter((f) => f.kind === "openclaw.unverified-version");
    expect(unverified).toHaveLength(1);
    expect(unverified[0]).toMatchObject({
      severity: "info",
      summary:
        "OpenClaw 2026.11.2 is newer than 2026.9.6, the newest version clawpatrol is verified on, and its databases are newer than any clawpatrol has read (state schema 19 > 18, agent schema 24 > 23): clawpatrol assumes it behaves like 2026.9.6 (every version rule takes its newest side; storage era E as its files show) and checked that every table and column it reads is there",
      evidence: { found: "2026.11.2", verified: "2026.9.6", schemas: [{ schema: "state schema", found: 19, verified: 18, files: ["~/.openclaw/state/openclaw.sqlite"] }, { schema: "agent schema", found: 24, verified: 23 }] },
    });
    expect(unverified[0]!.detail).toContain("clawpatrol verify");
    // Everything it could read is read as on 9.6: no unreadable state.
    expect(findings.filter((f) => f.kind === "state.unreadable")).toEqual([]);
  });

  test("the 9.6 fixture it was derived from has no such finding", async () => {
    const inst = await readInstallation({ stateDir: fixtureState("2026.9.6"), home: fixtureHome("2026.9.6"), env: {} });
    expect(snapshotFindings(inst, Date.now()).filter((f) => f.kind === "openclaw.unverified-version")).toEqual([]);
    expect(inst.version.schemas?.map((s) => `${s.role} ${s.version}`).sort()).toEqual(["agent 23", "agent 23", "state 18"]);
  });
});

describe("a newer schema that renamed what clawpatrol reads", () => {
  const fixture = "derived-2026.11-renamed";
  const state = fixtureState(fixture);

  test("each renamed column or missing table is a state.unreadable finding naming the table, the column and the file; the verdict is CRITICAL", () => {
    const r = check(fixture, ["--json"]);
    expect(r.code).toBe(2);
    const { findings } = JSON.parse(r.stdout) as { findings: Shown[] };
    const unreadable = findings.filter((f) => f.kind === "state.unreadable").map((f) => f.summary.replace(fixtureHome(fixture), "~"));
    expect(unreadable).toEqual(
      expect.arrayContaining([
        "~/.openclaw/agents/prof/agent/openclaw-agent.sqlite: table auth_profile_store has no column store_json (agent schema 24; the newest clawpatrol has read is 23): clawpatrol cannot read the agent's stored auth profiles there",
        "~/.openclaw/state/openclaw.sqlite: no table config_machine_state (state schema 19; the newest clawpatrol has read is 18): clawpatrol cannot read the shared auth profiles and cooldowns there",
        expect.stringMatching(/^runs of agent worker cannot be watched: .*worker\/agent\/openclaw-agent\.sqlite: table session_nodes has no column status: clawpatrol cannot read run state \(stuck runs\) from this agent schema/),
      ]),
    );
    expect(unreadable).toHaveLength(3);
  });

  test("the text verdict is CRITICAL and still says which version was verified", () => {
    const r = check(fixture);
    const [verdict, second] = r.stdout.split("\n");
    expect(verdict).toMatch(/^CRITICAL — /);
    expect(second).toContain("newer than 2026.9.6, the newest clawpatrol is verified on");
    expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
  });

  test("explain does not present the stores it could not read as read: it exits 2", () => {
    const r = runCli(["explain", "--state-dir", state], fixtureHome(fixture));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join("agents", "prof", "agent")}/openclaw-agent.sqlite: table auth_profile_store has no column store_json`);
  });
});
