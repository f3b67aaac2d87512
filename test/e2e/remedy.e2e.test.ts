// The fallback engine against the REAL `openclaw` CLI: 2026.9.6 (agents.entries, compare-and-set)
// and 2026.5.28 (legacy agents.list roster, no --expect-current-json). Agents come from the real
// adapter; every write goes through `openclaw config set`; `openclaw config validate --json` must
// pass at every step.
import { describe, test, expect, afterAll } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { statSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedOpenClawEntry } from "../../src/sandbox/openclaw-cli.js";
import { ScratchInstall } from "../../src/sandbox/scratch-install.js";
import { readInstallation } from "../../src/openclaw/installation.js";
import { RemedyEngine } from "../../src/remedy/engine.js";
import type { RemedyDeps } from "../../src/remedy/types.js";
import type { SubjectState } from "../../src/health/types.js";
import { ManualClock } from "../../src/util/clock.js";
import { realExec } from "../../src/util/exec.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

const MIN = 60_000;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const cleanups: (() => void)[] = [];
afterAll(() => { for (const c of cleanups) c(); });

const mockProvider = {
  baseUrl: "http://127.0.0.1:9/v1",
  api: "openai-completions",
  apiKey: "${MOCK_API_KEY}",
  models: [{ id: "mock-bad", name: "bad" }, { id: "mock-ok", name: "ok" }, { id: "mock-alt", name: "alt" }],
};

function world(install: ScratchInstall, entry: string) {
  const routes = new Map<string, SubjectState>();
  // Start well after the scratch config was written, so it does not count as a human edit.
  const clock = new ManualClock(Date.now() + 10 * MIN);
  const stateDir = mkdtempSync(join(tmpdir(), "clawpatrol-remedy-e2e-"));
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const env = { ...install.env, MOCK_API_KEY: "mock-key-not-secret" };
  const deps: RemedyDeps = {
    exec: realExec,
    clock,
    openclawBin: entry,
    env,
    stateDir,
    configPath: install.configPath,
    agents: async () => (await readInstallation({ stateDir: install.stateDir, env, home: install.home, now: clock.now() })).agents,
    routeState: (a, ref) => routes.get(`${a}|${ref}`) ?? "ok",
    isGatewayDown: () => false,
    verifyCandidate: async (_a, ref) => ({ ok: ref === "mock/mock-ok", checkedAt: clock.now(), detail: ref === "mock/mock-ok" ? "HTTP 200" : "HTTP 401" }),
    configMtime: () => statSync(install.configPath).mtimeMs,
    configValid: () => true,
    gatewayHealthy: async () => true,
    runsInFlight: () => 0,
  };
  const engine = new RemedyEngine(deps, { mode: "act", candidates: { global: ["mock/mock-alt", "mock/mock-ok"], perAgent: {} } });
  const cli = install.requireCli();
  const get = async (path: string) => JSON.parse((await cli.run(["config", "get", path, "--json"])).stdout) as unknown;
  const validate = async () => JSON.parse((await cli.run(["config", "validate", "--json"])).stdout) as { valid: boolean };
  return { routes, clock, engine, get, validate, stateDir, env };
}

const v96 = cachedOpenClawEntry("2026.9.6");
const v528 = cachedOpenClawEntry("2026.5.28");

(v96 ? describe : describe.skip)("remedy on real OpenClaw 2026.9.6", () => {
  test("switches agents.entries.main.model to the verified candidate and back, config valid at every step", async () => {
    const install = new ScratchInstall({
      entry: v96!,
      config: {
        gateway: { mode: "local", bind: "loopback", port: 18999 },
        models: { providers: { mock: mockProvider } },
        agents: { defaults: { model: { primary: "mock/mock-ok", fallbacks: [] } }, entries: { main: { name: "main", model: "mock/mock-bad" } } },
      },
      envLines: ["MOCK_API_KEY=mock-key-not-secret"],
    });
    cleanups.push(() => install.dispose());
    const w = world(install, v96!);
    expect((await w.validate()).valid).toBe(true);

    w.routes.set("main|mock/mock-bad", "down");
    const r = await w.engine.evaluate();
    expect(r.findings.map((f) => f.kind)).toEqual(["remedy.switched"]);
    expect(r.actions[0]).toMatchObject({ result: "ok", path: "agents.entries.main.model", before: "mock/mock-bad", after: "mock/mock-ok" });
    expect(r.actions[0]!.argv!.slice(1)).toEqual([v96, "config", "set", "agents.entries.main.model", '"mock/mock-ok"', "--strict-json", "--expect-current-json", '"mock/mock-bad"']);
    expect(await w.get("agents.entries.main.model")).toBe("mock/mock-ok");
    expect((await w.validate()).valid).toBe(true);

    // The adapter now reports the fallback as primary; the engine keeps watching the original.
    expect(w.engine.watchedOriginalRoutes()).toEqual([{ agent: "main", ref: "mock/mock-bad", provider: "mock" }]);

    w.routes.set("main|mock/mock-bad", "ok");
    w.clock.advance(31 * MIN);
    const back = await w.engine.evaluate();
    expect(back.actions[0]).toMatchObject({ op: "restore", result: "ok" });
    expect(await w.get("agents.entries.main.model")).toBe("mock/mock-bad");
    expect((await w.validate()).valid).toBe(true);
    expect(w.engine.audit.read().map((a) => `${a.op}:${a.phase}:${a.result ?? ""}`)).toEqual([
      "fallback:intent:", "fallback:result:ok", "restore:intent:", "restore:result:ok",
    ]);
  }, 240_000);

  test("object-shaped model: only .primary changes; a human edit meanwhile blocks the restore", async () => {
    const install = new ScratchInstall({
      entry: v96!,
      config: {
        gateway: { mode: "local", bind: "loopback", port: 18998 },
        models: { providers: { mock: mockProvider } },
        agents: { defaults: { model: { primary: "mock/mock-ok", fallbacks: [] } }, entries: { main: { model: { primary: "mock/mock-bad", fallbacks: ["mock/mock-alt"] } } } },
      },
      envLines: ["MOCK_API_KEY=mock-key-not-secret"],
    });
    cleanups.push(() => install.dispose());
    const w = world(install, v96!);
    w.routes.set("main|mock/mock-bad", "down");
    await w.engine.evaluate();
    expect(await w.get("agents.entries.main.model")).toEqual({ primary: "mock/mock-ok", fallbacks: ["mock/mock-alt"] });
    expect((await w.validate()).valid).toBe(true);

    // A human picks another model with the real CLI.
    const set = await install.requireCli().run(["config", "set", "agents.entries.main.model.primary", '"mock/mock-alt"', "--strict-json"]);
    expect(set.code).toBe(0);
    w.routes.set("main|mock/mock-bad", "ok");
    w.clock.advance(31 * MIN);
    const r = await w.engine.evaluate();
    expect(r.findings[0]!.kind).toBe("remedy.conflict");
    expect(await w.get("agents.entries.main.model.primary")).toBe("mock/mock-alt");
  }, 240_000);

  test("killed right after `config set`: recover() keeps the written value, the config validates, the audit says so", async () => {
    const install = new ScratchInstall({
      entry: v96!,
      config: {
        gateway: { mode: "local", bind: "loopback", port: 18997 },
        models: { providers: { mock: mockProvider } },
        agents: { entries: { main: { model: "mock/mock-bad" } } },
      },
      envLines: ["MOCK_API_KEY=mock-key-not-secret"],
    });
    cleanups.push(() => install.dispose());
    const w = world(install, v96!);
    const agent = { id: "main", configPath: "agents.entries.main", route: { primary: { ref: { provider: "mock", model: "mock-bad", ref: "mock/mock-bad" }, role: "primary", from: "agent", origin: { file: "", path: "" } }, fallbacks: [], strict: true } };
    const spec = { bin: v96, env: w.env, stateDir: w.stateDir, configPath: install.configPath, agent, primary: "mock/mock-bad", candidate: "mock/mock-ok" };
    let signal: string | undefined;
    try {
      execFileSync(process.execPath, ["--import", join(root, "test/support/ts-hooks.mjs"), join(root, "test/support/remedy-crash-child.ts"), JSON.stringify(spec)], {
        env: { ...process.env, CLAWPATROL_CRASH_AT: "after-set" }, stdio: "pipe", timeout: 180_000,
      });
    } catch (err) {
      signal = (err as { signal?: string }).signal;
    }
    expect(signal).toBe("SIGKILL");
    const recovered = await w.engine.recover();
    expect(recovered).toMatchObject({ outcome: "applied", configValid: true });
    expect(await w.get("agents.entries.main.model")).toBe("mock/mock-ok");
    const audit = readFileSync(join(w.stateDir, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { phase: string; result?: string });
    expect(audit.map((a) => a.phase)).toEqual(["intent", "recovered"]);
    expect(audit[1]!.result).toBe("applied");
  }, 240_000);
});

(v528 ? describe : describe.skip)("remedy on real OpenClaw 2026.5.28 (legacy agents.list roster)", () => {
  test("switches agents.list[1].model.primary and back; the roster stays a list and validates", async () => {
    const install = new ScratchInstall({
      entry: v528!,
      config: {
        gateway: { mode: "local", bind: "loopback", port: 18996 },
        models: { providers: { mock: mockProvider } },
        agents: {
          defaults: { model: { primary: "mock/mock-ok", fallbacks: [] } },
          list: [{ id: "ops", model: "mock/mock-ok" }, { id: "main", default: true, model: { primary: "mock/mock-bad", fallbacks: [] } }],
        },
      },
      envLines: ["MOCK_API_KEY=mock-key-not-secret"],
    });
    cleanups.push(() => install.dispose());
    const w = world(install, v528!);
    expect((await w.validate()).valid).toBe(true);
    const agents = await readInstallation({ stateDir: install.stateDir, env: w.env, home: install.home });
    expect(agents.agents.find((a) => a.id === "main")?.configPath).toBe("agents.list[1]");

    w.routes.set("main|mock/mock-bad", "down");
    const r = await w.engine.evaluate();
    expect(r.actions[0]).toMatchObject({ result: "ok", path: "agents.list[1].model.primary" });
    // 5.28 has no --expect-current-json: the engine compares by reading first.
    expect(r.actions[0]!.argv).not.toContain("--expect-current-json");
    expect(await w.get("agents.list[1].model")).toEqual({ primary: "mock/mock-ok", fallbacks: [] });
    expect((await w.validate()).valid).toBe(true);
    expect(JSON.parse(readFileSync(install.configPath, "utf8")).agents.list).toHaveLength(2);

    w.routes.set("main|mock/mock-bad", "ok");
    w.clock.advance(31 * MIN);
    await w.engine.evaluate();
    expect(await w.get("agents.list[1].model")).toEqual({ primary: "mock/mock-bad", fallbacks: [] });
    expect(await w.get("agents.list[0].model")).toBe("mock/mock-ok");
    expect((await w.validate()).valid).toBe(true);
  }, 240_000);
});
