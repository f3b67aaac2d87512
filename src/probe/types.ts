// Probe vocabulary: what one cheap auth check found, and the agent × provider matrix built from it.
import type { Verdict } from "../health/types.js";
import type { Credential, CredentialSource, CredentialType } from "../openclaw/types.js";

export type ProbeStatus =
  | "ok"
  | "auth"
  | "rate_limit"
  | "billing"
  | "timeout"
  | "network"
  | "no_model"
  | "server"
  /** OAuth/token credential past its expiry with no refresh token. */
  | "expired"
  /** The credential has no usable value (unresolved `${VAR}`, SecretRef…); nothing was sent. */
  | "missing"
  /** No probe exists for this provider/API; nothing was sent. */
  | "unsupported";

/** What one request (or one no-network check) found about one credential at one base URL. */
export interface ProbeResult {
  status: ProbeStatus;
  verdict: Verdict;
  /** HTTP status, when a response arrived. */
  httpStatus?: number;
  latencyMs?: number;
  /** Method and URL without credentials, e.g. "GET http://127.0.0.1:4010/api/v1/key". */
  request?: string;
  /** Short human reason: "HTTP 401 User not found.", "connection refused", "expired 2h ago". */
  reason: string;
  /** Redacted first characters of the provider's error body. */
  snippet?: string;
  retryAfterSeconds?: number;
  /** Model ids the provider listed, when the list is complete (OpenAI-style /models, Ollama tags). */
  modelIds?: string[];
  /** Epoch ms the result was obtained. */
  at: number;
  /** true when the result came from a request fanned out from another row (dedupe). */
  shared?: boolean;
}

/** One distinct thing to probe: provider × base URL × credential. */
export interface ProbeTarget {
  /** Dedupe key: provider|baseUrl|credential hash. */
  key: string;
  provider: string;
  baseUrl: string;
  /** Which check to run ("openrouter", "openai", "anthropic", "google", "ollama", "oauth"). */
  check: string;
  headers: Record<string, string>;
  credential: Credential | null;
}

export interface CredentialView {
  id: string;
  type: CredentialType;
  source: CredentialSource;
  /** "sk-or-v1-…04f4 #1a2b3c4d", or null when there is no value. */
  fingerprint: string | null;
}

export interface ProbeRow {
  agent: string;
  provider: string;
  /** Model refs of this agent's route that use this provider, primary first. */
  models: string[];
  /** "primary" when the provider serves the agent's primary model, else "fallback". */
  routeRole: "primary" | "fallback";
  /** The credential the runtime would send (winner) or another configured one. */
  credentialRole: "runtime" | "other";
  credential: CredentialView | null;
  baseUrl: string;
  targetKey: string;
  result: ProbeResult;
}

export interface ProbeMatrix {
  startedAt: number;
  finishedAt: number;
  rows: ProbeRow[];
  /** Distinct requests sent over the network this run. */
  requestsSent: number;
  /** Distinct targets (including no-network checks). */
  targets: number;
}
