// The README's install lines, as written, on a machine whose system Node is older than clawpatrol
// needs (Debian's 20 here): `npm install -g .` from this checkout into an empty HOME with only the
// system Node on PATH gives a `clawpatrol` that checks a real OpenClaw install and installs its
// unit on a Node that fits. `npm ci && npm run build` already ran for this suite (`npm test`);
// `node dist/scripts/try-readme-install.js` runs them too, from a fresh clone.
import { describe, expect, it, beforeAll, afterAll } from "@jest/globals";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { REPO } from "./adapter-fixtures.js";
import { requireBuild } from "./cli-runner.js";
import { execStart, installSandbox, readmeInstallLines, runLine, systemdCalls, type InstallSandbox } from "../../scripts/readme-install.js";
import { nodeSatisfiesFloor } from "../../src/util/node-floor.js";

const hasSystemNpm = spawnSync("/bin/sh", ["-c", "PATH=/usr/local/bin:/usr/bin:/bin command -v npm"]).status === 0;
const systemNode = spawnSync("/bin/sh", ["-c", "PATH=/usr/local/bin:/usr/bin:/bin node --version"], { encoding: "utf8" }).stdout.trim();
const LINES = readmeInstallLines(readFileSync(join(REPO, "README.md"), "utf8"));
/** Done by `npm test` before this suite runs (and by the fresh-clone script). */
const ALREADY_DONE = /^npm ci\b/;

let dir: string;
let box: InstallSandbox;

beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), "clawpatrol-readme-"));
  box = installSandbox(dir);
  cpSync(join(REPO, "test", "fixtures", "2026.9.6", "home", ".openclaw"), join(box.home, ".openclaw"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

(hasSystemNpm ? describe : describe.skip)(`the README's install lines with the system Node (${systemNode || "none"}) alone on PATH`, () => {
  it("are the build, `npm install -g .` from the clone, and the unit commands — no registry package that does not exist", () => {
    expect(LINES[0]).toMatch(ALREADY_DONE);
    expect(LINES).toContain("npm install -g .");
    expect(LINES.some((l) => /npm install -g clawpatrol\b/.test(l))).toBe(false);
    expect(LINES).toEqual(expect.arrayContaining(["clawpatrol install --dry-run", "clawpatrol install", "clawpatrol uninstall"]));
  });

  it("run as written: the command is linked, `install --dry-run` and `install` write a unit whose Node fits, `uninstall` removes it", () => {
    for (const line of LINES.filter((l) => !ALREADY_DONE.test(l))) {
      const r = runLine(line, REPO, box.env, 120_000);
      expect({ line, code: r.code, output: r.code === 0 ? "" : r.output }).toEqual({ line, code: 0, output: "" });
      expect(r.output).not.toMatch(/needs Node/);
      if (line === "clawpatrol install --dry-run") {
        const [node, main] = execStart(r.output);
        expect(main).toBe(join(REPO, "dist", "src", "cli", "main.js"));
        expect(nodeSatisfiesFloor(spawnSync(node!, ["--version"], { encoding: "utf8" }).stdout)).toBe(true);
      }
      if (line === "clawpatrol install") expect(existsSync(join(box.home, ".config", "systemd", "user", "clawpatrol.service"))).toBe(true);
    }
    expect(existsSync(join(box.home, ".config", "systemd", "user", "clawpatrol.service"))).toBe(false);
    expect(systemdCalls(box)).toEqual(expect.arrayContaining(["systemctl --user enable --now clawpatrol.service", "systemctl --user disable --now clawpatrol.service"]));
  });

  it("then `clawpatrol check` reads a real 2026.9.6 install and exits by its findings (not 3)", () => {
    const r = runLine("clawpatrol check --offline", box.home, box.env, 120_000);
    expect(r.output.split("\n")[0]).toMatch(/^(OK|WARNING|CRITICAL)\b/);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.output).toContain("OpenClaw 2026.9.6");
  });
});
