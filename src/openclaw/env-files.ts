// Env sources OpenClaw's gateway sees, in its order (research §2.4): the service's process env
// (systemd unit Environment=/EnvironmentFile=, service-env/*.env), then ~/.openclaw/.env, then
// ~/.config/openclaw/gateway.env, then the config `env` block. The first source to define a name
// wins; inside one dotenv file the last line wins (dotenv.parse keeps the last value).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isSecretKeyName, Secret } from "../util/secret.js";
import { readTextFile } from "./config-loader.js";
import { isPlainObject } from "./config-path.js";
import { expandHome } from "./paths.js";
import type { EnvEntry, EnvFile, EnvView, ReadIssue } from "./types.js";

// A secret word as a whole `_`-separated part of the name, anywhere in it: `GITHUB_PAT`,
// `SMTP_PASS`, `OPENAI_API_KEY_2`, `AUTH_COOKIE`, `DB_PASSPHRASE`. Over-matching costs a
// fingerprint where a plain value would do; under-matching leaks a key into a diff or an alert.
const ENV_SECRET_PART = /(^|_)(KEY|KEYS|APIKEY|TOKEN|TOKENS|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PASSPHRASE|CREDENTIAL|CREDENTIALS|COOKIE|PAT)(_|$)/i;

/** Does an environment variable of this name hold a secret? The one rule for env files, units and the config `env` block. */
export function isSecretEnvName(name: string): boolean {
  return isSecretKeyName(name) || ENV_SECRET_PART.test(name);
}

function envValue(name: string, raw: string): Secret | string {
  return isSecretEnvName(name) && raw !== "" ? new Secret(raw) : raw;
}

export interface RawLine {
  name: string;
  value: string;
  line: number;
  /** Config path, for entries from the config `env` block. */
  path?: string;
}

/** dotenv syntax: KEY=value, `export KEY=value`, quotes, `#` comments. */
export function parseDotenv(text: string): RawLine[] {
  const out: RawLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    let value = m[2]!.trim();
    const q = value[0];
    if ((q === '"' || q === "'" || q === "`") && value.indexOf(q, 1) > 0) {
      value = value.slice(1, value.indexOf(q, 1));
      if (q === '"') value = value.replace(/\\n/g, "\n");
    } else {
      const hash = value.search(/\s#/);
      if (hash >= 0) value = value.slice(0, hash).trim();
    }
    out.push({ name: m[1]!, value, line: i + 1 });
  }
  return out;
}

/** One `Key=value` setting of a systemd unit file, in its section, at the line it starts on. */
export interface UnitSetting {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** systemd unit syntax: `[Section]`, `Key=value`, `#`/`;` comments, `\` line continuations. */
export function parseUnitFile(text: string): UnitSetting[] {
  const out: UnitSetting[] = [];
  const lines = text.split(/\r?\n/);
  let section = "";
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + " " + lines[++i]!;
    line = line.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0) out.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: start + 1 });
  }
  return out;
}

/** systemd `Environment=` values: space-separated `NAME=value` assignments, optionally quoted. */
export function environmentAssignments(value: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const assignment = m[1] ?? m[2] ?? m[3]!;
    const eq = assignment.indexOf("=");
    if (eq > 0) out.push({ name: assignment.slice(0, eq), value: assignment.slice(eq + 1) });
  }
  return out;
}

export interface UnitEnv {
  environment: RawLine[];
  environmentFiles: { path: string; optional: boolean; line: number }[];
}

export function parseSystemdUnit(text: string, home: string): UnitEnv {
  const environment: RawLine[] = [];
  const environmentFiles: UnitEnv["environmentFiles"] = [];
  for (const { key, value, line } of parseUnitFile(text)) {
    if (key === "Environment") {
      for (const a of environmentAssignments(value)) environment.push({ ...a, line });
    } else if (key === "EnvironmentFile") {
      let p = value;
      const optional = p.startsWith("-");
      if (optional) p = p.slice(1);
      p = p.replace(/%h/g, home);
      environmentFiles.push({ path: expandHome(p, home), optional, line });
    }
  }
  return { environment, environmentFiles };
}

function duplicatesOf(entries: EnvEntry[]): EnvFile["duplicates"] {
  const by = new Map<string, EnvEntry[]>();
  for (const e of entries) by.set(e.name, [...(by.get(e.name) ?? []), e]);
  const out: EnvFile["duplicates"] = [];
  for (const [name, list] of by) {
    if (list.length < 2) continue;
    const values = new Set(list.map((e) => (e.value instanceof Secret ? e.value.hash : `=${e.value}`)));
    out.push({ name, lines: list.map((e) => e.origin.line ?? 0), differ: values.size > 1 });
  }
  return out;
}

function fileFromLines(path: string, exists: boolean, lines: RawLine[]): EnvFile {
  const entries: EnvEntry[] = lines.map((l) => ({
    name: l.name,
    value: envValue(l.name, l.value),
    origin: l.path ? { file: path, path: l.path } : { file: path, path: l.name, line: l.line },
  }));
  return { path, exists, entries, duplicates: duplicatesOf(entries) };
}

function readDotenvFile(path: string, issues: ReadIssue[]): EnvFile {
  if (!existsSync(path)) return { path, exists: false, entries: [], duplicates: [] };
  const read = readTextFile(path);
  if (!read.ok) {
    issues.push(read.issue!);
    return { path, exists: true, entries: [], duplicates: [] };
  }
  return fileFromLines(path, true, parseDotenv(read.text!));
}

export interface EnvSourceOptions {
  stateDir: string;
  home: string;
  profile?: string;
  /** Authored config (before ${VAR}); only its `env` block is used. */
  config: Record<string, unknown> | null;
  configPath: string;
}

/** Config `env` block: `env.vars` (all versions) and flat string keys (≤2026.8 only). */
export function configEnvLines(config: Record<string, unknown> | null): RawLine[] {
  const env = config?.env;
  if (!isPlainObject(env)) return [];
  const out: RawLine[] = [];
  // Values holding a ${VAR} reference are skipped, as OpenClaw's applyConfigEnvVars does.
  const usable = (v: unknown): v is string => typeof v === "string" && v.trim() !== "" && !v.includes("${");
  if (isPlainObject(env.vars)) for (const [k, v] of Object.entries(env.vars)) if (usable(v)) out.push({ name: k, value: v, line: 0, path: `env.vars.${k}` });
  for (const [k, v] of Object.entries(env)) {
    if (k === "vars" || k === "shellEnv") continue;
    if (usable(v)) out.push({ name: k, value: v, line: 0, path: `env.${k}` });
  }
  return out;
}

function unitFiles(home: string, profile?: string): string[] {
  const dir = join(home, ".config", "systemd", "user");
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const base = profile ? `openclaw-gateway-${profile}` : "openclaw-gateway";
  const out: string[] = [];
  for (const n of names.sort()) {
    if (n === `${base}.service` || (!profile && /^openclaw-gateway.*\.service$/.test(n))) out.push(join(dir, n));
    if (n === `${base}.service.d`) {
      try {
        for (const d of readdirSync(join(dir, n)).sort()) if (d.endsWith(".conf")) out.push(join(dir, n, d));
      } catch {
        /* unreadable drop-in dir: nothing to add */
      }
    }
  }
  return out;
}

/** The dotenv files OpenClaw loads itself, in its order: `<stateDir>/.env`, then the Ubuntu fallback `~/.config/openclaw/gateway.env`. */
export function openclawDotenvFiles(stateDir: string, home: string): string[] {
  return [join(stateDir, ".env"), join(home, ".config", "openclaw", "gateway.env")];
}

/**
 * The gateway service's process environment as read (unit Environment=/EnvironmentFile=,
 * service-env/*.env): what an `openclaw` CLI run is given so it sees the names the gateway sees.
 * The dotenv files OpenClaw loads itself and the config `env` block are left to OpenClaw.
 */
export function serviceProcessEnv(view: EnvView, stateDir: string, home: string, configPath: string): Record<string, string> {
  const own = new Set([...openclawDotenvFiles(stateDir, home), configPath]);
  const out: Record<string, string> = {};
  for (const f of view.files) {
    if (own.has(f.path)) continue;
    const lastInFile = new Map<string, string>();
    for (const e of f.entries) {
      const v = envString(e);
      if (v !== undefined && v.trim()) lastInFile.set(e.name, v);
    }
    for (const [name, v] of lastInFile) if (!(name in out)) out[name] = v;
  }
  return out;
}

export function readEnvView(opts: EnvSourceOptions): { view: EnvView; issues: ReadIssue[] } {
  const issues: ReadIssue[] = [];
  const files: EnvFile[] = [];
  const seen = new Set<string>();
  const addDotenv = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const f = readDotenvFile(path, issues);
    if (f.exists) files.push(f);
  };

  // 1. The gateway service's own environment (stands in for the unknowable process env).
  for (const unit of unitFiles(opts.home, opts.profile)) {
    const read = readTextFile(unit);
    if (!read.ok) {
      issues.push(read.issue!);
      continue;
    }
    const parsed = parseSystemdUnit(read.text!, opts.home);
    if (parsed.environment.length) {
      seen.add(unit);
      files.push(fileFromLines(unit, true, parsed.environment));
    }
    for (const ef of parsed.environmentFiles) {
      if (!existsSync(ef.path) && !ef.optional) {
        issues.push({ kind: "state.unreadable", file: unit, line: ef.line, message: `${unit} line ${ef.line}: EnvironmentFile ${ef.path} does not exist (systemd will refuse to start the gateway)` });
      }
      addDotenv(ef.path);
    }
  }
  try {
    for (const n of readdirSync(join(opts.stateDir, "service-env")).sort()) if (n.endsWith(".env")) addDotenv(join(opts.stateDir, "service-env", n));
  } catch {
    /* no service-env dir */
  }
  addDotenv(join(opts.stateDir, "gateway.systemd.env"));
  // 2. ~/.openclaw/.env, then the Ubuntu fallback gateway.env.
  for (const f of openclawDotenvFiles(opts.stateDir, opts.home)) addDotenv(f);
  // 3. Config env block (only fills names still missing).
  const cfgLines = configEnvLines(opts.config);
  if (cfgLines.length) {
    const f = fileFromLines(opts.configPath, true, cfgLines);
    f.duplicates = [];
    files.push(f);
  }

  const effective = new Map<string, EnvEntry>();
  for (const f of files) {
    const lastInFile = new Map<string, EnvEntry>();
    for (const e of f.entries) if (!(e.value === "" || (typeof e.value === "string" && !e.value.trim()))) lastInFile.set(e.name, e);
    for (const [name, e] of lastInFile) if (!effective.has(name)) effective.set(name, e);
  }
  return { view: { files, effective }, issues };
}

export function envString(e: EnvEntry | undefined): string | undefined {
  if (!e) return undefined;
  return e.value instanceof Secret ? e.value.reveal() : e.value;
}
