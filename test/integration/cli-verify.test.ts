// `clawpatrol verify` as a user runs it (the built CLI), on a copy of the real 9.6 fixture, with the
// fake `openclaw` of the test support answering `models status` (the real 9.6 answers in
// test/e2e/live-oracle.e2e.test.ts): agreement exits 0, a disagreement exits 1 with both answers,
// could-not-run exits 3 with one line.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fixtureHome, fixtureSecrets } from "./adapter-fixtures.js";
import { hasStackTrace, requireBuild, runCli } from "./cli-runner.js";

beforeAll(requireBuild);

const FAKE = join(process.cwd(), "test", "support", "fake-openclaw.mjs");
// What the real 9.6 says about the fixture's agents (the parts compared when auth is not reported).
const AGREEING = {
  main: { defaultModel: "openrouter/auto", fallbacks: ["openai/gpt-5.4-mini"], modelConfig: { defaultSource: "defaults" } },
  worker: { defaultModel: "openai/gpt-5.4", fallbacks: [], modelConfig: { defaultSource: "agent" } },
  prof: { defaultModel: "mockprof/mock-ok", fallbacks: ["mock/mock-ok"], modelConfig: { defaultSource: "agent" } },
};

let tmp: string;
let home: string;
let state: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "cp-cli-verify-"));
  home = join(tmp, "home");
  cpSync(fixtureHome("2026.9.6"), home, { recursive: true });
  state = join(home, ".openclaw");
  mkdirSync(join(state, "service-env"));
  writeFileSync(join(state, "service-env", "fake.env"), `FAKE_OPENCLAW_CONTROL=${join(tmp, "control.json")}\n`);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function verify(answers: unknown, args: string[] = [], bin: string | null = FAKE) {
  writeFileSync(join(tmp, "control.json"), JSON.stringify({ modelsStatus: answers }));
  writeFileSync(join(tmp, "clawpatrol.json5"), JSON.stringify(bin ? { openclaw: { bin } } : {}));
  return runCli(["verify", "--config", join(tmp, "clawpatrol.json5"), ...args], home, { XDG_STATE_HOME: join(tmp, "xdg") });
}

describe("clawpatrol verify", () => {
  it("prints agreement and exits 0 when OpenClaw says what clawpatrol reads", () => {
    const before = readFileSync(join(state, "openclaw.json"), "utf8");
    const r = verify(AGREEING);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([
      "OK: clawpatrol reads all 3 agents as OpenClaw 2026.9.6's own `openclaw models status` does (every field it reports)",
      `OpenClaw 2026.9.6 (${FAKE}) · ~/.openclaw · asked on a private copy, offline, one agent at a time`,
    ]);
    expect(readFileSync(join(state, "openclaw.json"), "utf8")).toBe(before);
  });

  it("prints each disagreement with both answers and how to report it, and exits 1", () => {
    const r = verify({ ...AGREEING, prof: { ...AGREEING.prof, fallbacks: [] } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("WARNING: clawpatrol reads 1 of 3 agents differently from OpenClaw 2026.9.6's own `openclaw models status`");
    expect(r.stdout).toContain('agent prof\n  fallbacks: OpenClaw says [] · clawpatrol says ["mock/mock-ok"]\n');
    expect(r.stdout).toContain("report it: `clawpatrol verify --agent prof --json` prints what to paste into a clawpatrol issue");
    expect(r.stdout).toContain("agrees: main, worker");
  });

  it("--agent compares one agent; --json is the report to paste, without a key", () => {
    const r = verify({ prof: { ...AGREEING.prof, defaultModel: "mock/mock-ok" } }, ["--agent", "prof", "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schema: 1, verdict: "disagree", openclaw: { version: "2026.9.6", newestVerified: "2026.9.6" }, disagreements: [{ agent: "prof", field: "primary", openclaw: "mock/mock-ok", clawpatrol: "mockprof/mock-ok" }] });
    expect(doc.agents.map((a: { agent: string }) => a.agent)).toEqual(["prof"]);
    for (const k of fixtureSecrets("2026.9.6")) expect(r.stdout).not.toContain(k);
  });

  it("could not run: one line naming why and the fix, exit 3 (openclaw not on PATH, an unknown agent, OpenClaw's own error)", () => {
    const notOnPath = verify(AGREEING, [], null);
    expect(notOnPath.code).toBe(3);
    expect(notOnPath.stdout).toBe("");
    expect(notOnPath.stderr).toBe("clawpatrol: verify could not run: openclaw is not on PATH — fix: install OpenClaw (npm install -g openclaw) or set openclaw.bin in clawpatrol's config\n");
    expect(dirname(process.execPath)).not.toContain("openclaw");

    const unknown = verify(AGREEING, ["--agent", "nobody"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe("clawpatrol: no agent \"nobody\" in ~/.openclaw/openclaw.json (agents: main, worker, prof)\n");

    const broken = verify({ main: AGREEING.main });
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/^clawpatrol: verify could not run: openclaw models status --json --agent worker refused: fake openclaw: no models status for agent worker/);
    expect(broken.stderr.trim().split("\n")).toHaveLength(1);

    const json = verify(AGREEING, ["--json"], null);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({ schema: 1, verdict: "could-not-run", reason: expect.stringContaining("openclaw is not on PATH") });
    for (const r of [notOnPath, unknown, broken, json]) expect(hasStackTrace(r.stdout + r.stderr)).toBe(false);
  });
});
