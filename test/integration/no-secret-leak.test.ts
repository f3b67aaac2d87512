// No fake secret from any fixture ever appears in clawpatrol's output: check and explain, human
// and --json, on every fixture.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { availableFixtures, fixtureHome, fixtureSecrets, fixtureState } from "./adapter-fixtures.js";
import { requireBuild, runCli } from "./cli-runner.js";

beforeAll(requireBuild);

const fixtures = availableFixtures();

describe("secrets never reach output", () => {
  test("there are fixtures with secrets to look for", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    for (const f of fixtures) expect(fixtureSecrets(f).length).toBeGreaterThan(0);
  });

  test.each(fixtures)("%s: check and explain, human and --json, print only fingerprints", (name) => {
    const secrets = fixtureSecrets(name);
    const runs = [
      ["check", "--offline"],
      ["check", "--offline", "--json"],
      ["explain"],
      ["explain", "--json"],
    ].map((args) => runCli([...args, "--state-dir", fixtureState(name)], fixtureHome(name)));
    const all = runs.map((r) => r.stdout + r.stderr).join("\n");
    expect(all.length).toBeGreaterThan(200);
    expect(all).toMatch(/#[0-9a-f]{8}/); // fingerprints are shown
    for (const s of secrets) {
      expect(all.includes(s)).toBe(false);
      // not even a long slice of it
      expect(all.includes(s.slice(0, 24))).toBe(false);
    }
  });
});

describe("the adapter's snapshot holds no raw secret outside Secret objects", () => {
  test.each(fixtures)("%s: JSON and util.inspect of the Installation show fingerprints only", async (name) => {
    const { readInstallation } = await import("../../src/openclaw/installation.js");
    const { inspect } = await import("node:util");
    const inst = await readInstallation({ stateDir: fixtureState(name), home: fixtureHome(name), env: {}, now: 0 });
    const text = JSON.stringify({ ...inst, endpoints: [...inst.endpoints.values()], env: { files: inst.env.files } }) + inspect(inst, { depth: Infinity });
    expect(text).toContain(" #");
    for (const s of fixtureSecrets(name)) expect(text.includes(s)).toBe(false);
  });
});
