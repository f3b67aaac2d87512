// Real files in a temp dir, real chokidar, real renames and chmods.
import { describe, it, expect, beforeEach, afterEach } from "@jest/globals";
import { mkdtempSync, mkdirSync, writeFileSync, renameSync, chmodSync, unlinkSync, appendFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DriftMonitor, type DriftReport } from "../../src/drift/monitor.js";
import { BaselineStore } from "../../src/drift/baseline-store.js";
import { fileSha256 } from "../../src/drift/snapshot.js";
import { Secret } from "../../src/util/secret.js";
import type { Installation } from "../../src/openclaw/types.js";

const KEY_A = "sk-or-v1-" + "c3".repeat(30) + "04f4";
const KEY_B = "sk-or-v1-" + "d4".repeat(30) + "a81c";

let root: string;
let stateDir: string;
let cpState: string;
let monitor: DriftMonitor;
let reports: DriftReport[];
let errors: unknown[] = [];

const config = (model: string, extra = "") =>
  `{\n  // edited by hand\n  gateway: { mode: "local", port: 18789 },\n  agents: { entries: { main: { model: "${model}" } } },${extra}\n}\n`;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(20);
  }
}

function fileReports(file: string): DriftReport[] {
  return reports.filter((r) => r.changedPaths.includes(file));
}

async function startMonitor(opts: { maxWaitMs?: number } = {}): Promise<void> {
  monitor = new DriftMonitor({
    scope: { stateDir, home: root },
    store: new BaselineStore({ stateDir, dir: cpState }),
    debounceMs: 100,
    maxWaitMs: opts.maxWaitMs ?? 1000,
    rescanIntervalMs: 0,
    onReport: (r) => { reports.push(r); },
    onError: (err) => { errors.push(err); },
  });
  await monitor.start();
  reports.length = 0;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cp-drift-"));
  stateDir = join(root, ".openclaw");
  cpState = join(root, "cp-state");
  mkdirSync(join(stateDir, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
  mkdirSync(join(stateDir, "agents", "main", "sessions"), { recursive: true });
  mkdirSync(join(root, ".config", "openclaw"), { recursive: true });
  writeFileSync(join(stateDir, "openclaw.json"), config("openai-codex/gpt-5.4"), { mode: 0o600 });
  writeFileSync(join(stateDir, ".env"), `OPENROUTER_API_KEY=${KEY_A}\n`, { mode: 0o600 });
  writeFileSync(
    join(stateDir, "agents", "main", "agent", "auth-profiles.json"),
    JSON.stringify({ version: 1, profiles: { "openrouter:default": { type: "api_key", provider: "openrouter", key: KEY_A } } }),
    { mode: 0o600 },
  );
  writeFileSync(join(stateDir, "agents", "main", "agent", "auth-state.json"), JSON.stringify({ version: 1, usageStats: {} }));
  writeFileSync(join(root, ".config", "openclaw", "gateway.env"), "OPENCLAW_GATEWAY_PORT=18789\n");
  reports = [];
  errors = [];
});

afterEach(async () => {
  await monitor?.stop();
  expect(errors).toEqual([]);
  rmSync(root, { recursive: true, force: true });
});

describe("drift watching on real files", () => {
  it("accepts the current files as the baseline on the first run and reports nothing", async () => {
    monitor = new DriftMonitor({ scope: { stateDir, home: root }, store: new BaselineStore({ stateDir, dir: cpState }), rescanIntervalMs: 0 });
    const first = await monitor.start({ watch: false });
    expect(first.findings).toEqual([]);
    expect(first.coveredKeys).toContain(`config.drift|file=${join(stateDir, "openclaw.json")}`);
    expect(first.coveredKeys).toContain(`config.drift|file=${join(root, ".config", "openclaw", "gateway.env")}`);
    expect(first.coveredKeys.some((k) => k.includes("auth-state.json"))).toBe(false);
    const stored = readFileSync(monitor.store.path, "utf8");
    expect(stored).not.toContain(KEY_A);
    expect(stored).toContain("…04f4");
  });

  it("an editor-style atomic save (temp file + rename) gives one report naming the changed key", async () => {
    await startMonitor();
    const cfg = join(stateDir, "openclaw.json");
    const tmp = join(stateDir, "openclaw.json.Xa81cQ9z");
    writeFileSync(tmp, config("openrouter/moonshotai/kimi-k2.5"), { mode: 0o600 });
    renameSync(tmp, cfg);
    await waitFor(() => fileReports(cfg).length > 0);
    await sleep(400);
    expect(fileReports(cfg)).toHaveLength(1);
    const r = fileReports(cfg)[0]!;
    expect(r.changedPaths).toEqual([cfg]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.evidence!.changes).toEqual(['agents.entries.main.model: "openai-codex/gpt-5.4" → "openrouter/moonshotai/kimi-k2.5"']);
    expect(reports.every((x) => x.changedPaths.every((p) => !p.includes("Xa81cQ9z")))).toBe(true);
  });

  it("a comment-only edit changes bytes but reports no drift", async () => {
    await startMonitor();
    const cfg = join(stateDir, "openclaw.json");
    writeFileSync(cfg, config("openai-codex/gpt-5.4").replace("edited by hand", "a different comment") + "\n\n");
    await waitFor(() => fileReports(cfg).length > 0);
    expect(fileReports(cfg)[0]!.findings).toEqual([]);
  });

  it("renaming an auth file away is a deletion; renaming it back clears the drift", async () => {
    await startMonitor();
    const auth = join(stateDir, "agents", "main", "agent", "auth-profiles.json");
    renameSync(auth, auth + ".disabled");
    await waitFor(() => reports.some((r) => r.findings.some((f) => f.subject.file === auth)));
    const f = reports.at(-1)!.findings.find((x) => x.subject.file === auth)!;
    expect(f.summary).toContain("was deleted");
    renameSync(auth + ".disabled", auth);
    await waitFor(() => reports.at(-1)!.changedPaths.includes(auth) && reports.at(-1)!.findings.length === 0);
  });

  it("chmod 0644 on an auth file is reported as loosened permissions", async () => {
    await startMonitor();
    const auth = join(stateDir, "agents", "main", "agent", "auth-profiles.json");
    chmodSync(auth, 0o644);
    await waitFor(() => fileReports(auth).length > 0);
    const f = fileReports(auth)[0]!.findings[0]!;
    expect(f.summary).toContain("permissions loosened 0600 → 0644");
    expect(JSON.stringify(f)).not.toContain(KEY_A);
  });

  it("a deleted $include file is reported; its key-level content was in the baseline", async () => {
    const inc = join(stateDir, "agents.json5");
    writeFileSync(inc, `{ entries: { main: { model: "a/b" } } }`);
    writeFileSync(join(stateDir, "openclaw.json"), `{ agents: { $include: "./agents.json5" } }`);
    monitor = new DriftMonitor({
      scope: { stateDir, home: root, extraFiles: [inc] },
      store: new BaselineStore({ stateDir, dir: cpState }),
      debounceMs: 100,
      rescanIntervalMs: 0,
      onReport: (r) => { reports.push(r); },
    });
    await monitor.start();
    reports.length = 0;
    unlinkSync(inc);
    await waitFor(() => fileReports(inc).length > 0);
    const f = fileReports(inc)[0]!.findings.find((x) => x.subject.file === inc)!;
    expect(f.severity).toBe("critical");
    expect(f.summary).toBe("agents.json5 was deleted (it is in the accepted baseline)");
  });

  it("1,000 writes in a second produce one coalesced drift report", async () => {
    // maxWait bounds how long a never-ending burst can delay a report; keep it above the burst.
    await startMonitor({ maxWaitMs: 5000 });
    const cfg = join(stateDir, "openclaw.json");
    for (let i = 0; i < 1000; i++) writeFileSync(cfg, config(`burst/model-${i}`));
    await waitFor(() => fileReports(cfg).length > 0);
    await sleep(800);
    expect(fileReports(cfg)).toHaveLength(1);
    expect(reports.at(-1)!.findings[0]!.evidence!.changes).toEqual(['agents.entries.main.model: "openai-codex/gpt-5.4" → "burst/model-999"']);
  });

  it("usage stats, session stores, transcripts and SQLite churn produce no report at all", async () => {
    await startMonitor();
    const agent = join(stateDir, "agents", "main");
    for (let i = 0; i < 20; i++) {
      writeFileSync(join(agent, "agent", "auth-state.json"), JSON.stringify({ version: 1, usageStats: { "openrouter:default": { errorCount: i, cooldownUntil: Date.now() + 30_000 } } }));
      writeFileSync(join(agent, "sessions", "sessions.json"), JSON.stringify({ n: i }));
      appendFileSync(join(agent, "sessions", "s1.jsonl"), JSON.stringify({ i }) + "\n");
      writeFileSync(join(agent, "agent", "openclaw-agent.sqlite-wal"), `wal ${i}`);
      writeFileSync(join(stateDir, "openclaw.json.bak"), `backup ${i}`);
    }
    await sleep(800);
    expect(reports).toEqual([]);
    const rescan = await monitor.rescan();
    expect(rescan.findings).toEqual([]);
  });

  it("a .env key rotation is reported with fingerprints only", async () => {
    await startMonitor();
    const env = join(stateDir, ".env");
    writeFileSync(env, `OPENROUTER_API_KEY=${KEY_B}\n`);
    await waitFor(() => fileReports(env).length > 0);
    const text = JSON.stringify(fileReports(env));
    expect(text).not.toContain(KEY_A);
    expect(text).not.toContain(KEY_B);
    expect(text).toMatch(/OPENROUTER_API_KEY: sk-or-v1-…04f4 #[0-9a-f]{8} → sk-or-v1-…a81c #[0-9a-f]{8}/);
  });

  it("a change clawpatrol announced is absorbed as its own, while a foreign change stays visible", async () => {
    await startMonitor();
    const cfg = join(stateDir, "openclaw.json");
    // A person changes the port first (foreign drift) …
    writeFileSync(cfg, config("openai-codex/gpt-5.4").replace("18789", "18790"));
    await waitFor(() => fileReports(cfg).length === 1);
    // … then clawpatrol switches the model.
    monitor.recordOwnChange(cfg, null, "fallback main → openrouter/moonshotai/kimi-k2.5");
    writeFileSync(cfg, config("openrouter/moonshotai/kimi-k2.5").replace("18789", "18790"));
    await waitFor(() => fileReports(cfg).length === 2);
    const r = fileReports(cfg)[1]!;
    expect(r.ownChanges.map((o) => o.note)).toEqual(["fallback main → openrouter/moonshotai/kimi-k2.5"]);
    expect(r.ownChanges[0]!.changes).toEqual(['agents.entries.main.model: "openai-codex/gpt-5.4" → "openrouter/moonshotai/kimi-k2.5"']);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.evidence!.changes).toEqual(["gateway.port: 18789 → 18790"]);
  });

  it("an own change announced right after the write with its hash is absorbed too", async () => {
    await startMonitor();
    const cfg = join(stateDir, "openclaw.json");
    writeFileSync(cfg, config("x/y"));
    await waitFor(() => fileReports(cfg).length === 1);
    expect(reports.at(-1)!.findings).toHaveLength(1);
    monitor.recordOwnChange(cfg, await fileSha256(cfg), "switched main to x/y");
    await waitFor(() => reports.at(-1)!.ownChanges.length === 1);
    expect(reports.at(-1)!.findings).toEqual([]);
  });

  it("`accept` from another process moves the baseline and the running monitor stops reporting", async () => {
    await startMonitor();
    const cfg = join(stateDir, "openclaw.json");
    writeFileSync(cfg, config("new/model"));
    await waitFor(() => fileReports(cfg).length === 1 && reports.at(-1)!.findings.length === 1);
    // What `clawpatrol accept --file` does, in a separate monitor with its own store instance.
    const cli = new DriftMonitor({ scope: { stateDir, home: root }, store: new BaselineStore({ stateDir, dir: cpState }) });
    const accepted = await cli.accept(cfg);
    expect(accepted.map((d) => d.file)).toEqual([cfg]);
    await waitFor(() => reports.at(-1)!.reason === "baseline-moved");
    expect(reports.at(-1)!.findings).toEqual([]);
  });

  it("compares database-backed auth stores logically: a rotated key is drift, a rewrite of the same key is not", async () => {
    await startMonitor();
    const inst = (key: string) =>
      ({
        paths: { stateDir, configPath: join(stateDir, "openclaw.json"), chosenBy: "test" },
        config: null,
        configFiles: [join(stateDir, "openclaw.json")],
        agents: [
          {
            id: "main",
            credentials: [
              {
                provider: "openrouter",
                winner: { id: "openrouter|profile:openrouter:default", provider: "openrouter", type: "api_key", secret: new Secret(key), source: { kind: "profile", label: "stored profile", file: join(stateDir, "state", "openclaw.sqlite"), profileId: "openrouter:default" } },
                others: [],
                rule: "",
              },
            ],
          },
        ],
      }) as unknown as Installation;
    expect((await monitor.observeInstallation(inst(KEY_A))).findings).toEqual([]);
    expect((await monitor.observeInstallation(inst(KEY_A))).findings).toEqual([]);
    const r = await monitor.observeInstallation(inst(KEY_B));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.evidence!.changes).toEqual([expect.stringMatching(/^state\/openclaw\.sqlite#openrouter:default\.credential: sk-or-v1-…04f4 #\w{8} → sk-or-v1-…a81c #\w{8}$/)]);
    expect(JSON.stringify(r)).not.toContain(KEY_B);
  });
});
