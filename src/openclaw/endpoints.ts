// Base URL each provider would be called at: `models.providers.<id>.baseUrl` exactly, else the
// built-in default of the provider plugin.
import { getObj, isPlainObject } from "./config-path.js";
import type { Origin, ProviderEndpoint } from "./types.js";

export const BUILTIN_BASE_URLS: Record<string, string> = {
  openrouter: "https://openrouter.ai/api/v1",
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  groq: "https://api.groq.com/openai/v1",
  google: "https://generativelanguage.googleapis.com/v1beta",
  mistral: "https://api.mistral.ai/v1",
  xai: "https://api.x.ai/v1",
  deepseek: "https://api.deepseek.com",
  moonshot: "https://api.moonshot.ai/v1",
  together: "https://api.together.xyz/v1",
  ollama: "http://127.0.0.1:11434",
};

export function providerEndpoint(provider: string, config: Record<string, unknown> | null, originOf: (path: string) => Origin): ProviderEndpoint | null {
  const cfg = getObj(config, "models", "providers", provider);
  const builtin = BUILTIN_BASE_URLS[provider];
  const baseUrl = cfg && typeof cfg.baseUrl === "string" && cfg.baseUrl.trim() ? cfg.baseUrl.trim() : null;
  if (!baseUrl && !builtin) return null;
  const ep: ProviderEndpoint = {
    provider,
    baseUrl: baseUrl ?? builtin!,
    baseUrlOrigin: baseUrl ? originOf(`models.providers.${provider}.baseUrl`) : "builtin",
    custom: !!cfg && !builtin,
  };
  if (cfg && typeof cfg.api === "string") ep.api = cfg.api;
  if (cfg && isPlainObject(cfg.headers)) {
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(cfg.headers)) if (typeof v === "string") h[k] = v;
    ep.headers = h;
  }
  return ep;
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\./.test(host);
  } catch {
    return false;
  }
}
