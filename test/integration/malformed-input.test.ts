// Bad input never crashes the adapter or prints a stack trace: it is a finding naming the file,
// or (nothing to read at all) a one-line error and exit 3.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildCase, COMMAND_ARGS, CORPUS, CORPUS_MODEL_IDS, corpusSecrets, type CaseContext, type CorpusCase } from "./malformed-corpus.js";
import { readInstallation } from "../../src/openclaw/installation.js";
import { collectFindings, SNAPSHOT_SOURCES } from "../../src/sources.js";
import { fixtureHome, T0 } from "./adapter-fixtures.js";
import { CLI, hasStackTrace, requireBuild, runCli } from "./cli-runner.js";

beforeAll(requireBuild);

let home: string;
let state: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "cp-bad-"));
  state = join(home, ".openclaw");
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function copyFixture(name: string): void {
  cpSync(fixtureHome(name), home, { recursive: true });
}

async function findingsOf() {
  const inst = await readInstallation({ stateDir: state, home, env: {}, now: T0 });
  return { inst, findings: await collectFindings(inst, T0, SNAPSHOT_SOURCES) };
}

function checkJson() {
  const out = runCli(["check", "--json", "--offline", "--state-dir", state], home);
  expect(hasStackTrace(out.stdout + out.stderr)).toBe(false);
  return { out, doc: JSON.parse(out.stdout) as { findings: { kind: string; severity: string; summary: string; detail?: string }[] } };
}

describe("malformed input", () => {
  test("broken JSON5 in openclaw.json is a critical config.invalid naming the file and line", async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "openclaw.json"), `{\n  agents: {\n    defaults: { model: "a/b" },,\n  }\n}\n`);
    const { inst, findings } = await findingsOf();
    expect(inst.configValid).toBe(false);
    const f = findings.find((x) => x.kind === "config.invalid")!;
    expect(f.severity).toBe("critical");
    expect(f.summary).toContain("openclaw.json is not valid JSON5 at line 3");
    const { out, doc } = checkJson();
    expect(out.code).toBe(2);
    expect(doc.findings.some((x) => x.kind === "config.invalid" && x.summary.includes("line 3"))).toBe(true);
  });

  test("a truncated SQLite auth store (real 2026.7.35, era C) is a state.unreadable finding naming the file", async () => {
    copyFixture("2026.7.35");
    const db = join(state, "agents", "main", "agent", "openclaw-agent.sqlite");
    truncateSync(db, 100);
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "state.unreadable")!;
    expect(f.summary).toContain("agents/main/agent/openclaw-agent.sqlite");
    const { out } = checkJson();
    expect(out.code).toBe(2);
  });

  test("a garbage file in place of the shared state DB is reported, not a crash", async () => {
    mkdirSync(join(state, "state"), { recursive: true });
    writeFileSync(join(state, "openclaw.json"), `{ meta: { lastTouchedVersion: "2026.9.6" } }`);
    writeFileSync(join(state, "state", "openclaw.sqlite"), "this is not a database at all, just text ".repeat(200));
    const { findings } = await findingsOf();
    expect(findings.some((x) => x.kind === "state.unreadable" && x.summary.includes("state/openclaw.sqlite"))).toBe(true);
  });

  test("an unreadable config (a directory where the file should be) names the file", async () => {
    // Tests run as root, where chmod 000 does not stop reads; a directory in place of the file
    // gives the same "cannot read" path (EISDIR) for real.
    mkdirSync(join(state, "openclaw.json"), { recursive: true });
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "state.unreadable")!;
    expect(f.summary).toMatch(/cannot read .*openclaw\.json: is a directory/);
    expect(checkJson().out.code).toBe(2);
  });

  test("chmod 000 on auth-profiles.json is reported when not running as root", async () => {
    copyFixture("legacy-2026.4-era-b");
    const file = join(state, "agents", "main", "agent", "auth-profiles.json");
    chmodSync(file, 0o000);
    const { findings } = await findingsOf();
    if (process.getuid?.() === 0) {
      // root reads it anyway; the adapter must simply keep working.
      expect(findings.some((x) => x.kind === "auth.shadowed")).toBe(true);
    } else {
      expect(findings.some((x) => x.kind === "state.unreadable" && x.summary.includes("permission denied"))).toBe(true);
    }
    chmodSync(file, 0o600);
  });

  test("a directory in place of auth-profiles.json is reported and the rest still reads", async () => {
    copyFixture("legacy-2026.4-era-b");
    const file = join(state, "agents", "main", "agent", "auth-profiles.json");
    rmSync(file);
    mkdirSync(file);
    const { inst, findings } = await findingsOf();
    expect(findings.some((x) => x.kind === "state.unreadable" && x.summary.includes("auth-profiles.json"))).toBe(true);
    expect(inst.agents.map((a) => a.id)).toEqual(["main", "ops"]);
  });

  test("an empty state dir is a finding that says to onboard", async () => {
    mkdirSync(state, { recursive: true });
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "config.invalid")!;
    expect(f.summary).toContain("no OpenClaw config at");
    expect(f.detail).toContain("openclaw onboard");
    const { out } = checkJson();
    expect(out.code).toBe(2);
  });

  test("a missing state dir is a one-line error naming the dir, exit 3", () => {
    const missing = join(home, "nope");
    for (const cmd of [["check"], ["check", "--json"], ["explain"]]) {
      const out = runCli([...cmd, "--state-dir", missing], home);
      expect(out.code).toBe(3);
      expect(out.stdout).toBe("");
      expect(out.stderr.trim().split("\n")).toHaveLength(1);
      expect(out.stderr).toContain(missing);
      expect(hasStackTrace(out.stderr)).toBe(false);
    }
  });

  test("probe --no-gateway exits 2 when a runtime row fails (no credential), 3 when there is nothing to probe", () => {
    mkdirSync(state, { recursive: true });
    // A non-loopback endpoint with no key anywhere: the row fails "missing" without a request.
    writeFileSync(join(state, "openclaw.json"), `{ agents: { defaults: { model: "groq/llama" } }, models: { providers: { groq: { baseUrl: "https://api.groq.invalid/openai/v1" } } } }`);
    const failing = runCli(["probe", "--no-gateway", "--state-dir", state], home);
    expect(failing.stdout).toMatch(/main\s+groq\s+runtime\s+\(none\)\s+FAIL missing/);
    expect(failing.code).toBe(2);
    writeFileSync(join(state, "openclaw.json"), `{ gateway: { mode: "local" } }`);
    const nothing = runCli(["probe", "--no-gateway", "--state-dir", state], home);
    expect(nothing.stdout).toContain("nothing was verified");
    expect(nothing.code).toBe(3);
  });

  test("a bad --since value is a one-line error, exit 3", () => {
    mkdirSync(state, { recursive: true });
    const out = runCli(["check", "--since", "soon", "--state-dir", state], home);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/^clawpatrol: not a duration: "soon"/);
  });

  test("a config with a missing ${VAR} is a config.missing-var warning with the fix", async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, "openclaw.json"), `{ models: { providers: { groq: { apiKey: "\${GROQ_API_KEY}" } } }, agents: { defaults: { model: "groq/llama" } } }`);
    const { findings } = await findingsOf();
    const f = findings.find((x) => x.kind === "config.missing-var")!;
    expect(f.severity).toBe("warning");
    expect(f.summary).toContain("models.providers.groq.apiKey uses ${GROQ_API_KEY}");
    expect(f.detail).toContain("GROQ_API_KEY=");
    expect(findings.some((x) => x.kind === "auth.missing" && x.subject.provider === "groq")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// The corpus over every command: each input × command → exit code, printed as a table.

interface Spawned {
  code: number | null;
  out: string;
}

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function corpusEnv(ctx: CaseContext): NodeJS.ProcessEnv {
  return { PATH: dirname(process.execPath), HOME: ctx.home, TZ: "UTC", NO_COLOR: "1", TMPDIR: join(ctx.home, "tmp"), XDG_STATE_HOME: ctx.xdgState, XDG_CONFIG_HOME: join(ctx.home, ".config") };
}

/** Async (the fake provider lives in this process and must keep answering). */
function spawnCli(args: string[], ctx: CaseContext, nobody: boolean, untilOutput?: RegExp, stopAfterMs = 30_000): Promise<Spawned> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: corpusEnv(ctx), stdio: ["ignore", "pipe", "pipe"], ...(nobody && asRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
    let out = "";
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      child.kill("SIGTERM");
    };
    const timer = setTimeout(stop, stopAfterMs);
    const onData = (d: Buffer) => {
      out += d.toString("utf8");
      if (untilOutput?.test(out)) stop();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, out });
    });
  });
}

describe("the malformed-input corpus over every command", () => {
  let provider: FakeProvider;
  const table: string[] = [];
  beforeAll(async () => {
    provider = await startFakeProvider({ unknownKey: "ok", modelIds: CORPUS_MODEL_IDS });
  });
  afterAll(async () => {
    await provider.close();
    process.stdout.write(`\nmalformed input × command → exit code (expected)\n${table.join("\n")}\n`);
  });

  const secrets = corpusSecrets();
  test.each(CORPUS.map((c) => [c.name, c] as [string, CorpusCase]))("%s: documented exit codes, one message naming the file, no stack trace, no secret", async (_name, c) => {
    const root = mkdtempSync(join(tmpdir(), "cp-corpus-"));
    try {
      const ctx: CaseContext = { home: root, state: join(root, ".openclaw"), xdgState: join(root, "xdg-state"), providerUrl: provider.url };
      const named = buildCase(c, ctx);
      const nobody = !!c.asNobody;
      if (nobody && asRoot) {
        chmodSync(root, 0o755);
        chmodSync(ctx.xdgState, 0o777);
      }
      const stateDir = c.stateDir ? c.stateDir(ctx) : ctx.state;
      const row: string[] = [];
      // The one-shot commands are independent of each other: run them side by side.
      const commands = Object.entries(COMMAND_ARGS) as [keyof typeof COMMAND_ARGS, string[]][];
      const results = await Promise.all(commands.map(([, args]) => spawnCli([...args, "--state-dir", stateDir], ctx, nobody)));
      for (const [i, [command]] of commands.entries()) {
        const r = results[i]!;
        const want = c.expect[command];
        row.push(`${command}=${r.code}${r.code === want ? "" : `(want ${want})`}`);
        expect({ command, code: r.code, ...(r.code === want ? {} : { out: r.out.slice(0, 1500) }) }).toEqual({ command, code: want });
        expect(hasStackTrace(r.out)).toBe(false);
        for (const s of secrets) expect(r.out).not.toContain(s);
        if (command === "check --json" && want !== 3) expect(() => JSON.parse(r.out)).not.toThrow();
        if (want === 3) {
          const errLines = r.out.trim().split("\n").filter((l) => l.startsWith("clawpatrol"));
          expect(errLines.length).toBeGreaterThanOrEqual(1);
          if ((command !== "status" || named === "xdg-state") && named) expect(errLines[0]).toContain(named === "xdg-state" ? ctx.xdgState : named);
        } else if (want === 2 && named) {
          expect(r.out).toContain(named);
        }
      }
      const cfgFile = join(root, "clawpatrol.json5");
      writeFileSync(cfgFile, JSON.stringify({ probe: { authSchedule: "0 0 1 1 *", gatewaySchedule: "0 0 1 1 *", jitter: "0s" } }));
      if (nobody && asRoot) chmodSync(cfgFile, 0o644);
      const run = await spawnCli(["run", "--state-dir", stateDir, "--config", cfgFile], ctx, nobody, /clawpatrol is watching/);
      row.push(`run=${"keepsRunning" in c.expect.run ? (run.out.includes("clawpatrol is watching") ? "watching" : "NOT watching") : run.code}`);
      expect(hasStackTrace(run.out)).toBe(false);
      for (const s of secrets) expect(run.out).not.toContain(s);
      if ("keepsRunning" in c.expect.run) {
        expect(run.out).toContain("clawpatrol is watching");
        expect(run.code).toBe(0);
        // What check reports as critical, the daemon logs at error level, naming the file.
        if (c.expect.check === 2 && named) expect(run.out.split("\n").some((l) => l.includes('"level":"error"') && l.includes(named))).toBe(true);
      } else {
        expect(run.code).toBe(c.expect.run.exits);
      }
      table.push(`  ${c.name.padEnd(48)} ${row.join("  ")}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);
});
