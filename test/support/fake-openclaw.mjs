// A stand-in `openclaw` for remedy tests: records its argv (one JSON line per call) to
// $FAKE_OPENCLAW_LOG and emulates `config get|set|unset|validate` on the JSON config file the real
// CLI would use ($OPENCLAW_CONFIG_PATH, else $OPENCLAW_STATE_DIR/openclaw.json).
// FAKE_OPENCLAW_VERSION=9 behaves like 2026.9.6 (compare-and-set flags, honours
// OPENCLAW_CONFIG_READONLY, refuses agents.list paths); =5 like 2026.5.28 (no such flags).
// $FAKE_OPENCLAW_CONTROL (JSON file, optional) injects faults: {"failSet": true | "<message>"},
// {"validateFails": true}, {"setWrites": <value>} (writes that instead), {"touchBeforeSet": <value>}
// (a "human" writes that value just before the set's compare step).
// FAKE_OPENCLAW_MIGRATIONS=1 emulates what the real 2026.9.6 did on its first `config set` of a model
// (observed 2026-11-30): it adds meta.migrations.{modelPolicyAllowlist,utilityModelSeparation},
// meta.lastTouchedVersion and, when unset, agents.defaults.model.primary = the value written.
import { appendFileSync, readFileSync, writeFileSync, renameSync, existsSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const env = process.env;
if (env.FAKE_OPENCLAW_LOG) appendFileSync(env.FAKE_OPENCLAW_LOG, JSON.stringify(args) + "\n");
const v9 = (env.FAKE_OPENCLAW_VERSION ?? "9") === "9";
const configPath = env.OPENCLAW_CONFIG_PATH || join(env.OPENCLAW_STATE_DIR || join(env.HOME, ".openclaw"), "openclaw.json");
const control = env.FAKE_OPENCLAW_CONTROL && existsSync(env.FAKE_OPENCLAW_CONTROL) ? JSON.parse(readFileSync(env.FAKE_OPENCLAW_CONTROL, "utf8")) : {};

function fail(message, json = false) {
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: { type: "cli_error", message } }, null, 2) + "\n");
  else process.stderr.write(message + "\n");
  process.exit(1);
}
function load() {
  return JSON.parse(readFileSync(configPath, "utf8"));
}
function save(cfg) {
  const tmp = configPath + ".fake.tmp";
  writeFileSync(tmp, JSON.stringify(cfg, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, configPath);
}
function parsePath(path) {
  const parts = [];
  for (const seg of path.split(".")) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) fail(`Unknown config path: ${path}`);
    parts.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}
function knownPath(parts) {
  if (v9 && parts[0] === "agents" && parts[1] === "list") return false;
  if (!v9 && parts[0] === "agents" && parts[1] === "entries") return false;
  return true;
}
function getAt(obj, parts) {
  let cur = obj;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object" || !(p in cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}
function setAt(obj, parts, value) {
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur[parts[i]] === undefined) cur[parts[i]] = typeof parts[i + 1] === "number" ? [] : {};
    cur = cur[parts[i]];
  }
  if (value === undefined) delete cur[parts[parts.length - 1]];
  else cur[parts[parts.length - 1]] = value;
}
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
function readonly() {
  return v9 && (env.OPENCLAW_CONFIG_READONLY === "1" || env.OPENCLAW_NIX_MODE === "1");
}

const [cmd, sub, path, raw] = args;
if (cmd === "--version") {
  process.stdout.write(`OpenClaw ${v9 ? "2026.9.6" : "2026.5.28"} (fake)\n`);
  process.exit(0);
}
if (cmd === "models" && sub === "status") {
  // The live oracle's question. It runs OpenClaw with the gateway's environment only, so tests put
  // FAKE_OPENCLAW_* in <stateDir>/service-env/*.env (read as the gateway service's env).
  // Answers come from $FAKE_OPENCLAW_CONTROL {"modelsStatus": {AGENT: doc}}
  // ({"refuse": "<message>"} answers as 8.2+ does for an unresolvable secret ref; "statusDelayMs"
  // waits first). $FAKE_OPENCLAW_ENV_LOG records where it was pointed (one JSON line per call).
  const agent = option("--agent") ?? "main";
  if (env.FAKE_OPENCLAW_ENV_LOG) {
    appendFileSync(env.FAKE_OPENCLAW_ENV_LOG, JSON.stringify({ args, cwd: process.cwd(), HOME: env.HOME, OPENCLAW_STATE_DIR: env.OPENCLAW_STATE_DIR, OPENCLAW_CONFIG_PATH: env.OPENCLAW_CONFIG_PATH, OPENCLAW_GATEWAY_PORT: env.OPENCLAW_GATEWAY_PORT, OPENCLAW_GATEWAY_URL: env.OPENCLAW_GATEWAY_URL, HTTPS_PROXY: env.HTTPS_PROXY, configExists: existsSync(configPath), names: Object.keys(env).sort() }) + "\n");
  }
  if (control.statusDelayMs) await new Promise((r) => setTimeout(r, control.statusDelayMs));
  if (control.invalidConfig) fail(`Invalid config at ${configPath}:\n- ${control.invalidConfig}`, true);
  if (control.refuse) fail(`models status: failed to resolve secrets from the active gateway snapshot (${control.refuse}). Local resolution also failed. Check the configured secret sources and gateway access, then retry.`, true);
  const doc = control.modelsStatus?.[agent];
  if (!doc) fail(`fake openclaw: no models status for agent ${agent} in $FAKE_OPENCLAW_CONTROL`, true);
  process.stdout.write(JSON.stringify({ configPath, agentId: agent, ...doc }, null, 2) + "\n");
  process.exit(0);
}
if (cmd === "secrets" && sub === "audit") {
  process.stdout.write(JSON.stringify(control.secretsAudit ?? { findings: [] }) + "\n");
  process.exit(control.secretsAudit?.findings?.length ? 2 : 0);
}
if (cmd !== "config") fail(`fake openclaw: unsupported command ${args.join(" ")}`);

if (sub === "set" && path === "--help") {
  process.stdout.write("Usage: openclaw config set [options] [path] [value]\n  --dry-run\n" + (v9 ? "  --expect-current-absent\n  --expect-current-json <json>\n" : "") + "  --strict-json\n");
  process.exit(0);
}
if (sub === "validate") {
  let ok = true;
  let issues = [];
  try { load(); } catch (err) { ok = false; issues = [{ path: "", message: String(err.message) }]; }
  if (control.validateFails) { ok = false; issues = [{ path: "agents", message: "fake validation failure" }]; }
  process.stdout.write(JSON.stringify({ valid: ok, path: configPath, ...(ok ? { warnings: [] } : { issues }) }) + "\n");
  process.exit(ok ? 0 : 1);
}
if (sub === "get") {
  const parts = parsePath(path);
  if (!knownPath(parts)) fail(`Unknown config path: ${path}. Run openclaw config schema to inspect valid paths.`, true);
  const value = getAt(load(), parts);
  if (value === undefined) fail(v9 ? `Config path is valid but unset: ${path}.` : `Config path not found: ${path}.`, v9);
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
  process.exit(0);
}
if (sub === "set" || sub === "unset") {
  if (!v9 && (args.includes("--expect-current-json") || args.includes("--expect-current-absent"))) {
    fail(`OpenClaw does not recognize option "${args.includes("--expect-current-json") ? "--expect-current-json" : "--expect-current-absent"}".`);
  }
  if (readonly()) fail("Config is externally managed (`OPENCLAW_CONFIG_READONLY=1`), so OpenClaw treats openclaw.json as immutable.");
  if (control.failSet) fail(typeof control.failSet === "string" ? control.failSet : "fake: set refused");
  const parts = parsePath(path);
  let cfg = load();
  if (control.touchBeforeSet !== undefined) {
    setAt(cfg, parts, control.touchBeforeSet);
    save(cfg);
    cfg = load();
  }
  const current = getAt(cfg, parts);
  const expectJson = option("--expect-current-json");
  if (expectJson !== undefined && !same(current, JSON.parse(expectJson))) {
    fail("The config file changed while this command was writing (conditional config set expectation did not match the authored config), so nothing was changed.");
  }
  if (args.includes("--expect-current-absent") && current !== undefined) fail("conditional config set expectation did not match (path is set)");
  let value;
  if (sub === "set") {
    try { value = JSON.parse(raw); } catch { fail(`Invalid JSON value for ${path}`); }
    if (control.setWrites !== undefined) value = control.setWrites;
  }
  setAt(cfg, parts, value);
  if (env.FAKE_OPENCLAW_MIGRATIONS === "1" && sub === "set" && /\.model(\.primary)?$/.test(path) && cfg.meta?.migrations === undefined) {
    cfg.meta = { ...(cfg.meta ?? {}), migrations: { modelPolicyAllowlist: true, utilityModelSeparation: true }, lastTouchedVersion: "2026.9.6" };
    const model = getAt(cfg, ["agents", "defaults", "model"]);
    const settable = model === undefined || (typeof model === "object" && model !== null && model.primary === undefined);
    if (settable && typeof value === "string") setAt(cfg, ["agents", "defaults", "model", "primary"], value);
  }
  save(cfg);
  process.stdout.write(`Updated ${path}. Change will apply without restarting the gateway.\n`);
  process.exit(0);
}
fail(`fake openclaw: unsupported config command ${sub}`);
