// Opt-in gateway restart with a budget, backoff and the in-flight guard, against a fake `systemctl`
// executable that records its argv.
import { describe, test, expect, afterEach } from "@jest/globals";
import { mkdtempSync, writeFileSync, chmodSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../src/util/clock.js";
import { realExec } from "../../src/util/exec.js";
import { GatewayRestarter, refusedRestartCommand, type GatewayRestartOptions } from "../../src/remedy/gateway-restart.js";
import { AuditLog } from "../../src/remedy/audit.js";

const MIN = 60_000;
const dirs: string[] = [];
afterEach(() => { while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true }); });

function setup(options: Partial<GatewayRestartOptions> = {}, exitCode = 0) {
  const root = mkdtempSync(join(tmpdir(), "clawpatrol-restart-"));
  dirs.push(root);
  const log = join(root, "argv.log");
  const bin = join(root, "systemctl");
  writeFileSync(bin, `#!${process.execPath}\nrequire("node:fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n"); process.exit(${exitCode});\n`);
  chmodSync(bin, 0o755);
  const clock = new ManualClock("2026-11-21T07:00:00Z");
  const world = { down: true, inFlight: 0 };
  const restarter = new GatewayRestarter(
    { exec: realExec, clock, env: process.env, stateDir: join(root, "state"), isGatewayDown: () => world.down, runsInFlight: () => world.inFlight },
    { enabled: true, mode: "act", command: [bin, "--user", "restart", "openclaw-gateway.service"], ...options },
  );
  const calls = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]) : []);
  return { root, clock, world, restarter, calls, bin };
}

describe("gateway restart", () => {
  test("restarts only after /health stayed down past the threshold", async () => {
    const s = setup();
    expect((await s.restarter.evaluate()).waiting).toMatch(/down for 0 s/);
    s.clock.advance(MIN);
    await s.restarter.evaluate();
    expect(s.calls()).toEqual([]);
    s.clock.advance(MIN);
    const r = await s.restarter.evaluate();
    expect(s.calls()).toEqual([["--user", "restart", "openclaw-gateway.service"]]);
    expect(r.actions[0]).toMatchObject({ op: "gateway-restart", phase: "result", result: "ok", who: "clawpatrol", why: ["gateway.down"] });
    expect(new AuditLog(join(s.root, "state", "audit.jsonl")).read().map((a) => a.phase)).toEqual(["intent", "result"]);
  });

  test("backs off exponentially and stops after 3 restarts in 15 minutes", async () => {
    const s = setup({ downForMs: 0, backoffBaseMs: MIN });
    await s.restarter.evaluate(); // restart 1 at t=0
    s.clock.advance(30_000);
    expect((await s.restarter.evaluate()).waiting).toMatch(/backing off/);
    s.clock.advance(30_000);
    await s.restarter.evaluate(); // restart 2 at 1 min; next wait 2 min
    s.clock.advance(MIN);
    expect((await s.restarter.evaluate()).waiting).toMatch(/backing off/);
    s.clock.advance(MIN);
    await s.restarter.evaluate(); // restart 3 at 3 min
    expect(s.calls()).toHaveLength(3);
    s.clock.advance(5 * MIN);
    const capped = await s.restarter.evaluate();
    expect(s.calls()).toHaveLength(3);
    expect(capped.findings[0]).toMatchObject({ kind: "remedy.capped" });
    // The budget is persisted: a restarted clawpatrol does not get a fresh one.
    const again = new GatewayRestarter({ exec: realExec, clock: s.clock, env: process.env, stateDir: join(s.root, "state"), isGatewayDown: () => true, runsInFlight: () => 0 }, { enabled: true, mode: "act", command: [s.bin], downForMs: 0 });
    expect(again.restartsInWindow(s.clock.now())).toHaveLength(3);
    expect((await again.evaluate()).findings[0]!.kind).toBe("remedy.capped");
    s.clock.advance(15 * MIN);
    await s.restarter.evaluate();
    expect(s.calls()).toHaveLength(4);
  });

  test("never while an agent run is in flight", async () => {
    const s = setup({ downForMs: 0 });
    s.world.inFlight = 2;
    expect((await s.restarter.evaluate()).waiting).toMatch(/2 agent run\(s\) in flight/);
    expect(s.calls()).toEqual([]);
    s.world.inFlight = 0;
    await s.restarter.evaluate();
    expect(s.calls()).toHaveLength(1);
  });

  test("off unless enabled; observe mode records the command it would run once", async () => {
    const off = setup({ enabled: false, downForMs: 0 });
    expect((await off.restarter.evaluate()).waiting).toMatch(/not enabled/);
    const obs = setup({ mode: "observe", downForMs: 0 });
    const r1 = await obs.restarter.evaluate();
    const r2 = await obs.restarter.evaluate();
    expect(obs.calls()).toEqual([]);
    expect(r1.actions[0]).toMatchObject({ phase: "dry-run", dryRun: true, argv: [obs.bin, "--user", "restart", "openclaw-gateway.service"] });
    expect(r2.actions).toEqual([]);
  });

  test("a healthy gateway resets the down timer", async () => {
    const s = setup();
    await s.restarter.evaluate();
    s.clock.advance(90_000);
    s.world.down = false;
    await s.restarter.evaluate();
    s.world.down = true;
    s.clock.advance(60_000);
    await s.restarter.evaluate();
    expect(s.calls()).toEqual([]);
  });

  test("a failing restart command becomes a remedy.failed finding", async () => {
    const s = setup({ downForMs: 0 }, 5);
    const r = await s.restarter.evaluate();
    expect(r.findings[0]).toMatchObject({ kind: "remedy.failed" });
    expect(r.actions[0]).toMatchObject({ result: "failed" });
  });

  test("never runs repairs unattended", async () => {
    expect(refusedRestartCommand(["openclaw", "doctor", "--fix"])).toMatch(/never runs it unattended/);
    expect(refusedRestartCommand(["openclaw", "gateway", "install", "--force"])).toMatch(/never runs it unattended/);
    expect(refusedRestartCommand(["sh", "-c", "openclaw gateway restart"])).toMatch(/argv, not a shell/);
    expect(refusedRestartCommand(["openclaw", "gateway", "restart"])).toBeNull();
    const s = setup({ downForMs: 0, command: ["openclaw", "doctor", "--fix"] });
    const r = await s.restarter.evaluate();
    expect(r.findings[0]).toMatchObject({ kind: "remedy.blocked" });
  });
});
