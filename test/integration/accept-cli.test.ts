// `clawpatrol accept` on real files: first run creates the baseline, --file moves one file, output is redacted.
import { describe, it, expect, afterAll } from "@jest/globals";
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acceptBaseline, renderAccept } from "../../src/cli/accept.js";
import { BaselineStore } from "../../src/drift/baseline-store.js";
import { DriftMonitor } from "../../src/drift/monitor.js";

const KEY = "sk-or-v1-" + "e5".repeat(30) + "04f4";
const KEY2 = "sk-or-v1-" + "f6".repeat(30) + "a81c";
const root = mkdtempSync(join(tmpdir(), "cp-accept-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("clawpatrol accept", () => {
  it("creates the baseline, then accepts one changed file and shows only fingerprints", async () => {
    const stateDir = join(root, ".openclaw");
    mkdirSync(join(stateDir, "agents", "main", "agent"), { recursive: true });
    const cfg = join(stateDir, "openclaw.json");
    writeFileSync(cfg, `{ agents: { entries: { main: { model: "a/b" } } }, models: { providers: { openrouter: { apiKey: "${KEY}" } } } }`, { mode: 0o600 });
    writeFileSync(join(stateDir, ".env"), "OPENCLAW_LOG_LEVEL=info\n", { mode: 0o600 });
    const env = { HOME: root };
    const cp = join(root, "cp");
    const first = await acceptBaseline({ stateDir, env, clawpatrolStateDir: cp });
    expect(first.firstRun).toBe(true);
    expect(renderAccept(first)).toContain("Created the drift baseline from 2 watched files");

    writeFileSync(cfg, `{ agents: { entries: { main: { model: "c/d" } } }, models: { providers: { openrouter: { apiKey: "${KEY2}" } } } }`);
    chmodSync(cfg, 0o644);
    writeFileSync(join(stateDir, ".env"), "OPENCLAW_LOG_LEVEL=debug\n");
    const one = await acceptBaseline({ stateDir, env, clawpatrolStateDir: cp, file: cfg });
    const text = renderAccept(one);
    expect(text).toContain('agents.entries.main.model: "a/b" → "c/d"');
    expect(text).toMatch(/apiKey: sk-or-v1-…04f4 #\w{8} → sk-or-v1-…a81c #\w{8}/);
    expect(text).toContain("mode 0600 → 0644");
    expect(text).not.toContain(KEY2);
    // Only the config moved: .env is still drifted.
    const monitor = new DriftMonitor({ scope: { stateDir, home: root }, store: new BaselineStore({ stateDir, dir: cp }) });
    const report = await monitor.rescan();
    expect(report.findings.map((f) => f.subject.file)).toEqual([join(stateDir, ".env")]);
    const all = await acceptBaseline({ stateDir, env, clawpatrolStateDir: cp });
    expect(all.accepted.map((d) => d.file)).toEqual([join(stateDir, ".env")]);
    expect((await monitor.rescan()).findings).toEqual([]);
  });

  it("names the file and the fix when the path is not watched", async () => {
    const stateDir = join(root, ".openclaw");
    await expect(acceptBaseline({ stateDir, env: { HOME: root }, clawpatrolStateDir: join(root, "cp"), file: "/etc/hostname" })).rejects.toThrow(/\/etc\/hostname is not a watched file/);
  });
});
