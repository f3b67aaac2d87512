// Seeded random OpenClaw installs for the differential verifier: the config (written as
// openclaw.json, proven by the real `config validate`), .env lines, and the auth profiles to paste
// through the real CLI. Keys are fake and carry a visible marker (`sk-or-v1-fake-…`).
import { createHash } from "node:crypto";
import { compareVersions } from "../../src/openclaw/version.js";
import { seededRandom } from "../../src/util/seeded-random.js";

function hex(label: string, n: number): string {
  return createHash("sha256").update(label).digest("hex").slice(0, n);
}

/** Obviously fake keys: nobody mistakes them for real ones. */
export const fakeKey = {
  openrouter: (l: string) => `sk-or-v1-fake-${hex(l, 48)}`,
  openai: (l: string) => `sk-proj-fake-${hex(l, 48)}`,
  plain: (l: string) => `fake-${hex(l, 40)}`,
  token: (l: string) => `tok-fake-${hex(l, 48)}`,
};

export interface PasteStep {
  /** `paste-api-key` or `paste-token` (a token profile). */
  kind: "api-key" | "token";
  agent: string;
  provider: string;
  profileId: string;
  key: string;
}

/** `openclaw models auth order set --agent A --provider P ids…` after the pastes. */
export interface OrderStep {
  agent: string;
  provider: string;
  profileIds: string[];
}

/**
 * A real `openclaw agent --local` turn of `agent` (its model forced to mock/mock-ok) against a
 * loopback fake provider answering `status` to every key: OpenClaw writes its own cooldown /
 * failure state, which `models status` then reports as unusable profiles.
 */
export interface FailingTurn {
  agent: string;
  status: "429" | "401";
}

export interface Scenario {
  id: string;
  version: string;
  config: Record<string, unknown>;
  dotenv: string;
  paste: PasteStep[];
  order: OrderStep[];
  /** Also run `openclaw secrets audit --json` (always done when models status refuses). */
  audit: boolean;
  /** On a subset only: a turn costs about a minute here. */
  failingTurn: FailingTurn | null;
  agents: string[];
  /** Every raw key in the scenario, for the leak check. */
  secrets: string[];
}

const MODELS = ["openrouter/moonshotai/kimi-k2.5", "openrouter/openai/gpt-5-mini", "openai/gpt-5.4", "openai/gpt-5.4-mini", "mock/mock-ok", "remote/r1"];

/** Roster shape the version accepts: `agents.entries{}` + ownership from 2026.8 (8.2, 9.6), `agents.list[]` before. */
export function usesEntries(version: string): boolean {
  return compareVersions(version, "2026.8.0") >= 0;
}

export function generateScenario(version: string, seed: number, index: number): Scenario {
  const r = seededRandom(seed * 1000 + index);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const id = `s${seed}-${index}`;
  const secrets: string[] = [];
  const keep = (k: string) => (secrets.push(k), k);
  const providers: Record<string, unknown> = {
    mock: { baseUrl: "http://127.0.0.1:9/v1", api: "openai-completions", models: [{ id: "mock-ok", name: "Mock OK" }] },
    remote: { baseUrl: "https://llm.example.invalid/v1", api: "openai-completions", models: [{ id: "r1", name: "R1" }] },
  };
  const envVars: Record<string, string> = {};
  const lines: string[] = [];
  // Custom provider keys: literal, ${VAR} reference, or none.
  const mockKey = pick(["literal", "ref", "none"] as const);
  if (mockKey === "literal") (providers.mock as Record<string, unknown>).apiKey = keep(fakeKey.plain(`${id}-mock`));
  if (mockKey === "ref") {
    (providers.mock as Record<string, unknown>).apiKey = "${MOCK_API_KEY}";
    if (chance(0.7)) lines.push(`MOCK_API_KEY=${keep(fakeKey.plain(`${id}-mockenv`))}`);
  }
  if (chance(0.3)) (providers.remote as Record<string, unknown>).apiKey = keep(fakeKey.plain(`${id}-remote`));
  // Built-in openai, sometimes pointed at a loopback server.
  if (chance(0.5)) providers.openai = { baseUrl: "http://127.0.0.1:9/v1", models: [] };
  // OpenRouter / OpenAI keys in .env (duplicates: dotenv keeps the last line) or config env.vars.
  for (const [name, make] of [["OPENROUTER_API_KEY", fakeKey.openrouter], ["OPENAI_API_KEY", fakeKey.openai]] as const) {
    const where = pick(["dotenv", "dotenv-dup", "config-env", "none", "none"] as const);
    if (where === "dotenv") lines.push(`${name}=${keep(make(`${id}-${name}`))}`);
    if (where === "dotenv-dup") lines.push(`${name}=${keep(make(`${id}-${name}-first`))}`, `${name}=${keep(make(`${id}-${name}-last`))}`);
    if (where === "config-env") envVars[name] = keep(make(`${id}-${name}-cfg`));
  }
  const defaultsModel = chance(0.3) ? pick(MODELS) : { primary: pick(MODELS), fallbacks: chance(0.7) ? [pick(MODELS)] : [] };
  const agentModel = (): unknown => {
    switch (pick(["absent", "string", "primary", "both", "fallbacks"] as const)) {
      case "absent": return undefined;
      case "string": return pick(MODELS);
      case "primary": return { primary: pick(MODELS) };
      case "both": return { primary: pick(MODELS), fallbacks: [pick(MODELS)] };
      case "fallbacks": return { fallbacks: [pick(MODELS)] };
    }
  };
  const agentIds = ["main", ...Array.from({ length: 1 + Math.floor(r() * 2) }, (_, i) => `w${i + 1}`)];
  const models = new Map(agentIds.map((a) => [a, agentModel()]));
  const agents: Record<string, unknown> = { defaults: { model: defaultsModel } };
  if (usesEntries(version)) {
    agents.ownership = "explicit";
    agents.entries = Object.fromEntries(agentIds.map((a) => [a, models.get(a) === undefined ? {} : { model: models.get(a) }]));
  } else {
    agents.list = agentIds.map((a, i) => ({ id: a, ...(i === 0 ? { default: true } : {}), ...(models.get(a) === undefined ? {} : { model: models.get(a) }) }));
  }
  const config: Record<string, unknown> = {
    // As every OpenClaw write leaves it (onboard, config set, models auth): clawpatrol reads the version here.
    meta: { lastTouchedVersion: version },
    gateway: { mode: "local", port: 18999, bind: "loopback", auth: { mode: "token", token: keep(`gwtok-fake-${hex(`${id}-gw`, 32)}`) } },
    models: { providers },
    agents,
    ...(Object.keys(envVars).length ? { env: { vars: envVars } } : {}),
  };
  // Few pasted profiles per install (each paste is a ~10 s CLI call): none, one, or two for one
  // provider of one agent (an api key and a token, or two keys), sometimes with an auth order.
  const paste: PasteStep[] = [];
  const order: OrderStep[] = [];
  const key = (provider: "openrouter" | "openai", label: string) => keep(provider === "openrouter" ? fakeKey.openrouter(label) : fakeKey.openai(label));
  const shape = pick(["none", "none", "one", "one", "two"] as const);
  if (shape !== "none") {
    const provider = pick(["openrouter", "openai"] as const);
    const agent = pick(agentIds);
    paste.push({ kind: "api-key", agent, provider, profileId: `${provider}:manual`, key: key(provider, `${id}-paste`) });
    if (shape === "two") {
      // OpenClaw's paste-token refuses a key that looks like an OpenAI API key: tokens get their own marker.
      const token = chance(0.5);
      const second = `${provider}:${token ? "tok" : "second"}`;
      paste.push({ kind: token ? "token" : "api-key", agent, provider, profileId: second, key: token ? keep(fakeKey.token(`${id}-tok`)) : key(provider, `${id}-second`) });
      if (chance(0.6)) order.push({ agent, provider, profileIds: [second, `${provider}:manual`] });
    }
  }
  const audit = chance(0.3);
  let failingTurn: FailingTurn | null = null;
  if (chance(0.15)) {
    failingTurn = { agent: agentIds[agentIds.length - 1]!, status: pick(["429", "401"] as const) };
    const roster = agents.entries as Record<string, Record<string, unknown>> | undefined;
    if (roster) roster[failingTurn.agent] = { model: "mock/mock-ok" };
    else (agents.list as Record<string, unknown>[])[agentIds.length - 1]!.model = "mock/mock-ok";
  }
  return { id, version, config, dotenv: lines.length ? lines.join("\n") + "\n" : "", paste, order, audit, failingTurn, agents: agentIds, secrets };
}
