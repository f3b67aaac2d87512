// Shapes shared by every auth store era: `{version, profiles}` credential stores and
// `{version, order?, lastGood?, usageStats?}` runtime state, wherever they are kept.
import { Secret, isSecretReference } from "../util/secret.js";
import { isPlainObject } from "./config-path.js";
import type { CredentialType, PlaintextSecret, UsageState } from "./types.js";

export interface StoredProfile {
  id: string;
  provider: string;
  type: CredentialType;
  secret: Secret | null;
  /** keyRef/tokenRef SecretRef, when the key is not inline. */
  ref?: Record<string, unknown>;
  expiresAt?: number;
  hasRefreshToken?: boolean;
  email?: string;
  /** Where it is stored: file path, or "<sqlite path>#authProfiles.store". */
  store: string;
}

export interface AuthStore {
  location: string;
  profiles: StoredProfile[];
  order: Record<string, string[]>;
  lastGood: Record<string, string>;
  usage: UsageState[];
  plaintext: PlaintextSecret[];
}

export function emptyStore(location: string): AuthStore {
  return { location, profiles: [], order: {}, lastGood: {}, usage: [], plaintext: [] };
}

const TYPES: CredentialType[] = ["api_key", "token", "oauth"];

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Parse `{profiles: {...}}`; secrets become `Secret`s here and nowhere later. */
export function parseProfiles(json: unknown, store: AuthStore, fileForFindings: string, jsonBase = "profiles"): void {
  const profiles = isPlainObject(json) && isPlainObject(json.profiles) ? json.profiles : null;
  if (!profiles) return;
  for (const [id, raw] of Object.entries(profiles)) {
    if (!isPlainObject(raw)) continue;
    const provider = String(raw.provider ?? id.split(":")[0] ?? "").toLowerCase();
    const type = (TYPES.includes(raw.type as CredentialType) ? raw.type : raw.mode === "oauth" ? "oauth" : "api_key") as CredentialType;
    const field = type === "api_key" ? "key" : type === "token" ? "token" : "access";
    const rawValue = raw[field];
    const value = typeof rawValue === "string" && rawValue.trim() ? rawValue : null;
    const p: StoredProfile = { id, provider, type, secret: value ? new Secret(value) : null, store: store.location };
    const ref = raw.keyRef ?? raw.tokenRef;
    if (isPlainObject(ref)) p.ref = ref;
    const exp = num(raw.expires) ?? num(raw.expiresAt);
    if (exp !== undefined) p.expiresAt = exp;
    if (type === "oauth") p.hasRefreshToken = typeof raw.refresh === "string" && raw.refresh.length > 0;
    if (typeof raw.email === "string") p.email = raw.email;
    store.profiles.push(p);
    for (const f of ["key", "token", "access", "refresh"]) {
      const v = raw[f];
      if (typeof v === "string" && v.trim() && !isSecretReference(v)) {
        store.plaintext.push({ file: fileForFindings, path: `${jsonBase}.${id}.${f}`, provider, fingerprint: new Secret(v).fingerprint });
      }
    }
  }
}

const INLINE_KEY_USAGE = "inline-api-key:";

/** OpenClaw's usage-state id for a key that is not a stored profile (config `apiKey`, models.json). */
export const inlineKeyUsageId = (provider: string): string => `${INLINE_KEY_USAGE}${provider}`;

/** The provider of an `inline-api-key:<provider>` usage id; null for a profile id. */
export function inlineKeyProvider(usageId: string): string | null {
  return usageId.startsWith(INLINE_KEY_USAGE) ? usageId.slice(INLINE_KEY_USAGE.length) : null;
}

/** Parse runtime state (`usageStats`, `order`, `lastGood`); inline in era A, separate since B. */
export function parseState(json: unknown, store: AuthStore, source: string, agent?: string): void {
  if (!isPlainObject(json)) return;
  if (isPlainObject(json.order)) {
    for (const [p, ids] of Object.entries(json.order)) if (Array.isArray(ids)) store.order[p.toLowerCase()] = ids.filter((x): x is string => typeof x === "string");
  }
  if (isPlainObject(json.lastGood)) for (const [p, id] of Object.entries(json.lastGood)) if (typeof id === "string") store.lastGood[p.toLowerCase()] = id;
  if (!isPlainObject(json.usageStats)) return;
  for (const [profileId, raw] of Object.entries(json.usageStats)) {
    if (!isPlainObject(raw)) continue;
    // State keys override: drop an earlier entry for the same profile from this store.
    store.usage = store.usage.filter((u) => u.profileId !== profileId);
    const u: UsageState = { profileId, source };
    const provider = inlineKeyProvider(profileId) ?? (profileId.includes(":") ? profileId.split(":")[0] : undefined);
    if (provider) u.provider = provider.toLowerCase();
    if (agent) u.agent = agent;
    const set = <K extends keyof UsageState>(k: K, v: UsageState[K] | undefined) => {
      if (v !== undefined) u[k] = v;
    };
    set("cooldownUntil", num(raw.cooldownUntil));
    set("cooldownReason", typeof raw.cooldownReason === "string" ? raw.cooldownReason : undefined);
    set("cooldownModel", typeof raw.cooldownModel === "string" ? raw.cooldownModel : undefined);
    set("disabledUntil", num(raw.disabledUntil));
    set("disabledReason", typeof raw.disabledReason === "string" ? raw.disabledReason : undefined);
    set("blockedUntil", num(raw.blockedUntil));
    set("blockedReason", typeof raw.blockedReason === "string" ? raw.blockedReason : undefined);
    set("errorCount", num(raw.errorCount));
    set("lastFailureAt", num(raw.lastFailureAt));
    set("lastUsed", num(raw.lastUsed));
    if (isPlainObject(raw.failureCounts)) {
      const fc: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw.failureCounts)) if (typeof v === "number") fc[k] = v;
      u.failureCounts = fc;
    }
    store.usage.push(u);
  }
}

/** Runtime view for one agent: `over` (agent-local) merged on top of `base` (shared/main). */
export function mergeStores(base: AuthStore | null, over: AuthStore | null, location: string): AuthStore {
  const out = emptyStore(location);
  for (const s of [base, over]) {
    if (!s) continue;
    for (const p of s.profiles) {
      out.profiles = out.profiles.filter((q) => q.id !== p.id);
      out.profiles.push(p);
    }
    Object.assign(out.order, s.order);
    Object.assign(out.lastGood, s.lastGood);
    for (const u of s.usage) {
      out.usage = out.usage.filter((q) => q.profileId !== u.profileId);
      out.usage.push(u);
    }
  }
  return out;
}
