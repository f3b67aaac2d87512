// config.shadowed-default is quiet on a healthy install (info: check and the digest) and becomes a
// warning only when it matters now: the default was just changed and some agents do not follow.
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import { shadowedDefaults } from "../../src/checks/lint.js";
import { defaultReachFindings } from "../../src/checks/default-reach.js";
import { BaselineStore } from "../../src/drift/baseline-store.js";
import { DriftMonitor } from "../../src/drift/monitor.js";
import { fixtureHome, T0 } from "./adapter-fixtures.js";

let home: string;
let state: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "cp-reach-"));
  cpSync(fixtureHome("seed-000"), home, { recursive: true });
  state = join(home, ".openclaw");
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const read = () => readInstallation({ stateDir: state, home, env: {}, now: T0 });

function setConfig(edit: (cfg: { agents: { defaults: { model: { primary: string } } } }) => void): void {
  const file = join(state, "openclaw.json");
  const cfg = JSON.parse(readFileSync(file, "utf8"));
  edit(cfg);
  writeFileSync(file, JSON.stringify(cfg, null, 2));
}

describe("an agent that pins its own model", () => {
  it("is an info finding on its own (a per-agent model is a normal setup)", async () => {
    const f = shadowedDefaults(await read(), T0);
    expect(f.map((x) => [x.kind, x.severity, x.subject.agent])).toEqual([["config.shadowed-default", "info", "main"]]);
  });

  it("is one warning naming the agents when the default was just changed and does not reach them; none once accepted", async () => {
    const monitor = new DriftMonitor({ scope: { stateDir: state, home }, store: new BaselineStore({ stateDir: state, dir: join(home, "cp") }) });
    await monitor.rescan("initial");
    await monitor.accept(undefined, "test");
    expect(defaultReachFindings(await read(), (await monitor.rescan()).findings, T0)).toEqual([]);

    setConfig((cfg) => (cfg.agents.defaults.model.primary = "anthropic/claude-sonnet-4-5"));
    const drift = (await monitor.rescan()).findings;
    const [warning, ...rest] = defaultReachFindings(await read(), drift, T0);
    expect(rest).toEqual([]);
    expect(warning!.severity).toBe("warning");
    expect(warning!.summary).toBe("your new default anthropic/claude-sonnet-4-5 does not reach main: it pins its own model");
    expect(warning!.detail).toContain("openclaw config unset agents.list[0].model");

    await monitor.accept(undefined, "test");
    expect(defaultReachFindings(await read(), (await monitor.rescan()).findings, T0)).toEqual([]);
  });

  it("a change elsewhere in the config does not make it a warning", async () => {
    const monitor = new DriftMonitor({ scope: { stateDir: state, home }, store: new BaselineStore({ stateDir: state, dir: join(home, "cp") }) });
    await monitor.rescan("initial");
    await monitor.accept(undefined, "test");
    setConfig((cfg) => ((cfg as unknown as { session: { dmScope: string } }).session.dmScope = "main"));
    const drift = (await monitor.rescan()).findings;
    expect(drift.map((f) => f.kind)).toEqual(["config.drift"]);
    expect(defaultReachFindings(await read(), drift, T0)).toEqual([]);
  });
});
