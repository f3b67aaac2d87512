// The fallback engine against a fake `openclaw` executable (records argv, emulates config get/set
// on a real JSON file) with a ManualClock: every "never", the caps, the hold time, observe mode,
// restore, conflicts, rollback and persistence.
import { describe, test, expect, afterEach } from "@jest/globals";
import { statSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RemedyEngine } from "../../src/remedy/engine.js";
import type { RemedyOptions } from "../../src/remedy/types.js";
import { RemedyHarness, agent } from "../support/remedy-harness.js";

const MIN = 60_000;
const PRIMARY = "openrouter/moonshotai/kimi-k2.5";
const CODEX = "openai-codex/gpt-5.4";
const BACKUP = "anthropic/claude-sonnet-4-6";

function config9(model: unknown = PRIMARY, extra: Record<string, unknown> = {}) {
  return {
    gateway: { mode: "local", port: 18789 },
    agents: { defaults: { model: { primary: "openrouter/auto", fallbacks: [] } }, entries: { main: { name: "main", ...(model === null ? {} : { model }) }, ...extra } },
  };
}

const harnesses: RemedyHarness[] = [];
function setup(opts: Partial<ConstructorParameters<typeof RemedyHarness>[0]> = {}): RemedyHarness {
  const h = new RemedyHarness({ config: config9(), agents: [agent("main", PRIMARY)], ...opts });
  harnesses.push(h);
  return h;
}
function act(h: RemedyHarness, options: Partial<RemedyOptions> = {}, deps = {}): RemedyEngine {
  return new RemedyEngine(h.deps(deps), { mode: "act", candidates: { global: [CODEX], perAgent: {} }, ...options });
}
afterEach(() => {
  while (harnesses.length) harnesses.pop()!.dispose();
});

describe("switching to a verified fallback", () => {
  test("moves an agent whose primary is down to the first candidate that passed a probe, through openclaw config set", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    const engine = act(h);

    const r = await engine.evaluate();

    expect(h.readConfig().agents.entries.main.model).toBe(CODEX);
    const writes = h.writes();
    expect(writes).toEqual([["config", "set", "agents.entries.main.model", JSON.stringify(CODEX), "--strict-json", "--expect-current-json", JSON.stringify(PRIMARY)]]);
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]).toMatchObject({ phase: "result", op: "fallback", who: "clawpatrol", agent: "main", result: "ok", before: PRIMARY, after: CODEX, why: ["route:main/openrouter"] });
    expect(r.actions[0]!.argv).toEqual([h.bin, ...writes[0]!]);
    expect(r.findings.map((f) => f.kind)).toEqual(["remedy.switched"]);
    // Validation ran after the set; the read-back is of the whole document OpenClaw wrote (no extra CLI start).
    const calls = h.calls().map((c) => c.slice(0, 3).join(" "));
    expect(calls.slice(calls.indexOf("config set agents.entries.main.model"))).toEqual(["config set agents.entries.main.model", "config validate --json"]);
    // Audit: intent before, result after; 0600; a 0600 backup of the config before the change.
    const audit = engine.audit.read();
    expect(audit.map((a) => a.phase)).toEqual(["intent", "result"]);
    expect(statSync(engine.audit.path).mode & 0o777).toBe(0o600);
    const backups = readdirSync(join(h.stateDir, "backups"));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-openclaw\.json$/);
    const backupPath = join(h.stateDir, "backups", backups[0]!);
    expect(statSync(backupPath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(backupPath, "utf8")).agents.entries.main.model).toBe(PRIMARY);
    expect(engine.activeFallbacks()).toMatchObject([{ agent: "main", original: PRIMARY, applied: CODEX, originalRef: PRIMARY }]);
    expect(engine.watchedOriginalRoutes()).toEqual([{ agent: "main", ref: PRIMARY, provider: "openrouter" }]);
    // Announced to drift detection before the write, then again with the file's content hash after it.
    expect(h.ownChanges).toHaveLength(2);
    expect(h.ownChangeHashes[0]).toBeUndefined();
    expect(h.ownChangeHashes[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(h.stateDir, "remedy-state.json")).mode & 0o777).toBe(0o600);
  });

  test("keeps the object shape: only .primary changes and the agent's fallbacks stay", async () => {
    const h = setup({ config: config9({ primary: PRIMARY, fallbacks: ["openrouter/auto"] }) });
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    await act(h).evaluate();
    expect(h.readConfig().agents.entries.main.model).toEqual({ primary: CODEX, fallbacks: ["openrouter/auto"] });
    expect(h.writes()[0]!.slice(0, 4)).toEqual(["config", "set", "agents.entries.main.model.primary", JSON.stringify(CODEX)]);
  });

  test("an agent without a model of its own is switched through agents.defaults.model.primary", async () => {
    const h = setup({ config: config9(null), agents: [agent("main", "openrouter/auto")] });
    h.route("main", "openrouter/auto", "down");
    h.probe("main", CODEX, true);
    const r = await act(h).evaluate();
    expect(h.readConfig().agents.defaults.model).toEqual({ primary: CODEX, fallbacks: [] });
    expect(h.writes()[0]![2]).toBe("agents.defaults.model.primary");
    expect(r.findings[0]!.summary).toContain("every agent that inherits it moves too");
  });

  test("legacy agents.list roster (2026.5.x): writes agents.list[i].model and compares before writing (no --expect-current-json there)", async () => {
    const h = setup({
      version: "5",
      config: { agents: { defaults: { model: "openrouter/auto" }, list: [{ id: "ops" }, { id: "main", default: true, model: PRIMARY }] } },
      agents: [agent("main", PRIMARY, { configPath: "agents.list[1]" })],
    });
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    await act(h).evaluate();
    expect(h.readConfig().agents.list[1]).toEqual({ id: "main", default: true, model: CODEX });
    expect(h.writes()).toEqual([["config", "set", "agents.list[1].model", JSON.stringify(CODEX), "--strict-json"]]);
    const calls = h.calls().map((c) => c.slice(0, 3).join(" "));
    // The value was read right before the set (our compare step).
    expect(calls[calls.indexOf("config set agents.list[1].model") - 1]).toBe("config get agents.list[1].model");
  });

  test("picks candidates in order: per-agent, then global, then the agent's own fallbacks, skipping unverified ones", async () => {
    const h = setup({ agents: [agent("main", PRIMARY, { fallbacks: [BACKUP] })] });
    h.route("main", PRIMARY, "down");
    h.probe("main", "groq/llama-4", false, "HTTP 401 invalid key");
    h.probe("main", CODEX, false, "HTTP 429 rate limited");
    h.probe("main", BACKUP, true);
    const engine = act(h, { candidates: { perAgent: { main: ["groq/llama-4"] }, global: [CODEX] } });
    expect(engine.candidatesFor(h.agents[0]!)).toEqual(["groq/llama-4", CODEX, BACKUP]);
    await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(BACKUP);
  });
});

describe("never", () => {
  test("never on a single signal: a failing (not yet down) route is left alone", async () => {
    const h = setup();
    h.route("main", PRIMARY, "failing");
    h.probe("main", CODEX, true);
    const r = await act(h).evaluate();
    expect(r.actions).toEqual([]);
    expect(h.writes()).toEqual([]);
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
  });

  test("never while the gateway itself is down", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.gatewayDown = true;
    const r = await act(h).evaluate();
    expect(h.writes()).toEqual([]);
    expect(r.skipped[0]!.reason).toMatch(/gateway is down/);
  });

  test("never while a human is editing the config (mtime within the grace window), and does it once the grace passed", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.touchConfig(h.clock.now() - 30_000);
    const engine = act(h);
    const r = await engine.evaluate();
    expect(h.writes()).toEqual([]);
    expect(r.skipped[0]!.reason).toMatch(/changed less than 120 s ago/);
    h.clock.advance(2 * MIN);
    h.probe("main", CODEX, true);
    await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(CODEX);
  });

  test("never when the config is invalid", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.valid = false;
    const r = await act(h).evaluate();
    expect(h.writes()).toEqual([]);
    expect(r.skipped[0]!.reason).toMatch(/invalid/);
  });

  test.each([["OPENCLAW_CONFIG_READONLY"], ["OPENCLAW_NIX_MODE"]])("never when %s=1: says which command to run instead", async (name) => {
    // The 5.x fake would write anyway (like real 2026.5.28 does), so the guard must be ours.
    const h = setup({ version: "5", env: { [name]: "1" }, config: { agents: { list: [{ id: "main", model: PRIMARY }] } }, agents: [agent("main", PRIMARY, { configPath: "agents.list[0]" })] });
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    const r = await act(h).evaluate();
    expect(h.writes()).toEqual([]);
    expect(h.readConfig().agents.list[0].model).toBe(PRIMARY);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ kind: "remedy.blocked", subject: { agent: "main" } });
    expect(r.findings[0]!.detail).toContain(`config set 'agents.list[0].model' '"${CODEX}"' --strict-json`);
  });

  test("no verified candidate: no switch, and a remedy.no-candidate finding says which candidates failed why", async () => {
    const h = setup({ agents: [agent("main", PRIMARY, { fallbacks: [BACKUP] })] });
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, false, "HTTP 401 invalid key");
    h.probe("main", BACKUP, true, "HTTP 200", h.clock.now() - 60 * MIN);
    const r = await act(h).evaluate();
    expect(h.writes()).toEqual([]);
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.kind).toBe("remedy.no-candidate");
    expect(f.detail).toContain(`${CODEX} (HTTP 401 invalid key)`);
    expect(f.detail).toContain(`${BACKUP} (last good probe is stale`);
    expect(f.evidence).toEqual({ tried: [{ ref: CODEX, reason: "HTTP 401 invalid key" }, { ref: BACKUP, reason: expect.stringContaining("stale") }] });
  });

  test("a candidate whose own route is down is not used", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.route("main", CODEX, "down");
    h.probe("main", CODEX, true);
    const r = await act(h).evaluate();
    expect(h.writes()).toEqual([]);
    expect(r.findings[0]!.kind).toBe("remedy.no-candidate");
  });
});

describe("observe mode (the default)", () => {
  test("reports the exact command it would run, once, and changes nothing", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    const engine = new RemedyEngine(h.deps(), { candidates: { global: [CODEX], perAgent: {} } });
    expect(engine.options.mode).toBe("observe");
    const r1 = await engine.evaluate();
    const r2 = await engine.evaluate();
    expect(h.writes()).toEqual([]);
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
    expect(r1.actions).toHaveLength(1);
    expect(r1.actions[0]).toMatchObject({ phase: "dry-run", dryRun: true, op: "fallback", agent: "main", before: PRIMARY, after: CODEX });
    const cmd = [h.bin, "config", "set", "agents.entries.main.model", JSON.stringify(CODEX), "--strict-json", "--expect-current-json", JSON.stringify(PRIMARY)];
    expect(r1.actions[0]!.argv).toEqual(cmd);
    expect(r2.actions).toEqual([]);
    expect(r2.findings[0]!.kind).toBe("remedy.would-switch");
    expect(r2.findings[0]!.detail).toContain(`'"${CODEX}"' --strict-json --expect-current-json '"${PRIMARY}"'`);
    expect(engine.recentActions(5)).toHaveLength(1);
  });
});

describe("switching back", () => {
  async function switched(h: RemedyHarness, options: Partial<RemedyOptions> = {}) {
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    const engine = act(h, options);
    await engine.evaluate();
    expect(engine.activeFallbacks()).toMatchObject([{ agent: "main", applied: CODEX }]);
    return engine;
  }

  test("restores exactly the original value after the primary is ok again and the hold time passed", async () => {
    const h = setup({ config: config9({ primary: PRIMARY, fallbacks: ["openrouter/auto"] }) });
    const engine = await switched(h);
    h.route("main", PRIMARY, "recovering");
    h.clock.advance(40 * MIN);
    expect((await engine.evaluate()).actions).toEqual([]);
    h.route("main", PRIMARY, "ok");
    h.clock.advance(-20 * MIN); // 20 min after the switch: still within the 30 min hold
    const held = await engine.evaluate();
    expect(held.actions).toEqual([]);
    expect(held.skipped[0]!.reason).toMatch(/after the 30 min hold/);
    h.clock.advance(11 * MIN);
    const back = await engine.evaluate();
    expect(back.actions).toHaveLength(1);
    expect(back.actions[0]).toMatchObject({ op: "restore", result: "ok", before: CODEX, after: PRIMARY });
    expect(h.readConfig().agents.entries.main.model).toEqual({ primary: PRIMARY, fallbacks: ["openrouter/auto"] });
    expect(engine.activeFallbacks()).toEqual([]);
    expect(engine.watchedOriginalRoutes()).toEqual([]);
  });

  test("records what OpenClaw's config migrations also changed, and puts it back exactly on restore (as 2026.9.6 does on its first set)", async () => {
    const original = { gateway: { mode: "local", port: 18789 }, agents: { ownership: "explicit", entries: { main: { name: "main", model: PRIMARY }, scout: { name: "scout", model: CODEX } } } };
    const h = setup({ config: original, env: { FAKE_OPENCLAW_MIGRATIONS: "1" } });
    const engine = await switched(h);
    // OpenClaw made the fallback every agent's default on the way, and noted its migrations.
    expect(h.readConfig().agents.defaults).toEqual({ model: { primary: CODEX } });
    const result = engine.audit.read().find((r) => r.op === "fallback" && r.phase === "result")!;
    expect(result.collateral).toEqual([expect.objectContaining({ path: "agents.defaults.model.primary", after: CODEX, createdUnder: "agents.defaults" })]);
    expect(result.bookkeeping).toEqual(expect.arrayContaining(["meta.migrations.modelPolicyAllowlist", "meta.migrations.utilityModelSeparation"]));
    expect(engine.activeFallbacks()[0]!.collateral).toHaveLength(1);

    h.route("main", PRIMARY, "ok");
    h.clock.advance(31 * MIN);
    const back = await engine.evaluate();
    expect(back.actions[0]).toMatchObject({ op: "restore", result: "ok", reverted: ["agents.defaults.model.primary"] });
    // Everything but OpenClaw's own bookkeeping is as it was before the switch.
    const { meta, ...rest } = h.readConfig();
    expect(rest).toEqual(original);
    expect(meta.migrations).toBeDefined();
    expect(h.writes().at(-1)).toEqual(["config", "unset", "agents.defaults"]);
  });

  test("keeps asking about the ORIGINAL primary after the switch (the agent's config now names the fallback)", async () => {
    const h = setup();
    const engine = await switched(h);
    // The adapter's next snapshot shows the fallback as primary; its route is fine.
    h.agents = [agent("main", CODEX)];
    h.clock.advance(31 * MIN);
    const r = await engine.evaluate();
    expect(r.actions).toEqual([]);
    expect(r.findings.map((f) => f.kind)).toEqual(["remedy.switched"]);
    expect(r.findings[0]!.summary).toContain(`its model ${PRIMARY} is down`);
    h.route("main", PRIMARY, "ok");
    await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
  });

  test("if someone changed the model meanwhile it is left alone and remedy.conflict says so", async () => {
    const h = setup();
    const engine = await switched(h);
    const cfg = h.readConfig();
    cfg.agents.entries.main.model = BACKUP;
    h.writeConfig(cfg);
    h.route("main", PRIMARY, "ok");
    h.clock.advance(31 * MIN);
    const before = h.writes().length;
    const r = await engine.evaluate();
    expect(h.writes().length).toBe(before);
    expect(h.readConfig().agents.entries.main.model).toBe(BACKUP);
    expect(r.findings[0]).toMatchObject({ kind: "remedy.conflict", subject: { agent: "main" } });
    expect(r.actions[0]).toMatchObject({ op: "restore", result: "conflict" });
    expect(engine.activeFallbacks()).toEqual([]);
  });

  test("a restarted clawpatrol knows what it switched and switches it back", async () => {
    const h = setup();
    await switched(h);
    const fresh = act(h);
    expect(fresh.watchedOriginalRoutes()).toEqual([{ agent: "main", ref: PRIMARY, provider: "openrouter" }]);
    h.route("main", PRIMARY, "ok");
    h.clock.advance(31 * MIN);
    await fresh.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
  });

  test("when the fallback fails too, it moves on to the next candidate and still restores the first original", async () => {
    const h = setup();
    const engine = await switched(h, { candidates: { global: [CODEX, BACKUP], perAgent: {} } });
    h.agents = [agent("main", CODEX)];
    h.route("main", CODEX, "down");
    h.probe("main", BACKUP, true);
    await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(BACKUP);
    expect(engine.activeFallbacks()[0]).toMatchObject({ original: PRIMARY, applied: BACKUP });
    h.route("main", PRIMARY, "ok");
    h.clock.advance(31 * MIN);
    await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
  });
});

describe("caps", () => {
  async function cycle(h: RemedyHarness, engine: RemedyEngine) {
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    const r = await engine.evaluate();
    h.route("main", PRIMARY, "ok");
    h.clock.advance(31 * MIN);
    await engine.evaluate();
    h.clock.advance(MIN);
    return r;
  }

  test("at most 3 switches per agent per day, then alert-only until the day has passed", async () => {
    const h = setup();
    const engine = act(h);
    for (let i = 0; i < 3; i++) expect((await cycle(h, engine)).findings[0]!.kind).toBe("remedy.switched");
    const capped = await cycle(h, engine);
    expect(capped.findings[0]!.kind).toBe("remedy.capped");
    expect(capped.findings[0]!.detail).toContain(`clawpatrol fallback --agent main --to ${CODEX} --yes`);
    expect(h.writes()).toHaveLength(6);
    h.clock.advance(24 * 60 * MIN);
    expect((await cycle(h, engine)).findings[0]!.kind).toBe("remedy.switched");
  });

  test("a global cap across agents", async () => {
    const h = setup({
      config: config9(PRIMARY, { ops: { model: PRIMARY } }),
      agents: [agent("main", PRIMARY), agent("ops", PRIMARY)],
    });
    for (const a of ["main", "ops"]) { h.route(a, PRIMARY, "down"); h.probe(a, CODEX, true); }
    const r = await act(h, { maxSwitchesPerDay: 1 }).evaluate();
    expect(r.findings.map((f) => `${f.kind}:${f.subject.agent}`)).toEqual(["remedy.switched:main", "remedy.capped:ops"]);
    expect(h.readConfig().agents.entries.ops.model).toBe(PRIMARY);
  });
});

describe("confirmation and rollback", () => {
  test("rolls back when openclaw config validate fails after the change", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.control({ validateFails: true });
    const engine = act(h);
    const r = await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
    expect(r.findings[0]!.kind).toBe("remedy.failed");
    expect(r.actions[0]).toMatchObject({ op: "fallback", result: "rolled-back" });
    const audit = engine.audit.read();
    expect(audit.map((a) => `${a.op}:${a.phase}`)).toEqual(["fallback:intent", "rollback:intent", "rollback:result", "fallback:result"]);
    expect(engine.activeFallbacks()).toEqual([]);
    expect(h.writes().at(-1)).toEqual(["config", "set", "agents.entries.main.model", JSON.stringify(PRIMARY), "--strict-json", "--expect-current-json", JSON.stringify(CODEX)]);
  });

  test("rolls back when the value read back is not the one written", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.control({ setWrites: "mystery/model" });
    const r = await act(h).evaluate();
    expect(r.actions[0]!.result).not.toBe("ok");
    expect(r.actions[0]!.detail).toContain(`read back "mystery/model" instead of "${CODEX}"`);
  });

  test("rolls back when the gateway stops answering /health after the change", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    let calls = 0;
    const r = await act(h, {}, { gatewayHealthy: async () => ++calls === 1 }).evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
    expect(r.actions[0]).toMatchObject({ result: "rolled-back" });
    expect(r.actions[0]!.detail).toContain("stopped answering /health");
  });

  test("a human edit racing the switch wins: compare-and-set refuses and nothing is overwritten", async () => {
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.control({ touchBeforeSet: BACKUP });
    const r = await act(h).evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(BACKUP);
    expect(r.findings[0]!.kind).toBe("remedy.conflict");
    expect(r.actions[0]).toMatchObject({ result: "failed" });
  });
});

describe("odd shapes and failures", () => {
  test("an inherited model with no authored default is set, and restore unsets it again", async () => {
    const h = setup({ config: { agents: { entries: { main: {} } } }, agents: [agent("main", "anthropic/claude-opus-4-6")] });
    h.route("main", "anthropic/claude-opus-4-6", "down");
    h.probe("main", CODEX, true);
    const engine = act(h);
    await engine.evaluate();
    expect(h.readConfig().agents.defaults.model).toEqual({ primary: CODEX });
    expect(h.writes()[0]).toEqual(["config", "set", "agents.defaults.model.primary", JSON.stringify(CODEX), "--strict-json", "--expect-current-absent"]);
    h.route("main", "anthropic/claude-opus-4-6", "ok");
    h.clock.advance(31 * MIN);
    await engine.evaluate();
    expect(h.writes().at(-1)).toEqual(["config", "unset", "agents.defaults.model.primary"]);
    expect(h.readConfig().agents.defaults.model).toEqual({});
  });

  test("a refused set is a remedy.failed finding with the CLI's message, and no secret reaches the audit log", async () => {
    const key = "sk-or-v1-" + "0123456789abcdef".repeat(4);
    const h = setup();
    h.route("main", PRIMARY, "down");
    h.probe("main", CODEX, true);
    h.control({ failSet: `provider check failed for key ${key}` });
    const engine = act(h);
    const r = await engine.evaluate();
    expect(r.findings[0]!.kind).toBe("remedy.failed");
    expect(r.findings[0]!.summary).toContain("openclaw refused the change");
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
    const audit = readFileSync(engine.audit.path, "utf8");
    expect(audit).toContain("provider check failed");
    expect(audit).not.toContain(key);
    expect(JSON.stringify(r)).not.toContain(key);
  });
});

describe("manual fallback and restore", () => {
  test("without --yes it only shows the command; with it, it switches as the user and restore undoes it", async () => {
    const h = setup();
    h.probe("main", CODEX, true);
    const engine = new RemedyEngine(h.deps());
    const dry = await engine.fallback("main", CODEX, { apply: false });
    expect(dry.ok).toBe(true);
    expect(dry.message).toContain("Would run:");
    expect(h.writes()).toEqual([]);
    const done = await engine.fallback("main", CODEX, { apply: true });
    expect(done.ok).toBe(true);
    expect(done.record).toMatchObject({ who: "user", via: "clawpatrol fallback", result: "ok" });
    expect(h.readConfig().agents.entries.main.model).toBe(CODEX);
    const undone = await engine.restore("main");
    expect(undone.ok).toBe(true);
    expect(undone.record).toMatchObject({ who: "user", via: "clawpatrol restore", op: "restore", result: "ok" });
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
    expect((await engine.restore("main")).message).toMatch(/no fallback recorded/);
    expect(engine.recentActions(10).map((a) => `${a.op}:${a.phase}`)).toEqual(["restore:result", "fallback:result", "fallback:dry-run"]);
  });

  test("an unknown agent is a one-line message", async () => {
    const h = setup();
    const r = await new RemedyEngine(h.deps()).fallback("nobody", CODEX, { apply: true });
    expect(r).toEqual({ ok: false, message: 'no agent "nobody" in OpenClaw\'s config (agents: main)' });
  });
});
