// `clawpatrol` on a Node older than 22.14 runs itself on the Node 24 that came with the package
// (node_modules/node), and without one says so in one line (exit 3) instead of dying on
// node:sqlite with a stack trace. Run with this machine's system Node (20) when there is one.
import { describe, expect, it, beforeAll } from "@jest/globals";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./adapter-fixtures.js";
import { hasStackTrace, requireBuild } from "./cli-runner.js";
import { nodeFloorProblem, nodeSatisfiesFloor } from "../../src/util/node-floor.js";

const LAUNCHER = join(REPO, "dist", "src", "cli", "clawpatrol.js");
const SYSTEM_NODE = "/usr/bin/node";
const systemVersion = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ["--version"], { encoding: "utf8" }).stdout.trim() : "";
const OLD_NODE = systemVersion && !nodeSatisfiesFloor(systemVersion) ? SYSTEM_NODE : null;

beforeAll(requireBuild);

describe("the Node version floor", () => {
  it("accepts 22.14 and later, refuses earlier ones", () => {
    expect(["v22.14.0", "22.15.1", "v23.0.0", "v24.21.0"].every(nodeSatisfiesFloor)).toBe(true);
    expect(["v22.13.9", "v20.20.2", "v18.0.0", "garbage", ""].some(nodeSatisfiesFloor)).toBe(false);
    expect(nodeFloorProblem("v20.20.2", "/usr/bin/node")).toMatch(/^clawpatrol needs Node ≥ 22\.14 \(found v20\.20\.2 at \/usr\/bin\/node\): install Node 22/);
  });

  (OLD_NODE ? it : it.skip)(`on the system Node (${systemVersion || "none"}) every command runs on the package's own Node 24`, () => {
    const version = spawnSync(OLD_NODE!, [LAUNCHER, "--version"], { encoding: "utf8", timeout: 30_000, env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" } });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // A command that cannot run still says why in one line (exit 3) — about OpenClaw, not Node.
    const check = spawnSync(OLD_NODE!, [LAUNCHER, "check"], { encoding: "utf8", timeout: 30_000, env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" } });
    expect(check.status).toBe(3);
    expect(check.stderr).toMatch(/^clawpatrol: no OpenClaw state dir at \/nonexistent\/\.openclaw/);
    expect(check.stderr).not.toMatch(/needs Node/);
  });

  (OLD_NODE ? it : it.skip)("without a Node of its own, one line naming the command that brings one, exit 3", () => {
    // A copy of the built package without node_modules (as `npm ci --omit=dev` or a packed install leaves it).
    const pkg = mkdtempSync(join(tmpdir(), "clawpatrol-nonode-"));
    try {
      cpSync(join(REPO, "dist", "src"), join(pkg, "dist", "src"), { recursive: true });
      cpSync(join(REPO, "package.json"), join(pkg, "package.json"));
      for (const args of [["check"], ["status"], ["--version"], ["run"]]) {
        const r = spawnSync(OLD_NODE!, [join(pkg, "dist", "src", "cli", "clawpatrol.js"), ...args], { encoding: "utf8", timeout: 30_000, env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" } });
        expect(r.status).toBe(3);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(`clawpatrol needs Node ≥ 22.14 (found ${systemVersion} at ${OLD_NODE}) and none came with it in ${join(pkg, "node_modules", "node")}: run \`npm install --prefix ${pkg} --no-save node@24\``);
        expect(hasStackTrace(r.stderr)).toBe(false);
      }
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });

  (OLD_NODE ? it : it.skip)("a signal sent to the launcher reaches the command it runs on the newer Node, and its exit code comes back", async () => {
    // `status --watch` runs until SIGINT: the launcher must pass it on (not orphan the command) and
    // exit with the command's code (3: no daemon has written a status file here).
    const home = mkdtempSync(join(tmpdir(), "clawpatrol-relaunch-"));
    try {
      const child = spawn(OLD_NODE!, [LAUNCHER, "status", "--watch"], { env: { PATH: "/usr/bin:/bin", HOME: home }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (out += d));
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
      while (!/not running/.test(out)) await new Promise((r) => setTimeout(r, 50));
      const grandchild = () => spawnSync("pgrep", ["-P", String(child.pid)], { encoding: "utf8" }).stdout.trim();
      const inner = grandchild();
      expect(inner).toMatch(/^\d+$/);
      child.kill("SIGINT");
      expect(await exited).toEqual({ code: 3, signal: null });
      expect(spawnSync("kill", ["-0", inner]).status).not.toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("the launcher runs the commands on a new enough Node", () => {
    const r = spawnSync(process.execPath, [LAUNCHER, "--version"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
