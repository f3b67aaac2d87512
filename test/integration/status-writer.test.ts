import { describe, it, expect, beforeEach, afterEach } from "@jest/globals";
import { mkdtempSync, rmSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { StatusWriter, readStatusFile } from "../../src/status/writer.js";
import { validateStatus, formatSchemaErrors } from "../../src/status/validate.js";
import { startMetricsServer } from "../../src/status/prometheus.js";
import { buildStatusSnapshot, type StatusSnapshot } from "../../src/status/snapshot.js";
import { pidAlive, runStatus, type CliIO } from "../../src/cli/status.js";
import { spawnSync } from "node:child_process";
import { fixtureInputs, fixtureSnapshot, FAKE_OPENROUTER_KEY, T0 } from "../support/status-fixture.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), "clawpatrol-status-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every test that writes a status file checks it against the shipped schema. */
function readValid(path: string): StatusSnapshot {
  const value = JSON.parse(readFileSync(path, "utf8")) as unknown;
  const errors = validateStatus(value);
  if (errors.length) throw new Error(`status file does not match schema:\n${formatSchemaErrors(errors)}`);
  return value as StatusSnapshot;
}

function io(now: number, env: NodeJS.ProcessEnv = {}): CliIO & { stdout: string; stderr: string } {
  const o = { env, color: false, now: () => now, stdout: "", stderr: "", out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) };
  return o;
}

describe("status file", () => {
  it("is written 0600, valid against its schema, with no secret in it", async () => {
    const path = join(dir, "state", "clawpatrol", "status.json");
    const writer = new StatusWriter({ path });
    await writer.write(fixtureSnapshot());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const s = readValid(path);
    expect(s.summary.line).toBe("2 agents, 2/3 routes ok, 1 incident: main openrouter auth");
    expect(readFileSync(path, "utf8")).not.toContain(FAKE_OPENROUTER_KEY);
    expect(readdirSync(join(dir, "state", "clawpatrol"))).toEqual(["status.json"]); // no temp files left
  });

  it("concurrent readers never see a partial file while it is rewritten many times", async () => {
    const path = join(dir, "status.json");
    const writer = new StatusWriter({ path });
    await writer.write(fixtureSnapshot());
    // A separate process reads as fast as it can; every read must parse and carry a whole snapshot.
    const reader = spawn(process.execPath, ["-e", `
      const fs = require("fs");
      let reads = 0, bad = 0, versions = new Set();
      const stop = Date.now() + 60000;
      process.stdin.on("data", () => { console.log(JSON.stringify({ reads, bad, distinct: versions.size })); process.exit(0); });
      (function loop() {
        for (let i = 0; i < 200; i++) {
          try { const s = JSON.parse(fs.readFileSync(${JSON.stringify(path)}, "utf8")); reads++; versions.add(s.generatedAt);
                if (!s.alerts || s.schemaVersion !== 1) bad++; }
          catch (e) { bad++; }
        }
        if (Date.now() < stop) setImmediate(loop);
      })();
    `], { stdio: ["pipe", "pipe", "inherit"] });
    let output = "";
    reader.stdout!.on("data", (d) => (output += String(d)));
    // Rewrite 300 times with growing and shrinking content (different sizes make torn reads visible).
    for (let i = 0; i < 300; i++) {
      const inputs = fixtureInputs(T0 + 3_600_000 + i * 1000);
      const padded = { ...inputs, actions: Array.from({ length: i % 17 }, (_, k) => ({ at: T0 + k, type: "fallback", result: "ok" as const, summary: "x".repeat(200) })) };
      await writer.write(buildStatusSnapshot(padded));
    }
    reader.stdin!.write("done\n");
    await new Promise((r) => reader.on("exit", r));
    const stats = JSON.parse(output) as { reads: number; bad: number; distinct: number };
    expect(stats.bad).toBe(0);
    expect(stats.reads).toBeGreaterThan(100);
    expect(stats.distinct).toBeGreaterThan(5);
    expect(readValid(path).generatedAt).toBe(new Date(T0 + 3_600_000 + 299_000).toISOString());
    expect(writer.writes).toBe(301);
  }, 60_000);

  it("a burst of writes collapses to the newest snapshot, which is what ends up on disk", async () => {
    const path = join(dir, "status.json");
    const writer = new StatusWriter({ path });
    const pending = Array.from({ length: 50 }, (_, i) => writer.write(fixtureSnapshot(T0 + 3_600_000 + i)));
    await Promise.all(pending);
    expect(readValid(path).generatedAt).toBe(new Date(T0 + 3_600_000 + 49).toISOString());
    expect(writer.writes).toBeLessThan(50);
  });

  it("refreshes on its own at least every interval, and writes the Prometheus textfile alongside", async () => {
    const path = join(dir, "status.json");
    const prom = join(dir, "textfile", "clawpatrol.prom");
    const writer = new StatusWriter({ path, intervalMs: 50, prometheusTextfile: prom });
    let n = 0;
    writer.start(() => fixtureSnapshot(T0 + 3_600_000 + ++n * 1000));
    await new Promise((r) => setTimeout(r, 400));
    await writer.stop();
    expect(n).toBeGreaterThanOrEqual(3);
    expect(readValid(path).generatedAt).toBe(new Date(T0 + 3_600_000 + n * 1000).toISOString());
    expect(statSync(prom).mode & 0o777).toBe(0o644);
    expect(readFileSync(prom, "utf8")).toContain('clawpatrol_incidents_open{severity="critical"} 1');
  });

  it("serves /metrics on 127.0.0.1 from the current snapshot", async () => {
    const writer = new StatusWriter({ path: join(dir, "status.json") });
    const server = await startMetricsServer("127.0.0.1:0", () => writer.current);
    try {
      expect((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status).toBe(503);
      await writer.write(fixtureSnapshot());
      readValid(writer.path);
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
      const body = await res.text();
      expect(body).toContain("clawpatrol_gateway_up 1");
      expect(body).not.toContain(FAKE_OPENROUTER_KEY);
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe("clawpatrol status", () => {
  const now = T0 + 50 * 60_000;

  it("prints the table and exits 2 while a critical incident is open", async () => {
    const path = join(dir, "status.json");
    await new StatusWriter({ path }).write(fixtureSnapshot(now));
    readValid(path);
    const out = io(now + 20_000);
    expect(await runStatus({ path }, out)).toBe(2);
    expect(out.stdout).toContain("CRITICAL  2 agents, 2/3 routes ok, 1 incident: main openrouter auth");
    expect(out.stderr).toBe("");
  });

  it("--json prints the file for scripts, exit 0 when all is well", async () => {
    const path = join(dir, "status.json");
    await new StatusWriter({ path }).write(buildStatusSnapshot({ ...fixtureInputs(now), incidents: [] }));
    readValid(path);
    const out = io(now);
    expect(await runStatus({ path, json: true }, out)).toBe(0);
    expect(validateStatus(JSON.parse(out.stdout))).toEqual([]);
  });

  it("says 'clawpatrol is not running' and exits 3 when the last loop tick is older than 3 minutes", async () => {
    const path = join(dir, "status.json");
    await new StatusWriter({ path }).write(fixtureSnapshot(now));
    readValid(path);
    const out = io(now + 4 * 60_000);
    expect(await runStatus({ path }, out)).toBe(3);
    expect(out.stderr).toMatch(/^clawpatrol is not running: its last loop tick was 4m ago/);
    expect(out.stdout).toMatch(/^NOT RUNNING — clawpatrol is not running: its last loop tick was 4m ago/);
  });

  it("says 'not running since …' and exits 3 when the pid in a fresh status file has exited (a clean stop)", async () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    const path = join(dir, "status.json");
    const snap = fixtureSnapshot(now);
    await new StatusWriter({ path }).write({ ...snap, clawpatrol: { ...snap.clawpatrol, pid: gone } });
    const out = Object.assign(io(now + 20_000), { pidAlive });
    expect(await runStatus({ path }, out)).toBe(3);
    const line = `clawpatrol is not running since ${snap.clawpatrol.lastLoopTickAt} (25s ago; pid ${gone} has exited); what follows is what it last saw. Start it: systemctl --user start clawpatrol`;
    expect(out.stderr).toBe(`${line}\n`);
    // Said first, before the figures that would otherwise read as current (no "up since").
    expect(out.stdout.split("\n")[0]).toBe(`NOT RUNNING — ${line}`);
    expect(out.stdout).toContain(` · pid ${gone} (stopped) · was up since `);
    expect(out.stdout).not.toMatch(/ · up since /);
    const alive = Object.assign(io(now + 20_000), { pidAlive });
    await new StatusWriter({ path }).write({ ...snap, clawpatrol: { ...snap.clawpatrol, pid: process.pid } });
    expect(await runStatus({ path }, alive)).toBe(2);
  });

  it("exits 3 with one line when there is no status file, or it is not a status file", async () => {
    const out = io(now, { XDG_STATE_HOME: join(dir, "nostate"), XDG_CONFIG_HOME: join(dir, "noconfig") });
    expect(await runStatus({}, out)).toBe(3);
    expect(out.stderr).toBe(`clawpatrol is not running: no status file at ${join(dir, "nostate", "clawpatrol", "status.json")} (start it: systemctl --user start clawpatrol, or clawpatrol install)\n`);
    const junk = join(dir, "junk.json");
    writeFileSync(junk, '{"schemaVersion": 1, "generatedAt": ');
    const out2 = io(now);
    expect(await runStatus({ path: junk }, out2)).toBe(3);
    expect(out2.stderr).toContain("not JSON");
  });

  it("finds the status file through the config's status.path", async () => {
    const path = join(dir, "custom", "st.json");
    await new StatusWriter({ path }).write(fixtureSnapshot(now));
    readValid(path);
    const configFile = join(dir, "c.json5");
    writeFileSync(configFile, JSON.stringify({ status: { path } }));
    const out = io(now);
    expect(await runStatus({ config: configFile }, out)).toBe(2);
  });

  it("--schema prints the shipped JSON Schema", async () => {
    const out = io(now);
    expect(await runStatus({ schema: true }, out)).toBe(0);
    expect(JSON.parse(out.stdout).title).toBe("clawpatrol status file");
  });

  it("readStatusFile rejects a file that does not match the schema, naming the field", async () => {
    const path = join(dir, "status.json");
    const s = JSON.parse(JSON.stringify(fixtureSnapshot(now)));
    s.summary.overall = "meh";
    writeFileSync(path, JSON.stringify(s));
    const r = await readStatusFile(path);
    expect(r).toMatchObject({ ok: false, reason: "invalid" });
    expect(!r.ok && r.message).toContain("summary.overall");
  });
});

describe("clawpatrol status --watch", () => {
  const CLI = join(process.cwd(), "dist", "src", "cli", "main.js");

  it("redraws when the daemon rewrites the file, says when it is not running, and ends on Ctrl-C", async () => {
    const path = join(dir, "status.json");
    const snap = fixtureSnapshot(Date.now());
    await new StatusWriter({ path }).write({ ...snap, clawpatrol: { ...snap.clawpatrol, pid: process.pid, lastLoopTickAt: new Date().toISOString() } });
    const child = spawn(process.execPath, [CLI, "status", "--watch", "--path", path], { env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg") }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const until = async (what: string, test: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until("the first frame", () => out.includes("1 incident: main openrouter auth"));
      // The daemon resolves the incident, then stops cleanly (its pid is gone).
      const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
      const quiet = buildStatusSnapshot({ ...fixtureInputs(Date.now()), incidents: [] });
      await new StatusWriter({ path }).write({ ...quiet, clawpatrol: { ...quiet.clawpatrol, pid: gone, lastLoopTickAt: new Date().toISOString() } });
      await until("the redrawn frame", () => out.includes("no incidents"));
      await until("the not-running line", () => out.includes(`pid ${gone} has exited`));
      const t0 = Date.now();
      child.kill("SIGINT");
      expect(await exited).toBe(3);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(out).toContain("clawpatrol status --watch");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});
