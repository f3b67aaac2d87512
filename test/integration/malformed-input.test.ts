// Bad input never crashes the adapter or prints a stack trace: it is a finding naming the file,
// or (nothing to read at all) a one-line error and exit 3.
import { afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import { cpSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import { collectOneShotFindings, SNAPSHOT_SOURCES } from "../../src/checks/index.js";
import { fixtureHome, T0 } from "./adapter-fixtures.js";
import { hasStackTrace, requireBuild, runCli } from "./cli-runner.js";

beforeAll(requireBuild);

let home: string;
let state: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "cp-bad-"));
  state = join(home, ".openclaw");
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function copyFixture(name: string): void {
  cpSync(fixtureHome(name), home, { recursive: true });
}

async function findingsOf() {
  const inst = await readInstallation({ stateDir: state, home, env: {}, now: T0 });
  return { inst, findings: await collectOneShotFindings(inst, T0, { sources: SNAPSHOT_SOURCES }) };
}

function checkJson() {
  const out = runCli(["check", "--json", "--offline", "--state-dir", state], home);
  expect(hasStackTrace(out.stdout + out.stderr)).toBe(false);
  return { out, doc: JSON.parse(out.stdout) as { findings: { kind: string; severity: string; summary: string; detail?: string }[] } };
}

describe("malformed input", () => {
  test("broken JSON5 in openclaw.json is a critical config.invalid naming the file and line", async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "openclaw.json"), `{\n  agents: {\n    defaults: { model: "a/b" },,\n  }\n}\n`);
    const { inst, findings } = await findingsOf();
    expect(inst.configValid).toBe(false);
    const f = findings.find((x) => x.kind === "config.invalid")!;
    expect(f.severity).toBe("critical");
    expect(f.summary).toContain("openclaw.json is not valid JSON5 at line 3");
    const { out, doc } = checkJson();
    expect(out.code).toBe(2);
    expect(doc.findings.some((x) => x.kind === "config.invalid" && x.summary.includes("line 3"))).toBe(true);
  });

  test("a truncated SQLite auth store is a state.unreadable finding naming the file", async () => {
    copyFixture("legacy-2026.6-era-c");
    const db = join(state, "agents", "main", "agent", "openclaw-agent.sqlite");
    truncateSync(db, 100);
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "state.unreadable")!;
    expect(f.summary).toContain("agents/main/agent/openclaw-agent.sqlite");
    const { out } = checkJson();
    expect(out.code).toBe(2);
  });

  test("a garbage file in place of the shared state DB is reported, not a crash", async () => {
    mkdirSync(join(state, "state"), { recursive: true });
    writeFileSync(join(state, "openclaw.json"), `{ meta: { lastTouchedVersion: "2026.9.6" } }`);
    writeFileSync(join(state, "state", "openclaw.sqlite"), "this is not a database at all, just text ".repeat(200));
    const { findings } = await findingsOf();
    expect(findings.some((x) => x.kind === "state.unreadable" && x.summary.includes("state/openclaw.sqlite"))).toBe(true);
  });

  test("an unreadable config (a directory where the file should be) names the file", async () => {
    // Tests run as root, where chmod 000 does not stop reads; a directory in place of the file
    // gives the same "cannot read" path (EISDIR) for real.
    mkdirSync(join(state, "openclaw.json"), { recursive: true });
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "state.unreadable")!;
    expect(f.summary).toMatch(/cannot read .*openclaw\.json: is a directory/);
    expect(checkJson().out.code).toBe(2);
  });

  test("chmod 000 on auth-profiles.json is reported when not running as root", async () => {
    copyFixture("legacy-2026.4-era-b");
    const file = join(state, "agents", "main", "agent", "auth-profiles.json");
    chmodSync(file, 0o000);
    const { findings } = await findingsOf();
    if (process.getuid?.() === 0) {
      // root reads it anyway; the adapter must simply keep working.
      expect(findings.some((x) => x.kind === "auth.shadowed")).toBe(true);
    } else {
      expect(findings.some((x) => x.kind === "state.unreadable" && x.summary.includes("permission denied"))).toBe(true);
    }
    chmodSync(file, 0o600);
  });

  test("a directory in place of auth-profiles.json is reported and the rest still reads", async () => {
    copyFixture("legacy-2026.4-era-b");
    const file = join(state, "agents", "main", "agent", "auth-profiles.json");
    rmSync(file);
    mkdirSync(file);
    const { inst, findings } = await findingsOf();
    expect(findings.some((x) => x.kind === "state.unreadable" && x.summary.includes("auth-profiles.json"))).toBe(true);
    expect(inst.agents.map((a) => a.id)).toEqual(["main", "ops"]);
  });

  test("an empty state dir is a finding that says to onboard", async () => {
    mkdirSync(state, { recursive: true });
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "config.invalid")!;
    expect(f.summary).toContain("no OpenClaw config at");
    expect(f.detail).toContain("openclaw onboard");
    const { out } = checkJson();
    expect(out.code).toBe(2);
  });

  test("a missing state dir is a one-line error naming the dir, exit 3", () => {
    const missing = join(home, "nope");
    for (const cmd of [["check"], ["check", "--json"], ["explain"]]) {
      const out = runCli([...cmd, "--state-dir", missing], home);
      expect(out.code).toBe(3);
      expect(out.stdout).toBe("");
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toContain(missing);
      expect(hasStackTrace(out.stderr)).toBe(false);
    }
  });

  test("a bad --since value is a one-line error, exit 3", () => {
    mkdirSync(state, { recursive: true });
    const out = runCli(["check", "--since", "soon", "--state-dir", state], home);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/^clawpatrol: not a duration: "soon"/);
  });

  test("a config with a missing ${VAR} is a config.missing-var warning with the fix", async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "openclaw.json"), `{ models: { providers: { groq: { apiKey: "\${GROQ_API_KEY}" } } }, agents: { defaults: { model: "groq/llama" } } }`);
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "config.missing-var")!;
    expect(f.severity).toBe("warning");
    expect(f.summary).toContain("models.providers.groq.apiKey uses ${GROQ_API_KEY}");
    expect(f.detail).toContain("GROQ_API_KEY=");
    expect(findings.some((x) => x.kind === "auth.missing" && x.subject.provider === "groq")).toBe(true);
  });
});
