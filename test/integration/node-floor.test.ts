// `clawpatrol` on a Node older than 22.14 says so in one line (exit 3) instead of dying on
// node:sqlite with a stack trace. Run with this machine's system Node (20) when there is one.
import { describe, expect, it, beforeAll } from "@jest/globals";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
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

  (OLD_NODE ? it : it.skip)(`every command on the system Node (${systemVersion || "none"}) is one line naming the floor, exit 3`, () => {
    for (const args of [["check"], ["status"], ["--version"], ["run"]]) {
      const r = spawnSync(OLD_NODE!, [LAUNCHER, ...args], { encoding: "utf8", timeout: 30_000, env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent" } });
      expect(r.status).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`clawpatrol needs Node ≥ 22.14 (found ${systemVersion}`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it("the launcher runs the commands on a new enough Node", () => {
    const r = spawnSync(process.execPath, [LAUNCHER, "--version"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
