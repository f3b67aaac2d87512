// Regenerates test/fixtures/**: real state dirs written by the real OpenClaw CLIs (2026.9.6,
// 2026.8.2, 2026.7.35, 2026.5.28) plus hand-built legacy layouts (eras A–D) and the seed-000 story (4.14 style).
//
//   npm run build && node dist/scripts/make-fixtures.js [--only real|legacy] [--skip-run]
//
// Every key is fake but realistic and derived from a label, so reruns give the same values; each
// fixture lists its raw secrets in secrets.json so tests can prove none of them is ever printed.
// Real runs: HOME and OPENCLAW_STATE_DIR point at a temp dir, network off (proxy to a closed port),
// a loopback fake provider answers 401 so a real cooldown gets written. Absolute temp paths in
// openclaw.json are rewritten to `~`; SQLite copies are made after the CLI exits, switched to
// rollback journal, stripped of the plugin index row (machine paths) and vacuumed.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { homedir, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { realExec } from "../src/util/exec.js";
import { sandboxEnv } from "../src/sandbox/openclaw-cli.js";
import { fakeKey } from "./verify/scenario.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures");
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

function hex(label: string, n: number): string {
  let out = "";
  for (let i = 0; out.length < n; i++) out += createHash("sha256").update(`${label}#${i}`).digest("hex");
  return out.slice(0, n);
}
const key = {
  openrouter: (l: string) => `sk-or-v1-${hex(l, 64)}`,
  openai: (l: string) => `sk-proj-${hex(l, 80)}`,
  anthropic: (l: string) => `sk-ant-api03-${hex(l, 80)}`,
  plain: (l: string) => `fake-${hex(l, 40)}`,
  token: (l: string) => `gwtok-${hex(l, 48)}`,
};

class Secrets {
  values = new Set<string>();
  add<T extends string>(v: T): T {
    this.values.add(v);
    return v;
  }
  write(dir: string): void {
    writeFileSync(join(dir, "secrets.json"), JSON.stringify([...this.values], null, 2) + "\n");
  }
}

function writeJson(path: string, value: unknown, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n", { mode });
}
function writeText(path: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode });
}

// ---------------------------------------------------------------- real OpenClaw runs

function ocBin(version: string): string {
  return process.env[`OPENCLAW_BIN_${version.replace(/\./g, "_")}`] ?? join(homedir(), ".cache", "clawpatrol-e2e", `oc-${version}`, "node_modules", ".bin", "openclaw");
}

function startFakeProvider(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "Incorrect API key provided: bad-key.", type: "invalid_request_error", code: "invalid_api_key" } }));
      });
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

async function runRealFixture(version: string): Promise<void> {
  const bin = ocBin(version);
  if (!existsSync(bin)) {
    console.log(`skip ${version}: ${bin} not installed`);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), `cp-fix-${version}-`));
  const home = join(tmp, "home");
  const state = join(home, ".openclaw");
  mkdirSync(home, { recursive: true });
  const { server, port } = await startFakeProvider();
  const secrets = new Secrets();
  const env: NodeJS.ProcessEnv = sandboxEnv(
    { home, stateDir: state },
    { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
  );
  // 2026.9.6 looks up provider plugins with `npm view` (e.g. @openclaw/codex when an openai key
  // is pasted); offline npm fails fast instead of hanging on the dead proxy.
  env.npm_config_offline = "true";
  env.npm_config_cache = join(tmp, "npm-cache");

  const run = async (argv: string[], input?: string, timeoutMs = 120_000) => {
    const r = await realExec(bin, argv, { env, cwd: home, timeoutMs, ...(input !== undefined ? { input } : {}) });
    const tail = (r.stdout + r.stderr).trim().split("\n").slice(-1)[0] ?? "";
    console.log(`  [${version}] openclaw ${argv.slice(0, 3).join(" ")} … → ${r.code}${r.error ? ` (${r.error})` : ""} ${tail.slice(0, 120)}`);
    return r;
  };
  const v = version.replace(/\./g, "-");
  // Keys written through the real CLI carry a visible "fake" marker (sk-or-v1-fake-…).
  const orKey = secrets.add(fakeKey.openrouter(`${v}-onboard`));
  const gwToken = secrets.add(`gwtok-fake-${hex(`${v}-gateway`, 40)}`);
  const openaiKey = secrets.add(fakeKey.openai(`${v}-worker-openai`));
  const badKey = secrets.add(fakeKey.plain(`${v}-mockprof-bad`));
  const inlineKey = secrets.add(fakeKey.plain(`${v}-mock-inline`));
  const envKey = secrets.add(fakeKey.openrouter(`${v}-dotenv`));
  try {
    await run(["onboard", "--non-interactive", "--accept-risk", "--mode", "local", "--auth-choice", "openrouter-api-key", "--openrouter-api-key", orKey,
      "--skip-channels", "--skip-daemon", "--skip-health", "--skip-hooks", "--skip-search", "--skip-skills", "--skip-ui", "--skip-bootstrap",
      "--gateway-port", "18999", "--gateway-bind", "loopback", "--gateway-auth", "token", "--gateway-token", gwToken]);
    const is9 = version.startsWith("2026.9");
    // Providers first: 2026.9 refuses an agent model whose provider it cannot resolve.
    const mock = (apiKey?: string) => ({ baseUrl: `http://127.0.0.1:${port}/v1`, ...(apiKey ? { apiKey } : {}), api: "openai-completions", models: [{ id: "mock-ok", name: "Mock OK" }] });
    await run(["config", "set", "models.providers.mock", JSON.stringify(mock(inlineKey)), "--strict-json"]);
    await run(["config", "set", "models.providers.mockprof", JSON.stringify(mock()), "--strict-json"]);
    // A second and third agent. 2026.9 converts agents.list writes to agents.entries itself.
    if (is9) {
      await run(["config", "set", "agents.list[1]", JSON.stringify({ id: "worker", name: "Worker", model: "openai/gpt-5.4" }), "--strict-json"]);
      await run(["config", "set", "agents.list[2]", JSON.stringify({ id: "prof", name: "Prof", model: { primary: "mockprof/mock-ok", fallbacks: ["mock/mock-ok"] } }), "--strict-json"]);
    } else {
      await run(["config", "set", "agents.list", JSON.stringify([{ id: "main", default: true }, { id: "worker", name: "Worker", model: "openai/gpt-5.4" }, { id: "prof", name: "Prof", model: { primary: "mockprof/mock-ok", fallbacks: ["mock/mock-ok"] } }]), "--strict-json"]);
    }
    await run(["config", "set", "agents.defaults.model.fallbacks", JSON.stringify(["openai/gpt-5.4-mini"]), "--strict-json"]);
    await run(["models", "auth", "--agent", "worker", "paste-api-key", "--provider", "openai", "--profile-id", "openai:default"], openaiKey + "\n", 60_000);
    await run(["models", "auth", "--agent", "prof", "paste-api-key", "--provider", "mockprof", "--profile-id", "mockprof:default"], badKey + "\n", 60_000);
    await run(["config", "set", "tools.web.search.enabled", "false", "--strict-json"]);
    // A real provider 401 writes a real cooldown into the era's auth state store.
    await run(["agent", "--local", "--agent", "prof", "--message", "hi", "--json", "--timeout", "60"], undefined, 150_000);
    writeText(join(state, ".env"), `# written by make-fixtures: a different OpenRouter key than the stored profile\nOPENROUTER_API_KEY=${envKey}\n`);
    await run(["--version"]);

    const dest = join(FIXTURES, version);
    rmSync(dest, { recursive: true, force: true });
    copyState(state, join(dest, "home", ".openclaw"));
    rewriteAbsolute(join(dest, "home", ".openclaw"), home);
    const ver = (await realExec(bin, ["--version"], { env })).stdout.trim();
    writeJson(join(dest, "openclaw-version.json"), { version: ver, cli: `openclaw --version`, generatedBy: "scripts/make-fixtures.ts" }, 0o644);
    secrets.write(dest);
    console.log(`wrote ${relative(ROOT, dest)}`);
  } finally {
    server.close();
    if (process.env.KEEP_FIXTURE_TMP) console.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

const SKIP_DIRS = new Set(["workspace", "cache", "media", "plugin-skills", "tmp", "canvas", "logs", "migration", "completions", "skills-prompts"]);

function copyState(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const name of readdirSync(src)) {
    const from = join(src, name);
    const to = join(dest, name);
    const st = statSync(from);
    if (st.isDirectory()) {
      if (SKIP_DIRS.has(name) || name.startsWith("workspace")) continue;
      copyState(from, to);
    } else if (/\.sqlite-(wal|shm)$|\.lock\.sqlite$|generation-(lock|writer)\.sqlite$|reindex-lock\.sqlite$|\.bak(\.\d+)?$|\.lock$|quarantine\.sqlite$|\.trajectory(-path)?\.jsonl?$/.test(name)) {
      continue;
    } else if (name.endsWith(".sqlite")) {
      compactSqlite(from, to);
    } else {
      cpSync(from, to);
    }
  }
}

function compactSqlite(from: string, to: string): void {
  // Copy through the SQLite API (VACUUM INTO) so the WAL is folded in, then shrink the copy.
  rmSync(to, { force: true });
  const src = new DatabaseSync(from, { readOnly: true });
  src.exec(`VACUUM INTO '${to.replace(/'/g, "''")}'`);
  src.close();
  const db = new DatabaseSync(to);
  db.exec("PRAGMA journal_mode = DELETE");
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name));
  if (tables.has("config_machine_state")) db.exec("DELETE FROM config_machine_state WHERE state_key = 'plugins.installedIndex'");
  for (const t of ["diagnostic_events", "audit_events", "plugin_state_entries", "plugin_blob_entries", "official_external_plugin_catalog_snapshots"]) {
    if (tables.has(t)) db.exec(`DELETE FROM ${t}`);
  }
  // OpenClaw's schema has hundreds of tables and indexes, one page each at least: small pages
  // keep the fixture small without changing a row.
  db.exec("PRAGMA page_size = 512");
  db.exec("VACUUM");
  db.close();
}

function rewriteAbsolute(dir: string, home: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      rewriteAbsolute(p, home);
      continue;
    }
    if (!/\.(json|jsonl|env)$/.test(name)) continue;
    const text = readFileSync(p, "utf8");
    if (text.includes(home)) writeFileSync(p, text.split(home).join("~"));
  }
}

// ---------------------------------------------------------------- hand-built legacy fixtures

const T0 = Date.parse("2026-11-21T07:00:00Z"); // the "now" the unit tests use

function legacyEraA(): void {
  const dest = join(FIXTURES, "legacy-2026.3-era-a");
  rmSync(dest, { recursive: true, force: true });
  const s = new Secrets();
  const st = join(dest, "home", ".openclaw");
  const anth = s.add(key.anthropic("era-a-anthropic"));
  const orKey = s.add(key.openrouter("era-a-openrouter"));
  writeJson(join(st, "openclaw.json"), {
    meta: { lastTouchedVersion: "2026.3.28", lastTouchedAt: "2026-03-30T10:00:00.000Z" },
    gateway: { mode: "local", port: 18789, bind: "loopback", auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
    agents: {
      defaults: { workspace: "~/.openclaw/workspace", model: { primary: "anthropic/claude-sonnet-4-5", fallbacks: ["openrouter/auto"] } },
      list: [{ id: "main", default: true }, { id: "helper", name: "Helper", model: "openrouter/auto" }],
    },
    auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" }, "openrouter:default": { provider: "openrouter", mode: "api_key" } } },
  });
  writeText(join(st, ".env"), `OPENCLAW_GATEWAY_TOKEN=${s.add(key.token("era-a-gw"))}\n`);
  // Era A: one file, credentials plus inline order/lastGood/usageStats.
  writeJson(join(st, "agents", "main", "agent", "auth-profiles.json"), {
    version: 1,
    profiles: {
      "anthropic:default": { type: "api_key", provider: "anthropic", key: anth },
      "openrouter:default": { type: "api_key", provider: "openrouter", key: orKey },
    },
    lastGood: { anthropic: "anthropic:default" },
    usageStats: {
      "anthropic:default": { lastUsed: T0 - 3600_000, errorCount: 3, failureCounts: { rate_limit: 3 }, lastFailureAt: T0 - 60_000, cooldownUntil: T0 + 240_000, cooldownReason: "rate_limit", cooldownModel: "claude-sonnet-4-5" },
    },
  });
  s.write(dest);
}

function legacyEraB(): void {
  const dest = join(FIXTURES, "legacy-2026.4-era-b");
  rmSync(dest, { recursive: true, force: true });
  const s = new Secrets();
  const st = join(dest, "home", ".openclaw");
  const groq = s.add(`gsk_${hex("era-b-groq", 52)}`);
  const orKey = s.add(key.openrouter("era-b-openrouter"));
  const orEnv = s.add(key.openrouter("era-b-openrouter-env"));
  // Split config: agents in an $include, a ${VAR} reference and an escaped $${VAR}.
  writeText(join(st, "openclaw.json"), `// hand-written JSON5, as a user would keep it
{
  meta: { lastTouchedVersion: "2026.4.14", lastTouchedAt: "2026-04-20T09:00:00.000Z" },
  gateway: { mode: "local", port: 18789, bind: "loopback", auth: { mode: "token", token: "\${OPENCLAW_GATEWAY_TOKEN}" } },
  agents: { $include: "./agents.json5" },
  models: {
    providers: {
      groq: { apiKey: "\${GROQ_API_KEY}" },
      openrouter: { apiKey: "\${OPENROUTER_API_KEY}" },
    },
  },
  messages: { note: "literal $\${NOT_A_VAR} stays" },
  logging: { file: "~/.openclaw/logs/openclaw.log" },
}
`);
  writeText(join(st, "agents.json5"), `{
  defaults: { model: { primary: "groq/moonshotai/kimi-k2-instruct", fallbacks: ["openrouter/moonshotai/kimi-k2.5"] } },
  list: [
    { id: "main", default: true },
    { id: "ops", name: "Ops", model: { primary: "openrouter/moonshotai/kimi-k2.5", fallbacks: [] } },
  ],
}
`);
  writeText(join(st, ".env"), `OPENCLAW_GATEWAY_TOKEN=${s.add(key.token("era-b-gw"))}\nGROQ_API_KEY=${groq}\nOPENROUTER_API_KEY=${orEnv}\n`);
  writeJson(join(st, "agents", "main", "agent", "auth-profiles.json"), {
    version: 1,
    profiles: { "openrouter:default": { type: "api_key", provider: "openrouter", key: orKey } },
  });
  // Era B: runtime state in its own file (written only when non-empty).
  writeJson(join(st, "agents", "main", "agent", "auth-state.json"), {
    version: 1,
    usageStats: { "groq:default": { errorCount: 1, failureCounts: { auth: 1 }, lastFailureAt: T0 - 10_000, cooldownUntil: T0 + 20_000, cooldownReason: "auth" } },
  });
  // Generated models.json with the resolved key in plain text (as 4.14 writes it).
  writeJson(join(st, "agents", "main", "agent", "models.json"), { providers: { openrouter: { baseUrl: "https://openrouter.ai/api/v1", apiKey: orEnv, models: [{ id: "moonshotai/kimi-k2.5" }] } } });
  s.write(dest);
}

function sqliteAgentDb(path: string, opts: { sessions: boolean; store: unknown; state: unknown; version: string; agent: string }): void {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  const db = new DatabaseSync(path);
  db.exec(`CREATE TABLE schema_meta (meta_key TEXT PRIMARY KEY, role TEXT, schema_version INTEGER, agent_id TEXT, app_version TEXT, created_at INTEGER, updated_at INTEGER) STRICT;
    CREATE TABLE auth_profile_store (store_key TEXT PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;
    CREATE TABLE auth_profile_state (state_key TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL) STRICT;`);
  if (opts.sessions) {
    db.exec(`CREATE TABLE session_nodes (session_key TEXT PRIMARY KEY, current_session_id TEXT NOT NULL, entry_json TEXT NOT NULL, entry_valid INTEGER, updated_at INTEGER NOT NULL, status TEXT) STRICT;
      CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT, created_at INTEGER NOT NULL, event_zstd BLOB, event_utf8_bytes INTEGER, navigation_json TEXT, PRIMARY KEY (session_id, seq)) STRICT;`);
  }
  db.prepare("INSERT INTO schema_meta VALUES ('primary','agent',?,?,?,?,?)").run(opts.sessions ? 12 : 3, opts.agent, opts.version, T0, T0);
  db.prepare("INSERT INTO auth_profile_store VALUES ('primary', ?, ?)").run(JSON.stringify(opts.store), T0);
  if (opts.state) db.prepare("INSERT INTO auth_profile_state VALUES ('primary', ?, ?)").run(JSON.stringify(opts.state), T0);
  db.close();
}

function legacyEraC(): void {
  const dest = join(FIXTURES, "legacy-2026.6-era-c");
  rmSync(dest, { recursive: true, force: true });
  const s = new Secrets();
  const st = join(dest, "home", ".openclaw");
  const ds = s.add(`sk-${hex("era-c-deepseek", 48)}`);
  const stale = s.add(key.openrouter("era-c-stale-json"));
  writeJson(join(st, "openclaw.json"), {
    meta: { lastTouchedVersion: "2026.6.9" },
    gateway: { mode: "local", auth: { mode: "token", token: s.add(key.token("era-c-gw")) } },
    agents: { defaults: { model: "deepseek/deepseek-chat" }, list: [{ id: "main" }, { id: "coder", model: "deepseek/deepseek-reasoner" }] },
  });
  sqliteAgentDb(join(st, "agents", "main", "agent", "openclaw-agent.sqlite"), {
    sessions: false,
    version: "2026.6.9",
    agent: "main",
    store: { version: 1, profiles: { "deepseek:default": { type: "api_key", provider: "deepseek", key: ds } } },
    state: { version: 1, usageStats: { "deepseek:default": { disabledUntil: T0 + 5 * 3600_000, disabledReason: "billing", errorCount: 1, failureCounts: { billing: 1 }, lastFailureAt: T0 - 60_000 } } },
  });
  // A migration leftover: must NOT be treated as authoritative on a SQLite era.
  writeJson(join(st, "agents", "main", "agent", "auth-profiles.json"), { version: 1, profiles: { "deepseek:default": { type: "api_key", provider: "deepseek", key: stale } } });
  s.write(dest);
}

function legacyEraD(): void {
  const dest = join(FIXTURES, "legacy-2026.8-era-d");
  rmSync(dest, { recursive: true, force: true });
  const s = new Secrets();
  const st = join(dest, "home", ".openclaw");
  const mistral = s.add(`mk-${hex("era-d-mistral", 32)}`);
  const xaiMain = s.add(`xai-${hex("era-d-xai-main", 60)}`);
  const xaiLocal = s.add(`xai-${hex("era-d-xai-local", 60)}`);
  writeJson(join(st, "openclaw.json"), {
    meta: { lastTouchedVersion: "2026.8.2" },
    gateway: { mode: "local", port: 18790, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
    env: { vars: { MISTRAL_API_KEY: mistral } },
    agents: {
      defaults: { model: { primary: "mistral/mistral-large-latest", fallbacks: ["xai/grok-4"] }, systemAgent: { agentId: "main" } },
      ownership: "explicit",
      entries: { main: { name: "main" }, research: { name: "Research", model: { fallbacks: ["xai/grok-4-fast"] } } },
    },
  });
  writeText(join(st, ".env"), `OPENCLAW_GATEWAY_TOKEN=${s.add(key.token("era-d-gw"))}\n`);
  sqliteAgentDb(join(st, "agents", "main", "agent", "openclaw-agent.sqlite"), {
    sessions: true,
    version: "2026.8.2",
    agent: "main",
    store: { version: 1, profiles: { "xai:default": { type: "api_key", provider: "xai", key: xaiMain } } },
    state: { version: 1, usageStats: {} },
  });
  sqliteAgentDb(join(st, "agents", "research", "agent", "openclaw-agent.sqlite"), {
    sessions: true,
    version: "2026.8.2",
    agent: "research",
    store: { version: 1, profiles: { "xai:default": { type: "api_key", provider: "xai", key: xaiLocal } } },
    state: { version: 1, usageStats: { "xai:default": { cooldownUntil: T0 + 60_000, cooldownReason: "timeout", cooldownModel: "grok-4-fast", errorCount: 2, lastFailureAt: T0 - 30_000 } } },
  });
  s.write(dest);
}

/** Seed 000: the 2026.4.14 install from the support thread. */
function seed000(): void {
  const dest = join(FIXTURES, "seed-000");
  rmSync(dest, { recursive: true, force: true });
  const s = new Secrets();
  const home = join(dest, "home");
  const st = join(home, ".openclaw");
  const stale = s.add(key.openrouter("seed000-stale-profile"));
  const old = s.add(key.openrouter("seed000-dotenv-old"));
  const current = s.add(key.openrouter("seed000-dotenv-current"));
  const access = s.add(`eyJ${hex("seed000-codex-access", 120)}`);
  const refresh = s.add(`rt_${hex("seed000-codex-refresh", 64)}`);
  const gw = s.add(key.token("seed000-gw"));
  writeJson(join(st, "openclaw.json"), {
    meta: { lastTouchedVersion: "2026.4.14", lastTouchedAt: "2026-11-20T07:48:00.000Z" },
    wizard: { lastRunVersion: "2026.4.14", lastRunCommand: "onboard", lastRunMode: "local" },
    gateway: { mode: "local", port: 18789, bind: "loopback", auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
    agents: {
      defaults: {
        workspace: "~/.openclaw/workspace",
        models: { "openrouter/auto": { alias: "OpenRouter" }, "openai-codex/gpt-5.4": {} },
        // `openclaw config set agents.defaults.model.primary openai-codex/gpt-5.4` — did nothing for main.
        model: { primary: "openai-codex/gpt-5.4" },
      },
      list: [{ id: "main", name: "Steve", model: "openrouter/moonshotai/kimi-k2.5" }],
    },
    models: { providers: { openrouter: { baseUrl: "https://openrouter.ai/api/v1", apiKey: current, models: [{ id: "moonshotai/kimi-k2.5", name: "Kimi K2.5" }] } } },
    auth: { profiles: { "openrouter:default": { provider: "openrouter", mode: "api_key" }, "openai-codex:steve@example.com": { provider: "openai-codex", mode: "oauth" } } },
    session: { dmScope: "per-channel-peer" },
  });
  writeText(join(st, ".env"), `OPENROUTER_API_KEY=${old}\nOPENCLAW_GATEWAY_TOKEN=${gw}\nOPENROUTER_API_KEY=${current}\n`);
  writeJson(join(st, "agents", "main", "agent", "auth-profiles.json"), {
    version: 1,
    profiles: {
      "openrouter:default": { type: "api_key", provider: "openrouter", key: stale },
      "openai-codex:steve@example.com": { type: "oauth", provider: "openai-codex", access, refresh, expires: T0 + 3 * 24 * 3600_000 - 3600_000, email: "steve@example.com", accountId: "acct_demo" },
    },
  });
  writeJson(join(st, "agents", "main", "agent", "auth-state.json"), {
    version: 1,
    usageStats: { "openai-codex:steve@example.com": { lastUsed: T0 - 86_400_000 }, "openrouter:default": { lastUsed: T0 - 600_000 } },
  });
  writeJson(join(st, "agents", "main", "agent", "models.json"), {
    providers: {
      openrouter: { baseUrl: "https://openrouter.ai/api/v1", apiKey: current, models: [{ id: "moonshotai/kimi-k2.5" }, { id: "auto" }] },
      "openai-codex": { baseUrl: "https://chatgpt.com/backend-api", apiKey: access, models: [{ id: "gpt-5.4" }] },
    },
  });
  writeText(
    join(home, ".config", "systemd", "user", "openclaw-gateway.service"),
    `[Unit]\nDescription=OpenClaw Gateway\n\n[Service]\nExecStart=/usr/bin/node /usr/lib/node_modules/openclaw/dist/index.js gateway --port 18789\nRestart=always\nRestartPreventExitStatus=78\nEnvironmentFile=-%h/.config/openclaw/gateway.env\nEnvironment=NODE_OPTIONS=--max-old-space-size=2048\n\n[Install]\nWantedBy=default.target\n`,
    0o644,
  );
  s.write(dest);
}

async function main(): Promise<void> {
  if (only !== "real") {
    legacyEraA();
    legacyEraB();
    legacyEraC();
    legacyEraD();
    seed000();
    console.log("wrote legacy fixtures and seed-000");
  }
  if (only !== "legacy") {
    const versions = args.includes("--version") ? [args[args.indexOf("--version") + 1]!] : ["2026.9.6", "2026.8.2", "2026.7.35", "2026.5.28"];
    // One OpenClaw at a time (2 shared cores; concurrent CLIs time each other out).
    for (const version of versions) await runRealFixture(version);
  }
}

main().catch((err: unknown) => {
  console.error(`make-fixtures: ${(err as Error).message}`);
  process.exit(1);
});
