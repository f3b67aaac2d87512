// `npm start` as a new user runs it: it says what it is doing at once, and one Ctrl-C — the terminal
// signals the whole foreground process group — or a SIGINT sent to npm alone stops the daemon, and
// nothing of it is left running. The install is the seed sandbox on a loopback fake provider.
import { describe, expect, it, beforeAll, afterAll } from "@jest/globals";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./adapter-fixtures.js";
import { requireBuild } from "./cli-runner.js";
import { buildSeedSandbox, type SeedSandbox } from "../../src/demo/seed-sandbox.js";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";

const hasNpm = spawnSync("/bin/sh", ["-c", "PATH=/usr/local/bin:/usr/bin:/bin command -v npm"]).status === 0;
let provider: FakeProvider;
let seed: SeedSandbox;

beforeAll(async () => {
  requireBuild();
  provider = await startFakeProvider({ unknownKey: "401" });
  seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: 9, now: Date.now() });
  mkdirSync(join(seed.home, "state"), { recursive: true });
});
afterAll(async () => {
  seed?.dispose();
  await provider?.close();
});

interface Run {
  firstOutputMs: number;
  readyMs: number;
  stopMs: number;
  exit: { code: number | null; signal: string | null };
  firstLines: string[];
  groupLeft: boolean;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` in its own process group (as a terminal runs it); once the daemon is watching, SIGINT to `target`. */
async function startThenInterrupt(target: "group" | "npm"): Promise<Run> {
  const started = Date.now();
  const child = spawn("npm", ["start"], {
    cwd: REPO,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: seed.home,
      XDG_STATE_HOME: join(seed.home, "state"),
      XDG_CONFIG_HOME: join(seed.home, "config"),
      OPENCLAW_STATE_DIR: seed.stateDir,
      npm_config_update_notifier: "false",
    },
  });
  const pgid = child.pid!;
  let out = "";
  let firstOutputMs = -1;
  let readyMs = -1;
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const onData = (d: Buffer) => {
    if (firstOutputMs < 0) firstOutputMs = Date.now() - started;
    out += d.toString();
    if (readyMs < 0 && out.includes("clawpatrol is watching")) {
      readyMs = Date.now() - started;
      ready();
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
  try {
    await Promise.race([isReady, exited.then(() => Promise.reject(new Error(`npm start exited before the daemon was watching:\n${out}`)))]);
    const sentAt = Date.now();
    process.kill(target === "group" ? -pgid : pgid, "SIGINT");
    const exit = await exited;
    const stopMs = Date.now() - sentAt;
    // The daemon may still be writing its last lines: give the group the daemon's own deadline.
    const deadline = Date.now() + 5000;
    while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return { firstOutputMs, readyMs, stopMs, exit, firstLines: out.split("\n").filter((l) => l.trim()).slice(0, 4), groupLeft: groupAlive(pgid) };
  } finally {
    if (groupAlive(pgid)) process.kill(-pgid, "SIGKILL");
  }
}

(hasNpm ? describe : describe.skip)("npm start", () => {
  for (const target of ["group", "npm"] as const) {
    it(`says what it does first, and one SIGINT to ${target === "group" ? "the terminal's process group (Ctrl-C)" : "npm alone"} stops the daemon with nothing left running`, async () => {
      const run = await startThenInterrupt(target);
      process.stderr.write(`npm start (${target}): first output ${run.firstOutputMs} ms, watching ${run.readyMs} ms, stopped ${run.stopMs} ms after SIGINT\n`);
      // npm's own banner, then ours before anything slow (the build or the daemon's first pass).
      expect(run.firstLines.find((l) => l.startsWith("clawpatrol: "))).toMatch(/^clawpatrol: (dist\/ is up to date|building dist\/)/);
      expect(run.exit).toEqual({ code: 0, signal: null });
      expect(run.groupLeft).toBe(false);
      // The daemon's stop deadline is 4.5 s; a daemon that ignored the signal would never get here.
      expect(run.stopMs).toBeLessThan(6000);
    }, 180_000);
  }
});
