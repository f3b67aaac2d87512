// `clawpatrol silence` holds back alerts only about what exists: a kind that is no finding kind or
// family, or an agent the install does not have (nor any incident names), is refused — a typo must
// not look like a working silence — unless --force says it is meant.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBuild, runCli } from "./cli-runner.js";
import { buildSeedSandbox, type SeedSandbox } from "../../src/demo/seed-sandbox.js";

let seed: SeedSandbox;
let xdg: string;
const silence = (...args: string[]) => runCli(["silence", ...args], seed.home, { OPENCLAW_STATE_DIR: seed.stateDir, XDG_STATE_HOME: xdg, XDG_CONFIG_HOME: xdg });

beforeAll(() => {
  requireBuild();
  seed = buildSeedSandbox({ providerUrl: "http://127.0.0.1:9", gatewayPort: 9, now: Date.now() });
  xdg = mkdtempSync(join(tmpdir(), "cp-silence-cli-"));
});
afterAll(() => {
  seed?.dispose();
  if (xdg) rmSync(xdg, { recursive: true, force: true });
});

describe("clawpatrol silence", () => {
  it("refuses an unknown kind or agent in one line naming what exists, and silences nothing", () => {
    const kind = silence("--kind", "bogus.kind", "--for", "2h");
    expect(kind.code).toBe(3);
    expect(kind.stderr).toMatch(/^clawpatrol silence: no finding kind "bogus\.kind": use a kind \(e\.g\. gateway\.down, auth\.rejected\) or a family \(config, env, secret, auth, probe, run, cooldown, gateway, state, remedy, alert, model(, [a-z]+)*\).*--force silences it anyway\.\n$/);
    const agent = silence("--agent", "nobody", "--for", "2h");
    expect(agent.code).toBe(3);
    expect(agent.stderr).toContain('no agent "nobody" in ');
    expect(agent.stderr).toContain("(agents: main)");
    expect(silence("--list").stdout).toMatch(/^No active silences/);
  });

  it("takes a kind, a family or an agent of the install; --force takes what it does not know", () => {
    for (const args of [["--kind", "gateway.down"], ["--kind", "probe"], ["--agent", "main"], ["--agent", "retired-bot", "--force"]]) {
      const r = silence(...args, "--for", "2h");
      expect({ args, code: r.code, err: r.stderr }).toEqual({ args, code: 0, err: "" });
    }
    expect(silence("--list").stdout.trim().split("\n")).toHaveLength(4);
  });

  it("a duration without its unit is refused, not taken as milliseconds", () => {
    const r = silence("--kind", "probe", "--for", "4");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--for "4" is not a duration');
  });
});
