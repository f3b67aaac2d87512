// Which check a provider gets, and where the runtime sends it when config does not say.
// Base URLs follow OpenClaw's provider docs (npm openclaw@2026.9.6 docs/providers/*.md); a
// configured `models.providers.<id>.baseUrl` always wins, so the probe hits the host the agent would.
import type { ProviderEndpoint } from "../../openclaw/types.js";
import { anthropicCheck } from "./anthropic.js";
import type { ProviderCheck } from "./check.js";
import { googleCheck } from "./google.js";
import { ollamaCheck } from "./ollama.js";
import { openaiCompatibleCheck } from "./openai-compatible.js";
import { openrouterCheck } from "./openrouter.js";

export type { ProviderCheck } from "./check.js";

interface Builtin {
  check: ProviderCheck;
  baseUrl: string;
}

export const BUILTIN_PROVIDERS: Record<string, Builtin> = {
  openrouter: { check: openrouterCheck, baseUrl: "https://openrouter.ai/api/v1" },
  openai: { check: openaiCompatibleCheck, baseUrl: "https://api.openai.com/v1" },
  anthropic: { check: anthropicCheck, baseUrl: "https://api.anthropic.com" },
  google: { check: googleCheck, baseUrl: "https://generativelanguage.googleapis.com/v1beta" },
  groq: { check: openaiCompatibleCheck, baseUrl: "https://api.groq.com/openai/v1" },
  mistral: { check: openaiCompatibleCheck, baseUrl: "https://api.mistral.ai/v1" },
  xai: { check: openaiCompatibleCheck, baseUrl: "https://api.x.ai/v1" },
  deepseek: { check: openaiCompatibleCheck, baseUrl: "https://api.deepseek.com" },
  moonshot: { check: openaiCompatibleCheck, baseUrl: "https://api.moonshot.ai/v1" },
  kimi: { check: openaiCompatibleCheck, baseUrl: "https://api.moonshot.ai/v1" },
  together: { check: openaiCompatibleCheck, baseUrl: "https://api.together.xyz/v1" },
  ollama: { check: ollamaCheck, baseUrl: "http://127.0.0.1:11434" },
};

const BY_API: Record<string, ProviderCheck> = {
  "openai-completions": openaiCompatibleCheck,
  "openai-responses": openaiCompatibleCheck,
  "anthropic-messages": anthropicCheck,
  "google-generative-ai": googleCheck,
  ollama: ollamaCheck,
};

export interface ResolvedCheck {
  check: ProviderCheck;
  baseUrl: string;
  headers: Record<string, string>;
}

/**
 * The check and base URL for a provider. A built-in provider keeps its own check even when its
 * base URL is overridden (OpenRouter stays /key); a custom one is chosen by its `api`
 * (OpenAI-compatible when unset, as OpenClaw defaults `api` when `baseUrl` is set).
 */
export function resolveCheck(provider: string, endpoint: ProviderEndpoint | undefined): ResolvedCheck | null {
  const builtin = BUILTIN_PROVIDERS[provider];
  const headers = endpoint?.headers ?? {};
  const apiCheck = endpoint?.api ? BY_API[endpoint.api] : undefined;
  if (builtin && (!endpoint?.api || !endpoint.custom || apiCheck === builtin.check)) {
    return { check: builtin.check, baseUrl: endpoint?.baseUrl || builtin.baseUrl, headers };
  }
  if (endpoint?.baseUrl) {
    if (endpoint.api && !apiCheck) return null;
    return { check: apiCheck ?? openaiCompatibleCheck, baseUrl: endpoint.baseUrl, headers };
  }
  return builtin ? { check: builtin.check, baseUrl: builtin.baseUrl, headers } : null;
}
