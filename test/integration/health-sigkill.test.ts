// A real child process, killed with SIGKILL while it rewrites its state file, never leaves a torn
// file, and the next process resumes the same open incident without opening a new one.
import { describe, it, expect } from "@jest/globals";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { HealthStore } from "../../src/health/store.js";
import { HealthTracker } from "../../src/health/tracker.js";

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, "..", "support", "health-child.mjs");

function runAndKill(dir: string, hour: number, killAfterMs: number): Promise<{ transitions: string[]; open: string[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, String(hour)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) setTimeout(() => p.kill("SIGKILL"), killAfterMs);
    });
    p.on("exit", (code, signal) => {
      if (signal !== "SIGKILL") return reject(new Error(`child exited ${code}: ${err}`));
      resolve(JSON.parse(out.split("\n")[0]!));
    });
  });
}

describe("health state survives SIGKILL", () => {
  it("is never torn by a kill mid-write and resumes the open incident without re-alerting", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-sigkill-"));
    const first = await runAndKill(dir, 0, 150);
    expect(first.transitions).toEqual(["opened"]);
    const id = first.open[0]!;
    for (let round = 1; round <= 6; round++) {
      const text = readFileSync(join(dir, "health.json"), "utf8");
      expect(() => JSON.parse(text)).not.toThrow();
      const state = new HealthStore({ dir }).load();
      expect(state).not.toBeNull();
      const resumed = HealthTracker.fromState(state);
      expect(resumed.incidentFor("route:main/openrouter")!.id).toBe(id);
      expect(resumed.isDown("route:main/openrouter")).toBe(true);
      const again = await runAndKill(dir, round, 50 + round * 60);
      expect(again.transitions).toEqual([]);
      expect(again.open).toEqual([id]);
    }
    // Temp files of killed writers may remain; the state file itself is intact.
    expect(readdirSync(dir).filter((f) => f === "health.json")).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
