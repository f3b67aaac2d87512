// A realistic status snapshot for tests: two agents, a rejected OpenRouter key on main, a
// fallback in effect, one open incident, one action, real-looking (fake) secrets as Secrets.
import { Secret } from "../../src/util/secret.js";
import { makeFinding } from "../../src/checks/finding.js";
import { buildStatusSnapshot, type StatusInputs, type StatusSnapshot } from "../../src/status/snapshot.js";
import type { Agent, Installation, RouteEntry } from "../../src/openclaw/types.js";
import type { Incident } from "../../src/health/types.js";

export const FAKE_OPENROUTER_KEY = "sk-or-v1-" + "0123456789abcdef".repeat(4);
export const FAKE_OPENAI_KEY = "sk-proj-" + "A1b2C3d4E5f6G7h8".repeat(3);
export const T0 = Date.parse("2026-11-21T07:00:00Z");

function entry(ref: string, role: "primary" | "fallback"): RouteEntry {
  const [provider, ...rest] = ref.split("/");
  return { ref: { provider: provider!, model: rest.join("/"), ref }, role, from: "agent", origin: { file: "/home/u/.openclaw/openclaw.json", path: "agents.entries.main.model" } };
}

function agent(id: string, primary: string, fallbacks: string[], isDefault = false): Agent {
  const refs = [primary, ...fallbacks];
  const providers = [...new Set(refs.map((r) => r.split("/")[0]!))];
  return {
    id,
    isDefault,
    agentDir: `/home/u/.openclaw/agents/${id}`,
    configPath: `agents.entries.${id}`,
    modelShape: "object",
    route: { primary: entry(primary, "primary"), fallbacks: fallbacks.map((f) => entry(f, "fallback")), strict: false },
    credentials: providers.map((provider) => ({
      provider,
      winner: {
        id: `${provider}|profile:${provider}:default`,
        provider,
        type: "api_key",
        source: { kind: "profile", label: `stored profile ${provider}:default (state/openclaw.sqlite)`, profileId: `${provider}:default` },
        secret: new Secret(provider === "openrouter" ? FAKE_OPENROUTER_KEY : FAKE_OPENAI_KEY),
      },
      others: [],
      rule: "stored profiles beat env vars",
    })),
  };
}

export function fixtureInstallation(): Pick<Installation, "paths" | "version" | "agents" | "gateway"> {
  return {
    paths: { stateDir: "/home/u/.openclaw", configPath: "/home/u/.openclaw/openclaw.json", chosenBy: "~/.openclaw" },
    version: { version: "2026.9.6", source: "cli", era: "E", evidence: [] },
    agents: [
      agent("main", "openrouter/moonshotai/kimi-k2.5", ["openai/gpt-5.4"], true),
      agent("research", "openai/gpt-5.4", []),
    ],
    gateway: {
      port: 18789, bind: "loopback", host: "127.0.0.1", tls: false, url: "http://127.0.0.1:18789",
      authMode: "token", token: new Secret("gw-token-" + "f".repeat(40)), reloadMode: "hybrid", logFile: null,
    },
  };
}

export function fixtureIncident(at = T0 + 48 * 60_000): Incident {
  const finding = makeFinding({
    kind: "auth.rejected",
    severity: "critical",
    subject: { agent: "main", provider: "openrouter" },
    summary: "OpenRouter rejected main's key (HTTP 401 User not found)",
    detail: "openclaw models auth add openrouter",
    evidence: { fingerprint: new Secret(FAKE_OPENROUTER_KEY).fingerprint, httpStatus: 401 },
    at,
  });
  return {
    id: "inc-20261121-0748-3f9a",
    subjectKey: "route:main/openrouter",
    kind: "auth.rejected",
    severity: "critical",
    subject: { agent: "main", provider: "openrouter" },
    summary: finding.summary,
    openedAt: new Date(at).toISOString(),
    findings: [finding],
    notifiedAt: new Date(at + 30_000).toISOString(),
    actions: ["switched main to openai/gpt-5.4 at 07:48"],
  };
}

export function fixtureInputs(now = T0 + 50 * 60_000): StatusInputs {
  return {
    now,
    self: { version: "0.1.0", pid: 4242, startedAt: T0, lastLoopTickAt: now - 5_000, ready: true, configPath: null, configSource: "defaults", remedyMode: "act" },
    installation: fixtureInstallation(),
    gateway: { up: true, checkedAt: now - 10_000, latencyMs: 12 },
    probes: [
      { provider: "openrouter", agent: "main", model: "moonshotai/kimi-k2.5", at: now - 60_000, verdict: "fail", httpStatus: 401, reason: "auth", latencyMs: 140, summary: `HTTP 401 User not found. key=${FAKE_OPENROUTER_KEY}` },
      { provider: "openai", at: now - 60_000, verdict: "pass", httpStatus: 200, latencyMs: 212 },
    ],
    routeStates: new Map([["main/openrouter", "down"]]),
    fallbacks: new Map([["main", "openrouter/moonshotai/kimi-k2.5"]]),
    incidents: [fixtureIncident()],
    actions: [{ at: T0 + 48 * 60_000, type: "fallback", agent: "main", result: "ok", summary: "switched main from openrouter/moonshotai/kimi-k2.5 to openai/gpt-5.4" }],
    spool: { depth: 0, lastSentAt: T0 + 48 * 60_000 + 30_000 },
  };
}

export function fixtureSnapshot(now?: number): StatusSnapshot {
  return buildStatusSnapshot(fixtureInputs(now));
}
