// Upgrading from a daemon that keyed its drift baseline by clawpatrol's own state dir: the new
// daemon (and `accept`) take that baseline over, so drift open at the upgrade stays drift.
import { afterAll, describe, expect, it } from "@jest/globals";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BaselineStore } from "../../src/drift/baseline-store.js";
import { DriftMonitor } from "../../src/drift/monitor.js";

const root = mkdtempSync(join(tmpdir(), "cp-adopt-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a baseline stored by an earlier daemon", () => {
  it("is adopted under the install's id and still reports the drift it had", async () => {
    const stateDir = join(root, ".openclaw");
    const cp = join(root, "cp");
    mkdirSync(stateDir, { recursive: true });
    const cfg = join(stateDir, "openclaw.json");
    writeFileSync(cfg, `{ agents: { defaults: { timeoutSeconds: 60 } } }`);
    // What the old daemon did: the store keyed by clawpatrol's state dir.
    await new DriftMonitor({ scope: { stateDir, home: root }, store: new BaselineStore({ stateDir: cp, dir: cp }) }).rescan("initial");
    writeFileSync(cfg, `{ agents: { defaults: { timeoutSeconds: 120 } } }`);
    // An `accept` of the old version wrote one under the install's id, which that daemon never read.
    writeFileSync(new BaselineStore({ stateDir, dir: cp }).path, "{}");

    const store = new BaselineStore({ stateDir, dir: cp, legacyStateDir: cp });
    expect(store.initialized).toBe(true);
    expect(existsSync(`${store.path}.superseded`)).toBe(true);
    const report = await new DriftMonitor({ scope: { stateDir, home: root }, store }).rescan();
    expect(report.findings.map((f) => f.summary)).toEqual([expect.stringContaining("agents.defaults.timeoutSeconds: 60 → 120")]);
  });

  it("is left alone when it is about another install", async () => {
    const cp = join(root, "cp2");
    const watched = join(root, "watched");
    const other = join(root, "other");
    for (const d of [watched, other]) {
      mkdirSync(d);
      writeFileSync(join(d, "openclaw.json"), "{}");
    }
    await new DriftMonitor({ scope: { stateDir: watched, home: root }, store: new BaselineStore({ stateDir: cp, dir: cp }) }).rescan("initial");
    expect(new BaselineStore({ stateDir: other, dir: cp, legacyStateDir: cp }).initialized).toBe(false);
    expect(new BaselineStore({ stateDir: watched, dir: cp, legacyStateDir: cp }).initialized).toBe(true);
  });
});
