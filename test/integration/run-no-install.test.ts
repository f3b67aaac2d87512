// `clawpatrol run` (what `npm start` runs) on a machine with no ~/.openclaw says so at once, with
// the fix, instead of an incident with no hint 30 s later; it keeps running.
import { describe, it, expect, afterAll } from "@jest/globals";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDaemon, until } from "../support/daemon-process.js";

const home = mkdtempSync(join(tmpdir(), "clawpatrol-noinstall-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("clawpatrol run with no OpenClaw install", () => {
  it("logs one hint naming ~/.openclaw and the fix right after start, and keeps running", async () => {
    const xdg = join(home, "xdg");
    mkdirSync(join(xdg, "tmp"), { recursive: true });
    const daemon = startDaemon({ home, stateDir: join(home, ".openclaw"), xdg, configFile: join(xdg, "none.json5") }, {}, []);
    try {
      const line = await until("the hint", () => daemon.alive() && daemon.output().split("\n").find((l) => l.includes("no OpenClaw install at")), 60_000);
      const entry = JSON.parse(line) as { level: string; msg: string };
      expect(entry.level).toBe("warn");
      expect(entry.msg).toBe("no OpenClaw install at ~/.openclaw (OpenClaw's default) — set openclaw.stateDir in clawpatrol's config or pass --state-dir DIR (or --profile NAME); clawpatrol keeps watching and picks it up once it exists");
      // Right after start: before the first main-loop tick could have opened anything.
      const before = daemon.output().slice(0, daemon.output().indexOf(line));
      expect(before).toContain("clawpatrol is watching");
      expect(daemon.alive()).toBe(true);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  }, 90_000);
});
