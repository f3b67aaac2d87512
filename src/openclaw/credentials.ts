// Which credential the runtime would send for one agent × provider (research §5.6):
//   1. models.providers.<p>.auth = "api-key" with an explicit apiKey → that config key;
//   2. auth profiles in resolved order (stored order → auth.order → auth.profiles → all stored,
//      oauth > token > api_key, oldest lastUsed first; cooling profiles last);
//   3. env (OPENCLAW_LIVE_<P>_KEY > <P>_API_KEYS > <P>_API_KEY > <P>_API_KEY_*; Google also GEMINI/GOOGLE);
//   4. models.providers.<p>.apiKey, then the generated models.json;
//   5. synthetic local auth: custom providers only, 2026.9+ only (see version-rules.ts) — never a
//      built-in provider pointed at a loopback URL (2026.9.6 reports that as missing-auth).
// A `models.providers.<p>.apiKey` holding a profile id is a binding to that profile (profile-binding.ts).
// A .env line dotenv discards (an earlier duplicate in the same file) is no credential at all.
// Session pins (step 0 in OpenClaw) are per chat and not visible in config; they are out of scope here.
import { existsSync } from "node:fs";
import { Secret } from "../util/secret.js";
import { readTextFile } from "./config-loader.js";
import { getObj, getPath, isPlainObject } from "./config-path.js";
import { envString } from "./env-files.js";
import { tildify } from "./paths.js";
import { isProfileBinding } from "./profile-binding.js";
import { customProviderSyntheticAuth, dollarRefIsEnvSource } from "./version-rules.js";
import type { AuthStore, StoredProfile } from "./auth-store.js";
import type { Credential, EnvView, ProviderCredentials, ProviderEndpoint } from "./types.js";
import { modelsJsonPath } from "./agent-files.js";

const TYPE_RANK = { oauth: 0, token: 1, api_key: 2 } as const;
/** Providers whose auth never enters cooldown (hard-coded bypass in OpenClaw 4.14 and 9.6). */
export const COOLDOWN_BYPASS = new Set(["openrouter", "kilocode"]);

export function envNamesFor(provider: string): string[] {
  const P = provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  if (provider === "google") return ["OPENCLAW_LIVE_GEMINI_KEY", "GEMINI_API_KEYS", "GEMINI_API_KEY", "GOOGLE_API_KEY"];
  const names = [`OPENCLAW_LIVE_${P}_KEY`, `${P}_API_KEYS`, `${P}_API_KEY`];
  if (provider === "anthropic") names.push("ANTHROPIC_OAUTH_TOKEN");
  if (provider === "zai") names.push("Z_AI_API_KEY");
  return names;
}

function matchesEnvName(provider: string, name: string): number {
  const names = envNamesFor(provider);
  const i = names.indexOf(name);
  if (i >= 0) return i;
  const P = provider.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return name.startsWith(`${P}_API_KEY_`) ? names.length : -1;
}

export interface CredentialContext {
  agentId: string;
  home: string;
  /** Resolved config (after ${VAR}); used for auth.order / auth.profiles / models.providers. */
  config: Record<string, unknown> | null;
  /** Authored config (before ${VAR}), to tell a literal key from a reference. */
  authored: Record<string, unknown> | null;
  configFile: string;
  store: AuthStore;
  env: EnvView;
  agentDir: string;
  endpoint: ProviderEndpoint | null;
  now: number;
  /** OpenClaw version (rules that differ by version); null = unknown, newest rules apply. */
  version: string | null;
}

function usageOf(store: AuthStore, profileId: string) {
  return store.usage.find((u) => u.profileId === profileId);
}

export function unusableUntil(u: { cooldownUntil?: number; disabledUntil?: number; blockedUntil?: number } | undefined): number {
  return Math.max(u?.cooldownUntil ?? 0, u?.disabledUntil ?? 0, u?.blockedUntil ?? 0);
}

function orderedProfiles(provider: string, ctx: CredentialContext): { ordered: StoredProfile[]; unlisted: StoredProfile[]; how: string } {
  const all = ctx.store.profiles.filter((p) => p.provider === provider);
  const byId = new Map(all.map((p) => [p.id, p]));
  const cfgOrder = getPath(ctx.config, ["auth", "order", provider]);
  const cfgProfiles = getObj(ctx.config, "auth", "profiles");
  let ids: string[] | null = null;
  let how = "";
  if (ctx.store.order[provider]?.length) {
    ids = ctx.store.order[provider]!;
    how = "stored order (openclaw models auth order)";
  } else if (Array.isArray(cfgOrder) && cfgOrder.length) {
    ids = cfgOrder.filter((x): x is string => typeof x === "string");
    how = `auth.order.${provider}`;
  } else if (cfgProfiles) {
    const listed = Object.entries(cfgProfiles)
      .filter(([id, v]) => isPlainObject(v) && String(v.provider ?? id.split(":")[0]).toLowerCase() === provider)
      .map(([id]) => id)
      .filter((id) => byId.has(id));
    if (listed.length) {
      ids = listed;
      how = "auth.profiles";
    }
  }
  let ordered: StoredProfile[];
  if (ids) {
    ordered = ids.map((id) => byId.get(id)).filter((p): p is StoredProfile => !!p);
  } else {
    how = "stored profiles (oauth > token > api_key, least recently used first)";
    ordered = [...all].sort(
      (a, b) => TYPE_RANK[a.type] - TYPE_RANK[b.type] || (usageOf(ctx.store, a.id)?.lastUsed ?? 0) - (usageOf(ctx.store, b.id)?.lastUsed ?? 0),
    );
  }
  // Profiles in cooldown/disabled go last, soonest expiry first (OpenRouter never cools).
  if (!COOLDOWN_BYPASS.has(provider)) {
    const cooling = (p: StoredProfile) => unusableUntil(usageOf(ctx.store, p.id)) > ctx.now;
    ordered = [...ordered.filter((p) => !cooling(p)), ...ordered.filter(cooling).sort((a, b) => unusableUntil(usageOf(ctx.store, a.id)) - unusableUntil(usageOf(ctx.store, b.id)))];
  }
  const unlisted = all.filter((p) => !ordered.includes(p));
  return { ordered, unlisted, how };
}

function eligible(p: StoredProfile, now: number): boolean {
  if (!p.secret && !p.ref) return false;
  if (p.type === "token" && p.expiresAt !== undefined && p.expiresAt <= now) return false;
  return true;
}

/** A stored profile as a Credential (for lists of every stored credential). */
export function storedProfileCredential(p: StoredProfile, home: string): Credential {
  return profileCredential(p, { home } as CredentialContext);
}

function profileCredential(p: StoredProfile, ctx: Pick<CredentialContext, "home">, note = ""): Credential {
  const c: Credential = {
    id: `${p.provider}|profile:${p.id}`,
    provider: p.provider,
    type: p.type,
    source: { kind: "profile", label: `stored profile ${p.id} (${tildify(p.store, ctx.home)})${note}`, file: p.store, profileId: p.id },
    secret: p.secret,
  };
  if (p.expiresAt !== undefined) c.expiresAt = p.expiresAt;
  if (p.hasRefreshToken !== undefined) c.hasRefreshToken = p.hasRefreshToken;
  if (!p.secret && p.ref) c.unresolved = `SecretRef ${JSON.stringify(p.ref)}`;
  return c;
}

/** dotenv keeps the last non-empty line of a name in one file; earlier ones never reach OpenClaw. */
function discardedByDotenv(entries: readonly { name: string; value: unknown; origin: { line?: number } }[], e: (typeof entries)[number]): boolean {
  if (e.origin.line === undefined || e.origin.line === 0) return false;
  return entries.some((o) => o !== e && o.name === e.name && (o.origin.line ?? 0) > e.origin.line! && !(typeof o.value === "string" && !o.value.trim()));
}

function envCredentials(provider: string, ctx: CredentialContext): { live: Credential[]; shadowed: Credential[] } {
  const live: { rank: number; c: Credential }[] = [];
  const shadowed: Credential[] = [];
  for (const f of ctx.env.files) {
    for (const e of f.entries) {
      const rank = matchesEnvName(provider, e.name);
      if (rank < 0 || !(e.value instanceof Secret)) continue;
      if (discardedByDotenv(f.entries, e)) continue;
      const where = e.origin.line ? `${tildify(f.path, ctx.home)} line ${e.origin.line}` : `${tildify(f.path, ctx.home)} ${e.origin.path}`;
      const winner = ctx.env.effective.get(e.name);
      const isLive = winner === e;
      let value: Secret = e.value;
      if (e.name.endsWith("_API_KEYS")) {
        const first = e.value.reveal().split(/[,\s]+/).find(Boolean);
        if (!first) continue;
        value = new Secret(first);
      }
      const c: Credential = {
        id: `${provider}|env:${e.name}@${f.path}:${e.origin.line ?? e.origin.path}`,
        provider,
        type: "api_key",
        source: { kind: "env", label: `${e.name} from ${where}${isLive ? "" : " (not used: an earlier source defines it)"}`, file: f.path, envVar: e.name },
        secret: value,
      };
      if (isLive) live.push({ rank, c });
      else shadowed.push(c);
    }
  }
  live.sort((a, b) => a.rank - b.rank);
  return { live: live.map((x) => x.c), shadowed };
}

const GATEWAY_RESOLVED = "SecretRef resolved by the gateway at activation (not read by clawpatrol)";

/** A config apiKey that is a reference clawpatrol saw unresolved (`${VAR}` or env SecretRef unset). */
function isUnsetReference(c: Credential | null): boolean {
  return !!c && !c.secret && c.unresolved !== undefined && c.unresolved !== GATEWAY_RESOLVED;
}

function configKeyCredential(provider: string, ctx: CredentialContext): Credential | null {
  const path = `models.providers.${provider}.apiKey`;
  const resolved = getPath(ctx.config, ["models", "providers", provider, "apiKey"]);
  const authored = getPath(ctx.authored, ["models", "providers", provider, "apiKey"]);
  if (resolved === undefined) return null;
  const base = { id: `${provider}|config:${path}`, provider, type: "api_key" as const };
  const file = tildify(ctx.configFile, ctx.home);
  if (isProfileBinding(provider, resolved)) return null;
  if (typeof resolved === "string" && resolved.trim()) {
    const unresolved = resolved.includes("${");
    const isRef = typeof authored === "string" && authored.includes("${");
    const label = isRef ? `${file} ${path} = ${authored}` : `${file} ${path} (plain text)`;
    const c: Credential = { ...base, source: { kind: "config", label, file: ctx.configFile }, secret: unresolved ? null : new Secret(resolved) };
    const envRef = typeof authored === "string" ? /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(authored.trim())?.[1] : undefined;
    if (envRef && dollarRefIsEnvSource(ctx.version)) c.source.envVar = envRef;
    if (unresolved) c.unresolved = `${authored} is not set`;
    return c;
  }
  if (isPlainObject(resolved)) {
    const ref = resolved;
    if (ref.source === "env" && typeof ref.id === "string") {
      const v = envString(ctx.env.effective.get(ref.id));
      const c: Credential = { ...base, source: { kind: "config", label: `${file} ${path} = SecretRef env:${ref.id}`, file: ctx.configFile, envVar: ref.id }, secret: v ? new Secret(v) : null };
      if (!v) c.unresolved = `env ${ref.id} is not set`;
      return c;
    }
    return { ...base, source: { kind: "config", label: `${file} ${path} = SecretRef ${String(ref.source)}:${String(ref.id)}`, file: ctx.configFile }, secret: null, unresolved: GATEWAY_RESOLVED };
  }
  return null;
}

function modelsJsonCredential(provider: string, ctx: CredentialContext): Credential | null {
  const file = modelsJsonPath(ctx.agentDir);
  if (!existsSync(file)) return null;
  const r = readTextFile(file);
  if (!r.ok) return null;
  try {
    const key = getPath(JSON.parse(r.text!), ["providers", provider, "apiKey"]);
    if (typeof key !== "string" || !key.trim() || key.includes("${") || isProfileBinding(provider, key)) return null;
    return {
      id: `${provider}|models-json:${file}`,
      provider,
      type: "api_key",
      source: { kind: "models-json", label: `generated ${tildify(file, ctx.home)} providers.${provider}.apiKey`, file },
      secret: new Secret(key),
    };
  } catch {
    return null;
  }
}

export function resolveProviderCredentials(provider: string, ctx: CredentialContext): ProviderCredentials {
  const chain: Credential[] = [];
  const extra: Credential[] = [];
  const rules: string[] = [];
  const cfgKey = configKeyCredential(provider, ctx);
  const authMode = getPath(ctx.config, ["models", "providers", provider, "auth"]);
  if (cfgKey && authMode === "api-key" && cfgKey.secret) {
    chain.push(cfgKey);
    rules.push(`models.providers.${provider}.auth is "api-key" with an explicit apiKey, so the config key comes first`);
  }
  const { ordered, unlisted, how } = orderedProfiles(provider, ctx);
  const binding = getPath(ctx.config, ["models", "providers", provider, "apiKey"]);
  if (isProfileBinding(provider, binding)) {
    const bound = [...ordered, ...unlisted].find((p) => p.id === binding.trim());
    if (bound) {
      for (const list of [ordered, unlisted]) if (list.includes(bound)) list.splice(list.indexOf(bound), 1);
      ordered.unshift(bound);
      rules.push(`models.providers.${provider}.apiKey binds profile ${bound.id}`);
    } else {
      extra.push({ id: `${provider}|binding:${binding}`, provider, type: "api_key", source: { kind: "profile", label: `models.providers.${provider}.apiKey binds profile ${binding}, which no auth store holds`, file: ctx.configFile, profileId: binding }, secret: null, unresolved: `profile ${binding} is not stored (openclaw models auth paste-api-key --provider ${provider} --profile-id ${binding})` });
    }
  }
  for (const p of ordered) (eligible(p, ctx.now) ? chain : extra).push(profileCredential(p, ctx, eligible(p, ctx.now) ? "" : " (ineligible: no key or expired)"));
  for (const p of unlisted) extra.push(profileCredential(p, ctx, ` (not in ${how})`));
  if (ordered.length) rules.push(`stored profiles beat env vars (order from ${how})`);
  // A custom provider has no env-var candidates (OpenClaw's come from provider plugins): its
  // `${VAR}` apiKey is read as the config key (5.28 and 6.1 `models status`: "models.json", not "env").
  const env = ctx.endpoint?.custom ? { live: [], shadowed: [] } : envCredentials(provider, ctx);
  chain.push(...env.live);
  extra.push(...env.shadowed);
  if (cfgKey && !chain.includes(cfgKey)) chain.push(cfgKey);
  const mj = modelsJsonCredential(provider, ctx);
  if (mj) chain.push(mj);
  // A configured but unresolvable apiKey is not "no credential": 2026.9.6 gives such a provider no
  // synthetic key (a real --local turn sends the placeholder verbatim; the gateway marks the
  // provider "configured-unavailable"), so it stays missing, as on older versions.
  if (customProviderSyntheticAuth(ctx.version, ctx.endpoint) && !isUnsetReference(cfgKey)) {
    chain.push({ id: `${provider}|local`, provider, type: "api_key", source: { kind: "local", label: `synthetic local key (custom provider ${provider} at ${ctx.endpoint!.baseUrl}; OpenClaw 2026.9+ needs no credential)` }, secret: null });
  }
  const usable = chain.filter((c) => c.secret || c.source.kind === "local");
  const winner = usable[0] ?? null;
  const others = [...chain.filter((c) => c !== winner), ...extra];
  if (!rules.length) rules.push("env vars, then models.providers apiKey / models.json, then local auth (OpenClaw resolution order)");
  return { provider, winner, others, rule: rules.join("; ") };
}
