// Human output fits the terminal it is printed to: at COLUMNS=40 no line of `check`, `explain` or
// `probe` (its table included) is wider, except one word that cannot be broken (a path), which a
// terminal wraps by itself and a person can still copy whole.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { REPO } from "./adapter-fixtures.js";
import { requireBuild } from "./cli-runner.js";
import { buildSeedSandbox, type SeedSandbox } from "../../src/demo/seed-sandbox.js";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";

let provider: FakeProvider;
let seed: SeedSandbox;

beforeAll(async () => {
  requireBuild();
  provider = await startFakeProvider({ unknownKey: "401" });
  seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: 9, now: Date.now() });
  provider.setKeyBehaviour(seed.keys.envKey, "ok");
});
afterAll(async () => {
  seed?.dispose();
  await provider?.close();
});

function run(args: string[], columns: number): Promise<string> {
  const env = { PATH: dirname(process.execPath), HOME: seed.home, OPENCLAW_STATE_DIR: seed.stateDir, XDG_STATE_HOME: join(seed.home, "state"), COLUMNS: String(columns), NO_COLOR: "1" };
  return new Promise((resolve) => execFile(process.execPath, [join(REPO, "dist", "src", "cli", "clawpatrol.js"), ...args], { env, encoding: "utf8", timeout: 60_000 }, (_e, stdout) => resolve(stdout)));
}

/** Lines wider than `width` that hold more than an indent, a label and one unbreakable word. */
function overflowing(text: string, width: number): string[] {
  return text.split("\n").filter((l) => l.length > width && /\S\s+\S/.test(l.trim().replace(/^(?:[A-Z]+ {2,}|[a-z]+:\s+|[A-Z]+\s+[a-z.-]+\s{2})/, "")));
}

describe("output fits the terminal", () => {
  for (const args of [["probe", "--no-gateway"], ["explain"], ["check"]]) {
    it(`clawpatrol ${args.join(" ")} at COLUMNS=40 and 80`, async () => {
      for (const width of [40, 80]) {
        const out = await run(args, width);
        expect(out.length).toBeGreaterThan(100);
        expect({ width, overflowing: overflowing(out, width) }).toEqual({ width, overflowing: [] });
      }
    }, 120_000);
  }

  it("probe's table: aligned at 200 columns, one block per row at 40", async () => {
    expect((await run(["probe", "--no-gateway"], 200)).split("\n")[0]).toMatch(/^AGENT {2}PROVIDER {4}USE {6}CREDENTIAL +RESULT +LATENCY$/);
    expect(await run(["probe", "--no-gateway"], 40)).toMatch(/^AGENT +main\nPROVIDER +openrouter\nUSE +runtime\nCREDENTIAL +stored profile/);
  }, 120_000);
});
