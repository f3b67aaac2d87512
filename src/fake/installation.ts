// Hand-built `Installation` snapshots for tests, the demo and benchmarks: agents, routes and
// credentials described in a few lines, shaped exactly like the adapter's output.
import type { Agent, Credential, CredentialSource, GatewayInfo, Installation, ModelRef, ModelRoute, ProviderEndpoint, RouteEntry } from "../openclaw/types.js";
import { Secret } from "../util/secret.js";
import { parseModelRef } from "../openclaw/routes.js";
import { defaultConfigPath } from "../openclaw/paths.js";

export interface FakeCredentialSpec {
  /** Raw fake key (wrapped into a Secret); null = unresolved. */
  key: string | null;
  kind?: CredentialSource["kind"];
  label?: string;
  profileId?: string;
  envVar?: string;
  file?: string;
  type?: Credential["type"];
  expiresAt?: number;
  hasRefreshToken?: boolean;
  unresolved?: string;
}

export interface FakeAgentSpec {
  id: string;
  /** Model refs, primary first: "openrouter/auto", "openai/gpt-4o-mini". */
  models: string[];
  /** provider → credentials in resolution order; the first is the runtime's. */
  credentials: Record<string, FakeCredentialSpec[]>;
}

export interface FakeInstallationSpec {
  stateDir?: string;
  agents: FakeAgentSpec[];
  /** provider → base URL override (like models.providers.<id>.baseUrl). */
  baseUrls?: Record<string, string>;
  endpoints?: Record<string, Partial<ProviderEndpoint>>;
  gateway?: Partial<GatewayInfo>;
  now?: number;
}

function parseRef(ref: string): ModelRef {
  const parsed = parseModelRef(ref);
  if (!parsed) throw new Error(`fake installation: "${ref}" is not a provider/model ref`);
  return parsed;
}

export function fakeCredential(provider: string, spec: FakeCredentialSpec): Credential {
  const kind = spec.kind ?? "profile";
  const profileId = spec.profileId ?? (kind === "profile" ? `${provider}:default` : undefined);
  const envVar = spec.envVar ?? (kind === "env" ? `${provider.toUpperCase().replace(/-/g, "_")}_API_KEY` : undefined);
  const label =
    spec.label ??
    (kind === "profile" ? `stored profile ${profileId}` : kind === "env" ? `${envVar} from ${spec.file ?? "~/.openclaw/.env"}` : `models.providers.${provider}.apiKey`);
  const source: CredentialSource = { kind, label };
  if (profileId) source.profileId = profileId;
  if (envVar) source.envVar = envVar;
  if (spec.file) source.file = spec.file;
  const c: Credential = {
    id: `${provider}|${kind}:${profileId ?? envVar ?? "apiKey"}`,
    provider,
    type: spec.type ?? "api_key",
    source,
    secret: spec.key === null ? null : new Secret(spec.key),
  };
  if (spec.expiresAt !== undefined) c.expiresAt = spec.expiresAt;
  if (spec.hasRefreshToken !== undefined) c.hasRefreshToken = spec.hasRefreshToken;
  if (spec.unresolved !== undefined) c.unresolved = spec.unresolved;
  return c;
}

export function buildInstallation(spec: FakeInstallationSpec): Installation {
  const stateDir = spec.stateDir ?? "/tmp/fake-openclaw";
  const origin = { file: defaultConfigPath(stateDir), path: "agents" };
  const agents: Agent[] = spec.agents.map((a, i) => {
    const entries: RouteEntry[] = a.models.map((m, j) => ({
      ref: parseRef(m),
      role: j === 0 ? "primary" : "fallback",
      from: "agent",
      origin,
    }));
    const route: ModelRoute = { primary: entries[0] ?? null, fallbacks: entries.slice(1), strict: false };
    const providers = [...new Set(entries.map((e) => e.ref.provider))];
    return {
      id: a.id,
      isDefault: i === 0,
      agentDir: `${stateDir}/agents/${a.id}/agent`,
      configPath: `agents.entries.${a.id}`,
      modelShape: "object",
      route,
      credentials: providers.map((p) => {
        const creds = (a.credentials[p] ?? []).map((c) => fakeCredential(p, c));
        return { provider: p, winner: creds[0] ?? null, others: creds.slice(1), rule: "stored profiles beat env vars" };
      }),
    };
  });
  const endpoints = new Map<string, ProviderEndpoint>();
  for (const [provider, baseUrl] of Object.entries(spec.baseUrls ?? {})) {
    endpoints.set(provider, { provider, baseUrl, baseUrlOrigin: { file: origin.file, path: `models.providers.${provider}.baseUrl` }, custom: false, ...(spec.endpoints?.[provider] ?? {}) });
  }
  for (const [provider, ep] of Object.entries(spec.endpoints ?? {})) {
    if (!endpoints.has(provider)) endpoints.set(provider, { provider, baseUrl: "", baseUrlOrigin: "builtin", custom: true, ...ep });
  }
  const port = spec.gateway?.port ?? 18789;
  const gateway: GatewayInfo = {
    port,
    bind: "loopback",
    host: "127.0.0.1",
    tls: false,
    url: `http://127.0.0.1:${port}`,
    authMode: "token",
    token: null,
    reloadMode: "hybrid",
    logFile: null,
    ...spec.gateway,
  };
  return {
    paths: { stateDir, configPath: origin.file, chosenBy: "test" },
    version: { version: "2026.9.6", source: "none", era: "E", evidence: [] },
    exists: true,
    configExists: true,
    configValid: true,
    config: {},
    configFiles: [origin.file],
    env: { files: [], effective: new Map() },
    agents,
    defaultAgentId: agents[0]?.id ?? null,
    rosterShape: "entries",
    endpoints,
    usage: [],
    plaintextSecrets: [],
    gateway,
    issues: [],
    readAt: spec.now ?? Date.now(),
  };
}
