// Typed snapshots of an OpenClaw installation. `openclaw/` is the only code that knows OpenClaw's
// files, versions and CLI; everything downstream works on these types. No field here ever holds a
// raw secret: credentials are `Secret`s (fingerprint outside, value only for the probe).
import type { Secret } from "../util/secret.js";

/**
 * Storage eras, decided from the files on disk (version.ts storageEvidence); versions verified with
 * the real CLI: A ≤2026.4.5 auth-profiles.json with inline usageStats; B (4.14, 5.28, 6.1)
 * auth-profiles.json (+ auth-state.json once state exists); C (7.35) per-agent SQLite auth, JSONL
 * sessions; D sessions/transcripts in SQLite without a shared store (no release seen);
 * E (8.2, 9.6) shared auth in state/openclaw.sqlite, sessions in agent SQLite.
 */
export type Era = "A" | "B" | "C" | "D" | "E" | "unknown";

export interface VersionInfo {
  version: string | null;
  /** Where the version came from, most trusted first. */
  source: "cli" | "schema" | "meta" | "none";
  era: Era;
  /** Facts that decided the era, for `explain` and bug reports. */
  evidence: string[];
  /** Schema versions of the SQLite files read (schema_meta), for "newer than any seen". */
  schemas?: { file: string; role: "state" | "agent"; version: number }[];
}

export interface InstallPaths {
  stateDir: string;
  configPath: string;
  /** How the state dir was chosen: "--state-dir", "OPENCLAW_STATE_DIR", "--profile work", "~/.openclaw", "legacy ~/.clawdbot". */
  chosenBy: string;
  profile?: string;
  /** Home directory used to expand `~` (and to show paths as `~/…`). */
  home?: string;
}

/** Where a value came from: a file and a dot path inside it (or an env file line). */
export interface Origin {
  file: string;
  path: string;
  line?: number;
}

/** A problem met while reading. Checks turn these into findings. */
export interface ReadIssue {
  kind: "config.invalid" | "config.missing-var" | "state.unreadable";
  file: string;
  message: string;
  /** Exact fix, when there is one. */
  fix?: string;
  line?: number;
  path?: string;
}

export interface EnvEntry {
  name: string;
  /** Secret-bearing names are held as Secret; others as plain text. */
  value: Secret | string;
  origin: Origin;
}

export interface EnvFile {
  path: string;
  exists: boolean;
  entries: EnvEntry[];
  /** Names defined more than once, with every line that defines them. */
  duplicates: { name: string; lines: number[]; differ: boolean }[];
}

/** Environment as OpenClaw's gateway would see it: first source to define a name wins. */
export interface EnvView {
  files: EnvFile[];
  /** name → winning entry. Process env of the gateway is unknowable; service env files stand in for it. */
  effective: Map<string, EnvEntry>;
}

export interface ModelRef {
  provider: string;
  /** Upstream model id (may contain slashes: moonshotai/kimi-k2.5). */
  model: string;
  /** As written: "openrouter/moonshotai/kimi-k2.5". */
  ref: string;
}

export interface RouteEntry {
  ref: ModelRef;
  role: "primary" | "fallback";
  /** "agent" = per-agent override, "defaults" = agents.defaults, "builtin" = OpenClaw's default. */
  from: "agent" | "defaults" | "builtin";
  origin: Origin;
}

export interface ModelRoute {
  primary: RouteEntry | null;
  fallbacks: RouteEntry[];
  /** 9.x string per-agent model: strict, no fallback chain. */
  strict: boolean;
}

export type CredentialType = "api_key" | "token" | "oauth";

export interface CredentialSource {
  kind: "profile" | "config" | "env" | "models-json" | "local";
  /** One line a person understands: "stored profile openrouter:default (state/openclaw.sqlite)". */
  label: string;
  file?: string;
  profileId?: string;
  envVar?: string;
}

export interface Credential {
  /** Stable id: provider + source, e.g. "openrouter|profile:openrouter:default". */
  id: string;
  provider: string;
  type: CredentialType;
  source: CredentialSource;
  secret: Secret | null;
  /** OAuth/token expiry, epoch ms. */
  expiresAt?: number;
  hasRefreshToken?: boolean;
  /** Referenced but unresolvable (`${VAR}` unset, SecretRef to a missing file…). */
  unresolved?: string;
}

export interface ProviderCredentials {
  provider: string;
  /** What the runtime would send, by that version's resolution order; null = auth.missing. */
  winner: Credential | null;
  /** Every other configured credential for the provider, in resolution order. */
  others: Credential[];
  /** Why the winner wins, e.g. "stored profiles beat env vars (OpenClaw ≤2026.9 profile-first)". */
  rule: string;
}

export interface ProviderEndpoint {
  provider: string;
  /** Base URL the runtime would call (config override or built-in default). */
  baseUrl: string;
  /** Where baseUrl came from. */
  baseUrlOrigin: Origin | "builtin";
  api?: string;
  headers?: Record<string, string>;
  /** Custom provider declared under models.providers.<id>. */
  custom: boolean;
}

export interface Agent {
  id: string;
  name?: string;
  isDefault: boolean;
  agentDir: string;
  /** Config path of this agent's entry: "agents.entries.main" or "agents.list[0]"; null when implicit. */
  configPath: string | null;
  /** Shape of the agent's own `model` value, so a remedy keeps it. */
  modelShape: "string" | "object" | "absent";
  route: ModelRoute;
  /** Per provider in the route (primary + fallbacks). */
  credentials: ProviderCredentials[];
}

export interface UsageState {
  profileId: string;
  provider?: string;
  agent?: string;
  cooldownUntil?: number;
  cooldownReason?: string;
  cooldownModel?: string;
  disabledUntil?: number;
  disabledReason?: string;
  blockedUntil?: number;
  blockedReason?: string;
  errorCount?: number;
  failureCounts?: Record<string, number>;
  lastFailureAt?: number;
  lastUsed?: number;
  /** Store the state came from (file or "state/openclaw.sqlite#authProfiles.state"). */
  source: string;
}

export interface GatewayInfo {
  port: number;
  bind: string;
  host: string;
  tls: boolean;
  /** http(s)://host:port */
  url: string;
  authMode: string;
  token: Secret | null;
  reloadMode: string;
  logFile: string | null;
}

/** A literal secret found where it should not be (plaintext in config / models.json / .env). */
export interface PlaintextSecret {
  file: string;
  path: string;
  provider?: string;
  fingerprint: string;
}

export interface Installation {
  paths: InstallPaths;
  version: VersionInfo;
  exists: boolean;
  configExists: boolean;
  configValid: boolean;
  /** Config after $include and ${VAR}; secret leaves replaced by fingerprints. null when unreadable. */
  config: Record<string, unknown> | null;
  /** Files that make up the config ($include closure), root first. */
  configFiles: string[];
  env: EnvView;
  agents: Agent[];
  defaultAgentId: string | null;
  rosterShape: "entries" | "list" | "implicit";
  endpoints: Map<string, ProviderEndpoint>;
  usage: UsageState[];
  plaintextSecrets: PlaintextSecret[];
  gateway: GatewayInfo;
  issues: ReadIssue[];
  /** When the snapshot was taken, epoch ms. */
  readAt: number;
  /** Every credential in every auth store read (whether or not a route uses it), fingerprints only. */
  storedCredentials?: Credential[];
  /** Remarks about how the installation was found (e.g. a ~/.moltbot dir OpenClaw ignores). */
  notes?: string[];
}

/** One assistant turn or run-state observation, from a transcript (JSONL or SQLite). */
export interface RunRecord {
  agent: string;
  sessionKey?: string;
  sessionId: string;
  /** Stable per record (file+offset or session+seq) so followers never double count. */
  cursor: string;
  at: number;
  role: "assistant" | "user" | "toolResult" | "other";
  provider?: string;
  model?: string;
  stopReason?: string;
  /** Already redacted. */
  errorMessage?: string;
  visibleText: string;
  hasThinking: boolean;
  usedMessageTool: boolean;
  outputTokens?: number;
  /** OpenClaw run id (`__openclaw.runId`, or the idempotency key's prefix) — joins transcript and log. */
  runId?: string;
  /** Number of tool calls in this message (a turn that stops to call tools is not finished). */
  toolCalls?: number;
  /** Transcript entry id (JSONL eras: the turn a message belongs to is found from it). */
  entryId?: string;
  /** A user message OpenClaw wrote itself to retry an empty answer: it continues the turn, it starts none. */
  retryPrompt?: boolean;
}

/** A session's run state (sessions.json entry or session_nodes row). */
export interface SessionState {
  agent: string;
  sessionKey: string;
  sessionId: string;
  status: "running" | "done" | "failed" | "killed" | "timeout" | null;
  startedAt?: number;
  updatedAt?: number;
  /** Last transcript progress (newest event), epoch ms. */
  lastProgressAt?: number;
  queued: number;
  model?: string;
  provider?: string;
}

/** One gateway log line, parsed. */
export interface LogEvent {
  at: number;
  level: string;
  subsystem?: string;
  /** Structured event name (`embedded_run_agent_end`, …) when the line has one. */
  event?: string;
  /** Text of the line, redacted. */
  message: string;
  fields: Record<string, unknown>;
  agent?: string;
  file: string;
  offset: number;
}
