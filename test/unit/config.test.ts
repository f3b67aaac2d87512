import { describe, it, expect, beforeEach, afterEach } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, parseConfigText, ConfigError, resolveStatusPath } from "../../src/config/load.js";
import { DEFAULTS, defaultConfig } from "../../src/config/defaults.js";
import { configSchema } from "../../src/config/schema.js";
import { runConfigCheck, runConfigShow } from "../../src/cli/config.js";
import { CHANNEL_TYPES } from "../../src/notify/types.js";
import type { CliIO } from "../../src/cli/status.js";

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clawpatrol-config-"));
  env = { HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "config"), XDG_STATE_HOME: join(dir, "state") };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function issuesOf(text: string): string[] {
  try {
    parseConfigText(text, "config.json5", env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).not.toContain("\n");
    return (err as ConfigError).issues;
  }
  throw new Error("expected a ConfigError");
}

function io(): CliIO & { stdout: string; stderr: string } {
  const o = { env, color: false, now: () => 0, stdout: "", stderr: "", out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) };
  return o;
}

describe("clawpatrol config", () => {
  it("runs with safe defaults when there is no config file", () => {
    const loaded = loadConfig(undefined, env);
    expect(loaded.source).toBe("defaults");
    expect(loaded.path).toBe(join(dir, "config", "clawpatrol", "config.json5"));
    const c = loaded.config;
    expect(c.remedy.mode).toBe("observe");
    expect(c.remedy.gatewayRestart.enabled).toBe(false);
    expect(c.probe.e2e.enabled).toBe(false);
    expect(c.alerts.channels.map((ch) => ch.type)).toEqual(["log", "mailbox"]);
    expect(c.openclaw.stateDir).toBeUndefined(); // adapter's own discovery: OPENCLAW_STATE_DIR, profile, ~/.openclaw
    expect(resolveStatusPath(c, env)).toBe(join(dir, "state", "clawpatrol", "status.json"));
    expect(c).toEqual(DEFAULTS);
  });

  it("the schema fills in exactly the stated defaults, durations already in milliseconds", () => {
    expect(configSchema.parse({})).toEqual(DEFAULTS);
    expect(DEFAULTS.alerts.groupWait).toBe(30_000);
    expect(DEFAULTS.runs.stuckAfter).toBe(5 * 60_000);
    const parsed = parseConfigText(`{ runs: { stuckAfter: "20s", perAgent: { hang: { stuckAfter: "1500ms" } } }, alerts: { repeatInterval: "2h" }, heartbeat: { url: "https://hc.example/x", interval: "1m" } }`, "c.json5", env);
    expect(parsed.runs.stuckAfter).toBe(20_000);
    expect(parsed.runs.perAgent.hang!.stuckAfter).toBe(1500);
    expect(parsed.alerts.repeatInterval).toBe(2 * 3_600_000);
    expect(parsed.heartbeat).toMatchObject({ interval: 60_000, timeout: 10_000 });
  });

  it("the shipped example parses and equals the defaults it documents", () => {
    const example = loadConfig(join(process.cwd(), "config", "clawpatrol.example.json5"), env);
    expect(example.source).toBe("file");
    expect(example.config).toEqual(defaultConfig());
  });

  it("the example documents every option of every section", () => {
    const text = readFileSync(join(process.cwd(), "config", "clawpatrol.example.json5"), "utf8");
    const keys = (o: unknown, prefix = ""): string[] =>
      o && typeof o === "object" && !Array.isArray(o)
        ? Object.entries(o).flatMap(([k, v]) => [prefix + k, ...keys(v, `${prefix}${k}.`)])
        : [];
    for (const key of keys(DEFAULTS)) expect(text).toMatch(new RegExp(`\\b${key.split(".").pop()}:`));
    for (const optional of ["stateDir", "profile", "bin", "command", "textfile", "listen", "path"]) expect(text).toContain(`${optional}:`);
  });

  it("reads the file at $XDG_CONFIG_HOME/clawpatrol/config.json5 (JSON5, ~ expanded in paths)", () => {
    mkdirSync(join(dir, "config", "clawpatrol"), { recursive: true });
    writeFileSync(join(dir, "config", "clawpatrol", "config.json5"), `// mine
      { openclaw: { stateDir: "~/.openclaw-work" }, status: { path: "~/st.json" }, remedy: { mode: "act", candidates: { global: ["openai/gpt-5.4"] } }, }`);
    const loaded = loadConfig(undefined, env);
    expect(loaded.source).toBe("file");
    expect(loaded.config.openclaw.stateDir).toBe(join(dir, "home", ".openclaw-work"));
    expect(resolveStatusPath(loaded.config, env)).toBe(join(dir, "home", "st.json"));
    expect(loaded.config.remedy.mode).toBe("act");
    expect(loaded.config.remedy.maxSwitchesPerAgentPerDay).toBe(3);
  });

  it("names the file, the path and the expected value for each mistake", () => {
    expect(issuesOf(`{ alerts: { channels: [{ name: "ops", type: "emial" }] } }`)).toEqual([
      `config.json5: alerts.channels[0].type: expected type to be one of ${CHANNEL_TYPES.join("|")}`,
    ]);
    expect(issuesOf(`{ probe: { timeoutMS: 5000 } }`)).toEqual([
      'config.json5: probe: unknown option "timeoutMS" (check the spelling against config/clawpatrol.example.json5)',
    ]);
    expect(issuesOf(`{ remedy: { mode: "fix", minHold: "30 minutes" } }`)).toEqual([
      "config.json5: remedy.mode: expected one of observe|act",
      'config.json5: remedy.minHold: expected a duration like "90s", "5m", "4h", "2d", got "30 minutes"',
    ]);
    // health.window was validated and never read: gone, so nobody tunes a knob that does nothing.
    expect(issuesOf(`{ health: { window: "10m" } }`)).toEqual(['config.json5: health: unknown option "window" (check the spelling against config/clawpatrol.example.json5)']);
    expect(issuesOf(`{ probe: { authSchedule: "every 2 minutes" } }`)[0]).toContain("probe.authSchedule: expected a cron expression");
    expect(issuesOf(`{ alerts: { channels: [{ name: "m", type: "email", host: "smtp.example.com" }] } }`)).toEqual([
      "config.json5: alerts.channels[0].from: expected string (missing)",
      "config.json5: alerts.channels[0].to: expected array (missing)",
    ]);
    expect(issuesOf(`{ alerts: { channels: [{ name: "a", type: "log" }, { name: "a", type: "log" }] } }`)[0]).toContain('alerts.channels[1].name: channel name "a" is used twice');
    expect(issuesOf(`{ status: { prometheus: { listen: "0.0.0.0:9100" } } }`)[0]).toContain("loopback only");
    expect(issuesOf(`{ remedy: { candidates: { global: ["gpt-5"] } } }`)[0]).toContain('remedy.candidates.global[0]: expected a model ref "provider/model"');
    expect(issuesOf(`{ probe: { concurrency: "4" } }`)).toEqual(["config.json5: probe.concurrency: expected number, got string"]);
    expect(issuesOf(`{ alerts: { digest: true } }`)[0]).toContain("alerts.digest: expected false or { schedule:");
  });

  it("rejects inline secrets and says to use the env/file form", () => {
    const key = "sk-or-v1-" + "ab".repeat(32);
    const issues = issuesOf(`{ alerts: { channels: [
      { name: "m", type: "email", host: "h", from: "a@b", to: ["c@d"], password: "hunter2hunter2" },
      { name: "w", type: "webhook", url: "http://127.0.0.1:1/x", secret: "${key}" },
    ] } }`);
    expect(issues).toEqual([
      "config.json5: alerts.channels[0].password: secrets never go inline in the config; use passwordEnv (the name of an environment variable, e.g. set in ~/.config/clawpatrol/env) or passwordFile (a file only you can read)",
      "config.json5: alerts.channels[1].secret: secrets never go inline in the config; use secretEnv (the name of an environment variable, e.g. set in ~/.config/clawpatrol/env) or secretFile (a file only you can read)",
    ]);
    expect(issues.join("\n")).not.toContain(key);
    expect(issues.join("\n")).not.toContain("hunter2");
    // The reference forms are accepted.
    const ok = parseConfigText(`{ alerts: { channels: [{ name: "m", type: "email", host: "h", from: "a@b", to: ["c@d"], passwordEnv: "SMTP_PASS" },
      { name: "w", type: "webhook", url: "http://127.0.0.1:1/x", secretFile: "~/.config/clawpatrol/hook.secret" }] } }`, "config.json5", env);
    expect(ok.alerts.channels[1]).toMatchObject({ secretFile: join(dir, "home", ".config", "clawpatrol", "hook.secret") });
  });

  it("bad JSON5 gives line and column; a missing --config file is an error, not defaults", () => {
    expect(issuesOf(`{\n  probe: { timeoutMs: 5000 \n  oops }`)[0]).toMatch(/^config\.json5:3:3: not valid JSON5: /);
    expect(() => loadConfig(join(dir, "nope.json5"), env)).toThrow(/nope\.json5: does not exist/);
  });

  it("a duration needs its unit: a bare number is refused with the fix, 0 alone is zero", () => {
    expect(issuesOf(`{ alerts: { repeatInterval: 4 } }`)).toEqual([
      'config.json5: alerts.repeatInterval: expected a duration with a unit, like "90s", "5m", "4h", "2d" — a bare number is ambiguous: write "4ms" if you mean milliseconds',
    ]);
    expect(issuesOf(`{ runs: { perAgent: { main: { stuckAfter: "20" } } } }`)[0]).toBe('config.json5: runs.perAgent.main.stuckAfter: "20" has no unit: write 20s, 20m, 20h or 20ms');
    const zero = parseConfigText(`{ probe: { jitter: 0 }, remedy: { editGrace: "0" } }`, "c.json5", env);
    expect([zero.probe.jitter, zero.remedy.editGrace]).toEqual([0, 0]);
    expect(parseConfigText(`{ alerts: { repeatInterval: "4000ms" } }`, "c.json5", env).alerts.repeatInterval).toBe(4000);
  });

  it("`config show` prints durations with their unit, and what it prints loads back as the same config", () => {
    const file = join(dir, "c.json5");
    writeFileSync(file, `{ alerts: { repeatInterval: "90m", channels: [{ name: "m", type: "mailbox", timeout: "1500ms" }] }, runs: { perAgent: { main: { stuckAfter: "20m" } } } }`);
    const o = io();
    expect(runConfigShow({ config: file }, o)).toBe(0);
    const shown = JSON.parse(o.stdout).config;
    expect(shown.alerts.repeatInterval).toBe("90m");
    expect(shown.alerts.groupWait).toBe("30s");
    expect(shown.alerts.giveUpAfter).toBe("3d");
    expect(shown.alerts.channels[0].timeout).toBe("1500ms");
    expect(shown.runs.perAgent.main.stuckAfter).toBe("20m");
    expect(shown.probe.timeoutMs).toBe(8000); // named in ms: a number
    expect(parseConfigText(JSON.stringify(shown), "shown.json", env)).toEqual(loadConfig(file, env).config);
  });

  it("`config check` prints OK, or one line per problem with exit 2 (the config clawpatrol would refuse)", () => {
    const good = join(dir, "good.json5");
    writeFileSync(good, "{ remedy: { mode: 'act' } }");
    const a = io();
    expect(runConfigCheck({ config: good }, a)).toBe(0);
    expect(a.stdout).toBe(`${good}: OK (remedy act, 2 alert channels: journal (log), mailbox (mailbox))\n`);
    const bad = join(dir, "bad.json5");
    writeFileSync(bad, "{ remedy: { mode: 'yolo' }, log: { level: 'loud' } }");
    const b = io();
    expect(runConfigCheck({ config: bad }, b)).toBe(2);
    expect(b.stderr).toBe(`${bad}: remedy.mode: expected one of observe|act\n${bad}: log.level: expected one of fatal|error|warn|info|debug|trace|silent\n`);
    const c = io();
    expect(runConfigCheck({}, c)).toBe(0);
    expect(c.stdout).toContain("runs with the defaults");
    const d = io();
    expect(runConfigShow({ config: good }, d)).toBe(0);
    expect(JSON.parse(d.stdout).config.remedy.mode).toBe("act");
  });
});
