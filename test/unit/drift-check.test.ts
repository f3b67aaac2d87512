import { describe, it, expect } from "@jest/globals";
import { checkDrift, diffFile, type FileBaseline } from "../../src/drift/check.js";
import { checkConfigStale, reloadClassOf } from "../../src/drift/config-stale.js";
import { normalizeContent, semanticHashOf, flattenJson, type FileSnapshot } from "../../src/drift/snapshot.js";
import { observeConfig, type ConfigTimeline } from "../../src/drift/timeline.js";
import { classifyPath, EXCLUDE_RULES } from "../../src/openclaw/watched-files.js";

const KEY_A = "sk-or-v1-" + "a1".repeat(30) + "04f4";
const KEY_B = "sk-or-v1-" + "b2".repeat(30) + "a81c";
const FILE = "/home/u/.openclaw/openclaw.json";

function snap(text: string, opts: { path?: string; mode?: number; role?: FileSnapshot["role"]; kind?: FileSnapshot["kind"] } = {}): FileSnapshot {
  const role = opts.role ?? "config";
  const kind = opts.kind ?? "json";
  const { leaves, parseError } = normalizeContent(text, { role, kind, sensitiveAll: false }, "openclaw.json");
  const s: FileSnapshot = {
    path: opts.path ?? FILE,
    role,
    kind,
    stat: { size: text.length, mode: opts.mode ?? 0o600, uid: 1000, gid: 1000, mtimeMs: 1, ino: 1, sha256: Buffer.from(text).toString("hex").slice(0, 64) },
    leaves,
    semanticHash: leaves ? semanticHashOf(leaves) : "bytes",
  };
  if (parseError) s.parseError = parseError;
  return s;
}

const base = (s: FileSnapshot): FileBaseline => ({ ...s, acceptedAt: 0 });

function drift(before: FileSnapshot, after: FileSnapshot) {
  return checkDrift({ baseline: new Map([[before.path, base(before)]]), current: new Map([[after.path, after]]), at: Date.parse("2026-11-21T07:48:00Z") });
}

const cfg = (model: string, key: string, extra = "") => `{
  // main agent
  agents: { entries: { main: { model: "${model}" } } },
  models: { providers: { openrouter: { apiKey: "${key}" } } },
  meta: { lastTouchedVersion: "2026.9.6", lastTouchedAt: "2026-11-20T10:00:00Z" },${extra}
}`;

describe("config.drift: what changed, never a secret", () => {
  it("names the key that changed, old and new value", () => {
    const [f] = drift(snap(cfg("openai-codex/gpt-5.4", KEY_A)), snap(cfg("openrouter/moonshotai/kimi-k2.5", KEY_A)));
    expect(f!.kind).toBe("config.drift");
    expect(f!.subject).toEqual({ file: FILE });
    expect(f!.summary).toContain('agents.entries.main.model: "openai-codex/gpt-5.4" → "openrouter/moonshotai/kimi-k2.5"');
    expect(f!.evidence!.changes).toEqual(['agents.entries.main.model: "openai-codex/gpt-5.4" → "openrouter/moonshotai/kimi-k2.5"']);
    expect(f!.detail).toContain(`clawpatrol accept --file ${FILE}`);
  });

  it("never suggests a command that fails: a broken file is repaired, not accepted; a logical store is accepted whole", () => {
    const [broken] = drift(snap(cfg("m/x", KEY_A)), snap("{ garbage"));
    expect(broken!.summary).toContain("no longer parses");
    expect(broken!.detail).toContain(`Repair ${FILE} (openclaw config validate shows where)`);
    expect(broken!.detail).not.toContain("accept --file");
    const store = "/home/u/.openclaw/#auth-store";
    const leaves = (n: number) => `{"profiles":{${Array.from({ length: n }, (_, i) => `"p${i}":{"type":"api_key"}`).join(",")}}}`;
    const [logical] = drift(snap(leaves(2), { path: store, role: "auth" }), snap(leaves(1), { path: store, role: "auth" }));
    expect(logical!.detail).toMatch(/If it is intended: clawpatrol accept$/);
  });

  it("shows a changed API key only as fingerprints", () => {
    const [f] = drift(snap(cfg("m/x", KEY_A)), snap(cfg("m/x", KEY_B)));
    const text = JSON.stringify(f);
    expect(text).not.toContain(KEY_A);
    expect(text).not.toContain(KEY_B);
    expect(text).not.toContain(KEY_A.slice(9, 40));
    expect((f!.evidence!.changes as string[])[0]).toMatch(/^models\.providers\.openrouter\.apiKey: sk-or-v1-…04f4 #[0-9a-f]{8} → sk-or-v1-…a81c #[0-9a-f]{8}$/);
  });

  it("ignores comment, whitespace, key order and meta.lastTouched* edits", () => {
    const a = snap(cfg("m/x", KEY_A));
    const b = snap(`{"models":{"providers":{"openrouter":{"apiKey":"${KEY_A}"}}},"agents":{"entries":{"main":{"model":"m/x"}}},"meta":{"lastTouchedVersion":"2026.9.7","lastTouchedAt":"2026-11-21T00:00:00Z"}}`);
    expect(a.stat!.sha256).not.toBe(b.stat!.sha256);
    expect(drift(a, b)).toEqual([]);
    expect(diffFile(base(a), b).cosmetic).toBe(true);
  });

  it("warns when an auth file's permissions are loosened", () => {
    const auth = `{"version":1,"profiles":{"openrouter:default":{"type":"api_key","provider":"openrouter","key":"${KEY_A}"}}}`;
    const path = "/home/u/.openclaw/agents/main/agent/auth-profiles.json";
    const [f] = drift(snap(auth, { path, role: "auth" }), snap(auth, { path, role: "auth", mode: 0o644 }));
    expect(f!.severity).toBe("warning");
    expect(f!.summary).toContain("permissions loosened 0600 → 0644");
    expect(f!.detail).toContain(`chmod 600 ${path}`);
    expect(JSON.stringify(f)).not.toContain(KEY_A);
  });

  it("reports .env changes per variable, fingerprinting secret-named values and showing the rest", () => {
    const path = "/home/u/.openclaw/.env";
    const before = snap(`OPENROUTER_API_KEY=${KEY_A}\nOPENCLAW_LOG_LEVEL=info\n# comment\n`, { path, role: "env", kind: "env" });
    const after = snap(`OPENROUTER_API_KEY="${KEY_B}"\nOPENCLAW_LOG_LEVEL=debug\nSMTP_PASS=hunter2hunter2\n`, { path, role: "env", kind: "env" });
    const [f] = drift(before, after);
    const changes = f!.evidence!.changes as string[];
    expect(changes).toContain('OPENCLAW_LOG_LEVEL: "info" → "debug"');
    expect(changes.find((c) => c.startsWith("OPENROUTER_API_KEY"))).toMatch(/…04f4 #\w+ → sk-or-v1-…a81c/);
    expect(changes.find((c) => c.startsWith("SMTP_PASS"))).toMatch(/^SMTP_PASS: added \(14 chars\) #[0-9a-f]{8}$/);
    expect(JSON.stringify(f)).not.toContain("hunter2");
  });

  it("reports files added and removed, and a config that stops parsing", () => {
    const a = snap(cfg("m/x", KEY_A));
    const removed = drift(a, { ...a, stat: null, leaves: null, semanticHash: "missing" });
    expect(removed[0]!.severity).toBe("critical");
    expect(removed[0]!.summary).toContain("was deleted");
    const broken = drift(a, snap("{ agents: { "));
    expect(broken[0]!.summary).toContain("no longer parses");
    const added = checkDrift({ baseline: new Map(), current: new Map([[FILE, a]]), at: 0 });
    expect(added[0]!.summary).toContain("appeared");
    expect(JSON.stringify(added)).not.toContain(KEY_A);
  });

  it("fingerprints a secret-looking value even under an innocent key name", () => {
    const [f] = drift(snap(`{ note: "x" }`), snap(`{ note: "${KEY_A}" }`));
    expect(JSON.stringify(f)).not.toContain(KEY_A);
  });
});

describe("drift rules: runtime churn is not drift", () => {
  const scope = { stateDir: "/s", home: "/h" };
  it.each([
    ["/s/agents/main/agent/auth-state.json", "usage-stats"],
    ["/s/agents/main/sessions/sessions.json", "sessions"],
    ["/s/agents/main/sessions/abc.jsonl", "sessions"],
    ["/s/state/openclaw.sqlite-wal", "sqlite"],
    ["/s/agents/main/agent/openclaw-agent.sqlite", "sqlite"],
    ["/s/openclaw.json.bak.2", "config-backup"],
    ["/s/openclaw.json.last-good", "last-good"],
    ["/s/openclaw.json.Xa81cQ9z", "temp-file"],
    ["/s/.openclaw.json.swp", "temp-file"],
    ["/s/openclaw.json~", "temp-file"],
    ["/s/logs/config-audit.jsonl", "transcripts"],
    ["/s/cache/x.json", "runtime-dir"],
  ])("%s is excluded (%s)", (path, rule) => {
    const c = classifyPath(path, scope);
    expect(c.watch).toBe(false);
    if (!c.watch) expect(c.rule).toBe(rule);
    expect(EXCLUDE_RULES.find((r) => r.id === rule)!.reason.length).toBeGreaterThan(10);
  });

  it.each([
    ["/s/openclaw.json", "config"],
    ["/s/.env", "env"],
    ["/s/agents/main/agent/auth-profiles.json", "auth"],
    ["/s/credentials/oauth.json", "credentials"],
    ["/h/.config/openclaw/gateway.env", "env"],
    ["/h/.config/systemd/user/openclaw-gateway.service", "unit"],
    ["/h/.config/systemd/user/openclaw-gateway-work.service", "unit"],
  ])("%s is watched as %s", (path, role) => {
    const c = classifyPath(path, scope);
    expect(c.watch && c.role).toBe(role);
  });
});

describe("gateway.config-stale", () => {
  const t0 = Date.parse("2026-11-21T07:00:00Z");
  const leaves = (port: number, model: string) => flattenJson({ gateway: { port, auth: { mode: "token" } }, agents: { entries: { main: { model } } } }).leaves;

  it("flags a port change made after the gateway started, once the auto-restart grace has passed", () => {
    const tl: ConfigTimeline = {};
    observeConfig(tl, leaves(18789, "a/b"), t0 - 60_000);
    observeConfig(tl, leaves(18790, "a/b"), t0 + 10 * 60_000);
    const started = t0;
    expect(checkConfigStale({ timeline: tl, gatewayStartedAt: started, now: t0 + 10 * 60_000 + 1000 })).toEqual([]);
    const [f] = checkConfigStale({ timeline: tl, gatewayStartedAt: started, now: t0 + 12 * 60_000 });
    expect(f!.kind).toBe("gateway.config-stale");
    expect(f!.summary).toContain("gateway.port 18789 → 18790");
    expect(f!.detail).toContain("openclaw gateway restart");
    // Once the gateway restarted after the change, it is current.
    expect(checkConfigStale({ timeline: tl, gatewayStartedAt: t0 + 11 * 60_000, now: t0 + 12 * 60_000 })).toEqual([]);
  });

  it("does not flag hot-applied keys, unless reload mode is off", () => {
    const tl: ConfigTimeline = {};
    observeConfig(tl, leaves(18789, "a/b"), t0 - 60_000);
    observeConfig(tl, leaves(18789, "c/d"), t0 + 60_000);
    expect(checkConfigStale({ timeline: tl, gatewayStartedAt: t0, now: t0 + 10 * 60_000 })).toEqual([]);
    const [f] = checkConfigStale({ timeline: tl, gatewayStartedAt: t0, now: t0 + 61_000, reloadMode: "off" });
    expect(f!.summary).toContain("agents.entries.main.model");
  });

  it("a change reverted before anyone restarted is not stale; a key added after start is", () => {
    const tl: ConfigTimeline = {};
    observeConfig(tl, leaves(18789, "a/b"), t0 - 60_000);
    observeConfig(tl, leaves(1, "a/b"), t0 + 60_000);
    observeConfig(tl, leaves(18789, "a/b"), t0 + 120_000);
    expect(checkConfigStale({ timeline: tl, gatewayStartedAt: t0, now: t0 + 3_600_000 })).toEqual([]);
    observeConfig(tl, { ...leaves(18789, "a/b"), "gateway.tls.enabled": "true" }, t0 + 180_000);
    expect(checkConfigStale({ timeline: tl, gatewayStartedAt: t0, now: t0 + 3_600_000 })[0]!.summary).toContain("gateway.tls.enabled (absent) → true");
  });

  it("classifies keys by OpenClaw's hot-reload table", () => {
    expect(reloadClassOf("gateway.port")).toBe("restart");
    expect(reloadClassOf("gateway.auth.mode")).toBe("restart");
    expect(reloadClassOf("gateway.auth.token")).toBe("hot");
    expect(reloadClassOf("gateway.reload.mode")).toBe("none");
    expect(reloadClassOf("agents.entries.main.model")).toBe("hot");
    expect(reloadClassOf("plugins.entries.x.enabled", "2026.9.6")).toBe("hot");
    expect(reloadClassOf("plugins.entries.x.enabled", "2026.5.28")).toBe("restart");
    expect(reloadClassOf("somethingNew.x")).toBe("restart");
  });
});
