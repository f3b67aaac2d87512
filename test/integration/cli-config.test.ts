// Every one-shot command reads clawpatrol's config like the daemon (--config, $CLAWPATROL_CONFIG,
// the XDG default): a config naming another state dir is the install `check`, `explain` and
// `accept` look at, and `check`'s threshold flags beat the config for one run. The run data are
// real OpenClaw 2026.9.6 rows and log lines (test/fixtures/runs/oc-2026.9.6), moved to "now".
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { buildFleetHost, type FleetHost } from "../support/fleet-host.js";
import { FIXTURES } from "./adapter-fixtures.js";
import { requireBuild, runCli } from "./cli-runner.js";

const RUNS = join(FIXTURES, "runs", "oc-2026.9.6");
let host: FleetHost;
/** A HOME with no ~/.openclaw: only the config can lead a command to the install. */
let home: string;
let xdg: Record<string, string>;

beforeAll(() => {
  requireBuild();
  host = buildFleetHost("cfg", { providerUrl: "http://127.0.0.1:9", gatewayPort: 9, now: Date.now() });
  home = mkdtempSync(join(tmpdir(), "clawpatrol-cli-config-"));
  xdg = { XDG_CONFIG_HOME: join(home, ".config"), XDG_STATE_HOME: join(home, ".local", "state") };
  mkdirSync(join(xdg.XDG_CONFIG_HOME!, "clawpatrol"), { recursive: true });
});
afterAll(() => {
  host?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
});

const writeDefaultConfig = (text: string) => writeFileSync(join(xdg.XDG_CONFIG_HOME!, "clawpatrol", "config.json5"), text);
const checkJson = (args: string[], env: Record<string, string> = {}) => {
  const r = runCli(["check", "--json", "--offline", ...args], home, { ...xdg, ...env });
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : null };
};

describe("one config for every command", () => {
  test("check with only the default config file naming another state dir reads that install", () => {
    writeDefaultConfig(`{ openclaw: { stateDir: ${JSON.stringify(host.stateDir)} } }`);
    const r = checkJson([]);
    expect(r.stderr).toBe("");
    expect(r.doc.openclaw.stateDir).toBe(host.stateDir);
    expect(r.doc.openclaw.chosenBy).toBe(`openclaw.stateDir in ${join(xdg.XDG_CONFIG_HOME!, "clawpatrol", "config.json5")}`);
    const explain = runCli(["explain", "--json"], home, xdg);
    expect(JSON.parse(explain.stdout).agents.map((a: { id: string }) => a.id)).toEqual(["main"]);
  });

  test("$CLAWPATROL_CONFIG and --config name the file; --state-dir beats the config for one run", () => {
    writeDefaultConfig("{}");
    const file = join(home, "elsewhere.json5");
    writeFileSync(file, `{ openclaw: { stateDir: ${JSON.stringify(host.stateDir)} } }`);
    expect(checkJson([], { CLAWPATROL_CONFIG: file }).doc.openclaw.stateDir).toBe(host.stateDir);
    expect(checkJson(["--config", file]).doc.openclaw.stateDir).toBe(host.stateDir);
    const other = checkJson(["--config", file, "--state-dir", join(home, "nothing-here")]);
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/no OpenClaw state dir at .*nothing-here \(chosen by --state-dir\)/);
  });

  test("a broken config is one line naming the file, exit 3, for check and explain alike", () => {
    const file = join(home, "typo.json5");
    writeFileSync(file, "{ openclaw: { stateDirr: '/x' } }");
    for (const cmd of [["check", "--offline"], ["explain"], ["accept"], ["probe"]]) {
      const r = runCli([...cmd, "--config", file], home, xdg);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`${file}: openclaw: unknown option "stateDirr"`);
    }
  });

  test("accept moves the baseline of the install the config names", () => {
    writeDefaultConfig(`{ openclaw: { stateDir: ${JSON.stringify(host.stateDir)} } }`);
    const r = runCli(["accept", "--json"], home, xdg);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).stateDir).toBe(host.stateDir);
  });
});

/** Shift every epoch-ms / ISO time of the copied run data by `delta` ms. */
function shiftLog(text: string, delta: number): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|\+00:00)/g, (iso, zone: string) => new Date(Date.parse(iso) + delta).toISOString().replace("Z", zone));
}

describe("check's thresholds", () => {
  let state: string;
  beforeAll(() => {
    state = join(home, "runs-install");
    const agentDir = join(state, "agents", "hang", "agent");
    mkdirSync(agentDir, { recursive: true });
    mkdirSync(join(state, "logs"));
    writeFileSync(
      join(state, "openclaw.json"),
      JSON.stringify({ meta: { lastTouchedVersion: "2026.9.6" }, logging: { file: join(state, "logs", "openclaw.log") }, agents: { entries: { hang: { name: "hang", model: "mock/mock-hang" }, empty: { name: "empty", model: "mock/mock-empty" } } } }),
    );
    // The empty reply OpenClaw logged, 80 minutes ago.
    const lines = readFileSync(join(RUNS, "openclaw.log"), "utf8").split("\n").filter((l) => l.includes("empty response") || l.includes("incomplete turn detected"));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    writeFileSync(join(state, "logs", "openclaw.log"), shiftLog(lines.join("\n") + "\n", Date.now() - 80 * 60_000 - Date.parse("2026-11-21T14:12:08.868Z")));
    // The hung run, started 30 s ago with its last transcript progress right after.
    const db = join(agentDir, "openclaw-agent.sqlite");
    cpSync(join(RUNS, "agents", "hang", "agent", "openclaw-agent.sqlite"), db);
    const w = new DatabaseSync(db);
    const started = (w.prepare("SELECT json_extract(entry_json, '$.startedAt') AS s FROM session_nodes").get() as { s: number }).s;
    const delta = Date.now() - 30_000 - started;
    w.prepare("UPDATE transcript_events SET created_at = created_at + ?").run(delta);
    w.prepare(
      "UPDATE session_nodes SET updated_at = updated_at + ?1, created_at = created_at + ?1, last_interaction_at = last_interaction_at + ?1, entry_json = json_set(entry_json, '$.startedAt', json_extract(entry_json, '$.startedAt') + ?1, '$.updatedAt', json_extract(entry_json, '$.updatedAt') + ?1, '$.sessionStartedAt', json_extract(entry_json, '$.sessionStartedAt') + ?1, '$.lastInteractionAt', json_extract(entry_json, '$.lastInteractionAt') + ?1, '$.createdAt', json_extract(entry_json, '$.createdAt') + ?1)",
    ).run(delta);
    w.close();
    writeDefaultConfig("{}");
  });

  const kinds = (args: string[]) => {
    const r = checkJson(["--state-dir", state, ...args]);
    expect(r.stderr).toBe("");
    return (r.doc.findings as { kind: string; subject: { agent?: string } }[]).filter((f) => f.kind.startsWith("run.")).map((f) => `${f.kind} ${f.subject.agent ?? "?"}`);
  };

  test("--since 3h reports an empty reply from 80 minutes ago; the default hour does not", () => {
    expect(kinds(["--since", "3h"]).filter((k) => k.startsWith("run.empty-reply")).length).toBeGreaterThan(0);
    expect(kinds([]).filter((k) => k.startsWith("run.empty-reply"))).toEqual([]);
  });

  test("--stuck-after 20s reports a run stuck for 30 s; the default 5 minutes does not; runs.stuckAfter of the config does", () => {
    expect(kinds(["--stuck-after", "20s"])).toContain("run.stuck hang");
    expect(kinds([])).not.toContain("run.stuck hang");
    writeDefaultConfig("{ runs: { stuckAfter: '15s' } }");
    expect(kinds([])).toContain("run.stuck hang");
    // The flag beats the config (per-agent settings included) for one run.
    writeDefaultConfig("{ runs: { stuckAfter: '15s', perAgent: { hang: { stuckAfter: '10s' } } } }");
    expect(kinds(["--stuck-after", "10m"])).not.toContain("run.stuck hang");
    writeDefaultConfig("{}");
    const bad = runCli(["check", "--offline", "--state-dir", state, "--stuck-after", "soonish"], home, xdg);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/^clawpatrol: not a duration: "soonish".* in --stuck-after\n$/);
  });
});
