// The one interface every provider auth check implements.
import type { SuccessInterpreter } from "../http.js";

export interface CheckRequest {
  url: string;
  /** URL safe to show (no credential in the query). */
  shownUrl: string;
  headers: Record<string, string>;
}

export interface ProviderCheck {
  /** "openrouter", "openai", "anthropic", "google", "ollama". */
  id: string;
  /** Works without a credential (local servers). */
  keyless?: boolean;
  /** The cheapest request that proves the credential authenticates, at the runtime's base URL. */
  request(baseUrl: string, secret: string | null, configuredHeaders: Record<string, string>): CheckRequest;
  onSuccess?: SuccessInterpreter;
}

export function trimBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** Drop a trailing `/v1` (for APIs whose client appends `/v1/...` itself). */
export function withoutV1(baseUrl: string): string {
  return trimBase(baseUrl).replace(/\/v1$/, "");
}
