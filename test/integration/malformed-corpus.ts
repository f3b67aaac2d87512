// The malformed-input corpus: each case builds a home (a real-CLI fixture with every provider
// pointed at the loopback fake provider) and breaks one input. The expected exit code of every
// command is the documented one (README "Exit codes"): 2 when the breakage is a finding
// (config.invalid / state.unreadable), 3 when the command could not do its job.
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import JSON5 from "json5";
import { FIXTURES, fixtureHome, fixtureSecrets } from "./adapter-fixtures.js";

export const MALFORMED = join(FIXTURES, "malformed");

export type Command = "check" | "check --json" | "explain" | "probe" | "accept" | "status" | "run";

export const COMMAND_ARGS: Record<Exclude<Command, "run">, string[]> = {
  check: ["check", "--offline"],
  "check --json": ["check", "--json", "--offline"],
  explain: ["explain"],
  probe: ["probe", "--no-gateway"],
  accept: ["accept"],
  status: ["status"],
};

export interface CaseContext {
  home: string;
  /** OpenClaw's state dir (what --state-dir gets). */
  state: string;
  /** XDG_STATE_HOME of clawpatrol's own state. */
  xdgState: string;
  providerUrl: string;
}

/** How `run` must behave for a few seconds: keep watching (and stop cleanly), or refuse to start. */
export type RunOutcome = { keepsRunning: true } | { exits: number };

export interface CorpusCase {
  name: string;
  base: "2026.9.6" | "legacy-2026.4-era-b";
  /** Break one input; returns the file the messages must name (a path fragment). */
  breakIt(ctx: CaseContext): string;
  /** --state-dir passed to the commands (default ctx.state). */
  stateDir?(ctx: CaseContext): string;
  expect: Record<Exclude<Command, "run">, number> & { run: RunOutcome };
  /** Run the commands as an unprivileged user (so permissions bite even when tests run as root). */
  asNobody?: boolean;
}

const BAD_CONFIG = { check: 2, "check --json": 2, explain: 3, probe: 3, accept: 3, status: 3, run: { keepsRunning: true } } as const;
const UNREADABLE_STORE = { check: 2, "check --json": 2, explain: 2, probe: 2, accept: 3, status: 3, run: { keepsRunning: true } } as const;
const HARMLESS = { check: 0, "check --json": 0, explain: 0, probe: 0, accept: 0, status: 3, run: { keepsRunning: true } } as const;

/** Point every provider a base's agents use at the fake provider (no real provider is ever called). */
function loopbackConfig(base: CorpusCase["base"], state: string, url: string): void {
  const file = join(state, "openclaw.json");
  const cfg = JSON5.parse(readFileSync(file, "utf8")) as { models?: { providers?: Record<string, Record<string, unknown>> } };
  const providers = (cfg.models ??= {}).providers ??= {};
  const ids = base === "2026.9.6" ? ["mock", "mockprof", "openai", "openrouter"] : ["groq", "openrouter"];
  for (const id of ids) providers[id] = { ...(providers[id] ?? {}), baseUrl: `${url}/v1` };
  // The 9.6 fixture's main falls back to openai, for which only worker holds a key: a real
  // (and here unwanted) auth failure. The control case must be healthy.
  const defaults = (cfg as { agents?: { defaults?: { model?: { fallbacks?: string[] } } } }).agents?.defaults?.model;
  if (defaults?.fallbacks) defaults.fallbacks = [];
  // OpenClaw's default log is the machine-wide /tmp/openclaw/openclaw-<day>.log, which every real
  // OpenClaw run on this host writes to (make-fixtures, the verifier): keep each case's log its own.
  const withLog = cfg as { logging?: Record<string, unknown> };
  withLog.logging = { ...withLog.logging, file: corpusLogFile(state) };
  writeFileSync(file, JSON.stringify(cfg, null, 2));
  if (base === "2026.9.6") forgetRecordedTurn(state);
}

/**
 * make-fixtures ran one real turn for prof against a 401 server: an empty reply and an auth
 * cooldown, which `check` reports for up to an hour after the fixture was written. The corpus must
 * not depend on the fixture's age, so its copy drops that turn and the cooldown it left.
 */
function forgetRecordedTurn(state: string): void {
  const db = new DatabaseSync(join(state, "agents", "prof", "agent", "openclaw-agent.sqlite"));
  try {
    db.exec("DELETE FROM transcript_events; DELETE FROM session_nodes; DELETE FROM auth_profile_state;");
  } finally {
    db.close();
  }
}

/** The gateway log every case's config names (inside the case's own home). */
export function corpusLogFile(state: string): string {
  return join(state, "..", "tmp", "openclaw", `openclaw-${new Date().toISOString().slice(0, 10)}.log`);
}

export function buildCase(c: CorpusCase, ctx: CaseContext): string {
  cpSync(fixtureHome(c.base), ctx.home, { recursive: true });
  loopbackConfig(c.base, ctx.state, ctx.providerUrl);
  mkdirSync(ctx.xdgState, { recursive: true });
  return c.breakIt(ctx);
}

function put(fixture: string, target: string): string {
  mkdirSync(join(target, ".."), { recursive: true });
  copyFileSync(join(MALFORMED, fixture), target);
  return target;
}

const config = (ctx: CaseContext) => join(ctx.state, "openclaw.json");

export const CORPUS: CorpusCase[] = [
  { name: "healthy install (control)", base: "2026.9.6", breakIt: () => "", expect: { ...HARMLESS, check: 1, "check --json": 1 } },
  { name: "openclaw.json truncated", base: "2026.9.6", breakIt: (ctx) => (truncateSync(config(ctx), 300), "openclaw.json"), expect: BAD_CONFIG },
  { name: "openclaw.json garbage text", base: "2026.9.6", breakIt: (ctx) => (put("openclaw.garbage.json5", config(ctx)), "openclaw.json"), expect: BAD_CONFIG },
  { name: "openclaw.json binary", base: "2026.9.6", breakIt: (ctx) => (put("openclaw.binary.json", config(ctx)), "openclaw.json"), expect: BAD_CONFIG },
  { name: "openclaw.json empty", base: "2026.9.6", breakIt: (ctx) => (put("openclaw.empty.json", config(ctx)), "openclaw.json"), expect: BAD_CONFIG },
  { name: "openclaw.json wrong types", base: "2026.9.6", breakIt: (ctx) => (put("openclaw.wrong-type.json", config(ctx)), "openclaw.json"), expect: BAD_CONFIG },
  { name: "openclaw.json an array", base: "2026.9.6", breakIt: (ctx) => (put("openclaw.array-root.json", config(ctx)), "openclaw.json"), expect: BAD_CONFIG },
  {
    name: "openclaw.json above the 8 MiB read limit",
    base: "2026.9.6",
    breakIt: (ctx) => {
      const cfg = JSON.parse(readFileSync(config(ctx), "utf8")) as Record<string, unknown>;
      writeFileSync(config(ctx), JSON.stringify({ ...cfg, padding: "x".repeat(9 * 1024 * 1024) }));
      return "openclaw.json";
    },
    expect: BAD_CONFIG,
  },
  {
    name: "openclaw.json unreadable (mode 000, not its owner)",
    base: "2026.9.6",
    asNobody: true,
    breakIt: (ctx) => (chmodSync(config(ctx), 0o000), "openclaw.json"),
    expect: BAD_CONFIG,
  },
  {
    name: "shared SQLite auth store truncated",
    base: "2026.9.6",
    breakIt: (ctx) => (truncateSync(join(ctx.state, "state", "openclaw.sqlite"), 100), "state/openclaw.sqlite"),
    expect: UNREADABLE_STORE,
  },
  {
    name: "agent SQLite store is garbage",
    base: "2026.9.6",
    breakIt: (ctx) => (put("garbage.sqlite", join(ctx.state, "agents", "prof", "agent", "openclaw-agent.sqlite")), "agents/prof/agent/openclaw-agent.sqlite"),
    expect: UNREADABLE_STORE,
  },
  {
    name: "JSON auth store truncated (a key cut in half)",
    base: "legacy-2026.4-era-b",
    breakIt: (ctx) => (put("auth-profiles.truncated.json", join(ctx.state, "agents", "main", "agent", "auth-profiles.json")), "auth-profiles.json"),
    expect: UNREADABLE_STORE,
  },
  {
    name: "JSON auth store with wrong types",
    base: "legacy-2026.4-era-b",
    breakIt: (ctx) => (put("auth-profiles.wrong-type.json", join(ctx.state, "agents", "main", "agent", "auth-profiles.json")), "auth-profiles.json"),
    expect: UNREADABLE_STORE,
  },
  {
    name: "transcript is garbage",
    base: "legacy-2026.4-era-b",
    breakIt: (ctx) => (put("transcript.garbage.jsonl", join(ctx.state, "agents", "main", "sessions", "0b9c7f1e-0000-4000-8000-000000000001.jsonl")), ""),
    expect: { ...HARMLESS, check: 1, "check --json": 1 },
  },
  {
    name: "gateway log is garbage",
    base: "2026.9.6",
    breakIt: (ctx) => {
      put("gateway.garbage.log", corpusLogFile(ctx.state));
      return "";
    },
    expect: { ...HARMLESS, check: 1, "check --json": 1 },
  },
  {
    name: ".env is binary",
    base: "2026.9.6",
    breakIt: (ctx) => (put("env.binary", join(ctx.state, ".env")), ""),
    expect: { ...HARMLESS, check: 1, "check --json": 1 },
  },
  {
    name: "gateway unit file is garbage",
    base: "2026.9.6",
    breakIt: (ctx) => (put("openclaw-gateway.garbage.service", join(ctx.home, ".config", "systemd", "user", "openclaw-gateway.service")), ""),
    expect: { ...HARMLESS, check: 1, "check --json": 1 },
  },
  {
    name: "--state-dir is a file",
    base: "2026.9.6",
    stateDir: (ctx) => config(ctx),
    breakIt: () => "openclaw.json",
    expect: { check: 3, "check --json": 3, explain: 3, probe: 3, accept: 3, status: 3, run: { keepsRunning: true } },
  },
  {
    name: "clawpatrol's own state dir is a file",
    base: "2026.9.6",
    breakIt: (ctx) => {
      rmSync(ctx.xdgState, { recursive: true, force: true });
      writeFileSync(ctx.xdgState, "not a directory\n");
      return "xdg-state";
    },
    expect: { check: 1, "check --json": 1, explain: 0, probe: 0, accept: 3, status: 3, run: { exits: 78 } },
  },
];

/** Models every base's routes use, so the fake provider lists them. */
export const CORPUS_MODEL_IDS = ["auto", "openrouter/auto", "gpt-5.4", "mock-ok", "moonshotai/kimi-k2-instruct", "moonshotai/kimi-k2.5"];

/** Every fake secret a case could leak: the fixtures' own and the corpus files' markers. */
export function corpusSecrets(): string[] {
  const markers = ["binary", "truncated", "log", "env", "unit"].map((m) => `sk-or-v1-fake-corpus-${m}-0123456789`);
  return [...fixtureSecrets("2026.9.6"), ...fixtureSecrets("legacy-2026.4-era-b"), ...markers];
}
