// SIGKILL clawpatrol at each step of a switch; on restart `recover()` leaves a valid config that
// holds either the before or the after value, and the audit log says which.
import { describe, test, expect, afterEach } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { RemedyEngine } from "../../src/remedy/engine.js";
import { SWITCH_STEPS, type SwitchStep } from "../../src/remedy/types.js";
import { RemedyHarness, agent } from "../support/remedy-harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const PRIMARY = "openrouter/moonshotai/kimi-k2.5";
const CODEX = "openai-codex/gpt-5.4";

const harnesses: RemedyHarness[] = [];
afterEach(() => { while (harnesses.length) harnesses.pop()!.dispose(); });

/** Runs one switch in a child process that SIGKILLs itself at `step`; returns its exit signal. */
function runChild(h: RemedyHarness, step: SwitchStep | "none"): string | null {
  const spec = { bin: h.bin, env: h.env, stateDir: h.stateDir, configPath: h.configPath, agent: h.agents[0], primary: PRIMARY, candidate: CODEX };
  try {
    execFileSync(process.execPath, ["--import", join(root, "test/support/ts-hooks.mjs"), join(root, "test/support/remedy-crash-child.ts"), JSON.stringify(spec)], {
      env: { ...process.env, CLAWPATROL_CRASH_AT: step }, stdio: "pipe", timeout: 60_000,
    });
    return null;
  } catch (err) {
    const e = err as { signal?: string; stderr?: Buffer };
    if (e.signal !== "SIGKILL") throw new Error(`child failed: ${e.stderr?.toString()}`);
    return e.signal;
  }
}

const expected: Record<SwitchStep, "applied" | "not-applied"> = {
  "before-backup": "not-applied",
  "after-backup": "not-applied",
  "after-intent": "not-applied",
  "after-set": "applied",
  "after-readback": "applied",
};

describe("crash during a switch", () => {
  test.each(SWITCH_STEPS.map((s) => [s]))("killed at %s: recover() leaves the before or the after value and says which", async (step) => {
    const h = new RemedyHarness({ config: { agents: { entries: { main: { model: PRIMARY } } } }, agents: [agent("main", PRIMARY)] });
    harnesses.push(h);
    expect(runChild(h, step)).toBe("SIGKILL");

    const engine = new RemedyEngine(h.deps(), { mode: "act" });
    const recovered = await engine.recover();
    const model = h.readConfig().agents.entries.main.model;
    const audit = engine.audit.read();

    if (step === "before-backup" || step === "after-backup") {
      // Nothing was journalled yet: no pending op, nothing to reconcile, the config is untouched.
      expect(recovered).toBeNull();
      expect(model).toBe(PRIMARY);
      expect(audit).toEqual([]);
      if (step === "after-backup") expect(readdirSync(join(h.stateDir, "backups"))).toHaveLength(1);
    } else {
      expect(recovered).toMatchObject({ agent: "main", outcome: expected[step], configValid: true });
      expect(model).toBe(expected[step] === "applied" ? CODEX : PRIMARY);
      expect(audit.map((a) => a.phase)).toEqual(["intent", "recovered"]);
      expect(audit[1]).toMatchObject({ op: "fallback", result: expected[step], opId: audit[0]!.opId });
      expect(engine.activeFallbacks().length).toBe(expected[step] === "applied" ? 1 : 0);
    }
    expect(engine.store.load().pending).toBeNull();
    // The killed process's lock file is stale (its pid is gone) and is taken over below.

    // Life goes on: a later evaluate works (takes over a stale lock) and a restore of an applied
    // fallback puts back exactly the original.
    h.route("main", PRIMARY, "ok");
    h.clock.advance(31 * 60_000);
    await engine.evaluate();
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
  }, 60_000);

  test("a rollback cut short by a crash is finished by recover()", async () => {
    const h = new RemedyHarness({ config: { agents: { entries: { main: { model: CODEX } } } }, agents: [agent("main", PRIMARY)] });
    harnesses.push(h);
    const engine = new RemedyEngine(h.deps(), { mode: "act" });
    const state = engine.store.load();
    state.pending = {
      opId: "op-test", op: "fallback", who: "clawpatrol", agent: "main", path: "agents.entries.main.model", before: PRIMARY, after: CODEX,
      originalRef: PRIMARY, appliedRef: CODEX, why: ["route:main/openrouter"], startedAt: h.clock.now(), rollingBack: true,
    };
    engine.store.save(state);
    const r = await engine.recover();
    expect(r).toMatchObject({ outcome: "not-applied", configValid: true });
    expect(r!.detail).toContain("finished an interrupted rollback");
    expect(h.readConfig().agents.entries.main.model).toBe(PRIMARY);
    expect(engine.activeFallbacks()).toEqual([]);
  });

  test("without a crash the child completes the switch", () => {
    const h = new RemedyHarness({ config: { agents: { entries: { main: { model: PRIMARY } } } }, agents: [agent("main", PRIMARY)] });
    harnesses.push(h);
    expect(runChild(h, "none")).toBeNull();
    expect(h.readConfig().agents.entries.main.model).toBe(CODEX);
  }, 60_000);
});
