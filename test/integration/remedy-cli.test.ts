// `clawpatrol fallback` / `clawpatrol restore` as a user runs them: the real CLI entry point and the
// real adapter on a temp OpenClaw config, with a fake `openclaw` executable that records its argv.
import { describe, test, expect, afterAll } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fakeOpenclawSource } from "../support/remedy-harness.js";
import { installStateDir } from "../../src/state/install-dir.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = mkdtempSync(join(tmpdir(), "clawpatrol-remedy-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ocState = join(dir, "home", ".openclaw");
const cpState = join(dir, "clawpatrol");
// The remedy's state and audit live in clawpatrol's directory for this install (as the daemon's).
const installState = installStateDir(cpState, ocState);
const bin = join(dir, "bin", "openclaw");
mkdirSync(ocState, { recursive: true });
mkdirSync(dirname(bin), { recursive: true });
writeFileSync(bin, `#!${process.execPath}\n${fakeOpenclawSource()}`);
chmodSync(bin, 0o755);
writeFileSync(join(ocState, "openclaw.json"), JSON.stringify({
  gateway: { mode: "local", port: 18995 },
  models: { providers: { mock: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", apiKey: "x", models: [{ id: "a" }, { id: "b" }] } } },
  agents: { entries: { main: { model: "mock/a" } } },
}));

function clawpatrol(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", join(root, "test/support/ts-hooks.mjs"), join(root, "src/cli/main.ts"), ...args, "--state-dir", ocState, "--openclaw-bin", bin], {
    env: { ...process.env, HOME: join(dir, "home"), CLAWPATROL_STATE_DIR: cpState, FAKE_OPENCLAW_LOG: join(dir, "argv.log") },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const model = () => JSON.parse(readFileSync(join(ocState, "openclaw.json"), "utf8")).agents.entries.main.model;

describe("clawpatrol fallback / restore", () => {
  test("without --yes it prints the exact command and changes nothing", () => {
    const r = clawpatrol("fallback", "--agent", "main", "--to", "mock/b");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Would run: ${bin} config set agents.entries.main.model '"mock/b"' --strict-json --expect-current-json '"mock/a"'`);
    expect(r.out).toContain("Re-run with --yes");
    expect(model()).toBe("mock/a");
  }, 60_000);

  test("with --yes it switches (audited as the user, backed up) and restore puts the model back", () => {
    const r = clawpatrol("fallback", "--agent", "main", "--to", "mock/b", "--yes");
    expect(r.code).toBe(0);
    expect(r.out).toContain('Switched agent main: agents.entries.main.model "mock/a" → "mock/b"');
    expect(model()).toBe("mock/b");
    const back = clawpatrol("restore", "--agent", "main");
    expect(back.code).toBe(0);
    expect(back.out).toContain('Restored agent main: agents.entries.main.model = "mock/a"');
    expect(model()).toBe("mock/a");
    const audit = readFileSync(join(installState, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(audit.map((a) => `${a.who}:${a.op}:${a.phase}`)).toEqual([
      "user:fallback:dry-run", "user:fallback:intent", "user:fallback:result", "user:restore:intent", "user:restore:result",
    ]);
    expect(statSync(join(installState, "audit.jsonl")).mode & 0o777).toBe(0o600);
  }, 60_000);

  test("what could not be done is UNKNOWN (exit 3), never WARNING: a restore with nothing to restore, a fallback for no such agent", () => {
    const nothing = clawpatrol("restore", "--agent", "main");
    expect(nothing.code).toBe(3);
    expect(nothing.err).toContain("nothing to restore");
    const nobody = clawpatrol("fallback", "--agent", "nobody", "--to", "mock/b", "--yes");
    expect(nobody.code).toBe(3);
    expect(nobody.err).toContain('no agent "nobody"');
    expect(model()).toBe("mock/a");
  }, 60_000);

  test("an openclaw that cannot run is exit 3 with one line saying what failed and the fix, preview or not", () => {
    const run = (bin: string | null, ...args: string[]) => {
      const r = spawnSync(process.execPath, ["--import", join(root, "test/support/ts-hooks.mjs"), join(root, "src/cli/main.ts"), "fallback", "--agent", "main", "--to", "mock/b", "--state-dir", ocState, ...(bin ? ["--openclaw-bin", bin] : []), ...args], {
        // PATH without any openclaw: the default binary is not found.
        env: { PATH: "/usr/bin:/bin", HOME: join(dir, "home"), CLAWPATROL_STATE_DIR: cpState },
        encoding: "utf8",
        timeout: 60_000,
      });
      return { code: r.status, err: r.stderr, out: r.stdout };
    };
    const fix = "put a working openclaw on PATH or pass --openclaw-bin PATH";
    for (const args of [[], ["--yes"]]) {
      const notOnPath = run(null, ...args);
      expect(notOnPath).toEqual({ code: 3, out: "", err: `clawpatrol fallback: could not run openclaw: openclaw not found (ENOENT: not on PATH and no such file); ${fix}\n` });
      const broken = run("/bin/false", ...args);
      expect({ code: broken.code, out: broken.out }).toEqual({ code: 3, out: "" });
      // GNU false prints its version on --version, then exits 1.
      expect(broken.err).toMatch(new RegExp(`^clawpatrol fallback: could not run openclaw: /bin/false --version exited 1( \\(.*\\)| with no output); ${fix}\n$`));
    }
    expect(model()).toBe("mock/a");
  }, 60_000);

  test("mistakes are one-line messages, never stack traces", () => {
    const cases = [
      [["restore", "--agent", "main"], /^clawpatrol restore: clawpatrol has no fallback recorded for agent main; nothing to restore\n$/],
      [["fallback", "--agent", "nope", "--to", "mock/b", "--yes"], /^clawpatrol fallback: no agent "nope" in OpenClaw's config \(agents: main\)\n$/],
      [["fallback", "--agent", "main", "--to", "bad", "--yes"], /^clawpatrol fallback: --to must be a model ref "provider\/model", got "bad"\n$/],
    ] as const;
    for (const [args, message] of cases) {
      const r = clawpatrol(...args);
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(message);
    }
  }, 60_000);
});
