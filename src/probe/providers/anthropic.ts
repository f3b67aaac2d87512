// Anthropic API keys: GET <base>/v1/models?limit=1 with x-api-key + anthropic-version.
// OAuth/setup tokens (sk-ant-oat01-…) are bearer tokens and go to the no-network token check.
import type { ProviderCheck } from "./check.js";
import { withoutV1 } from "./check.js";

export const anthropicCheck: ProviderCheck = {
  id: "anthropic",
  request(baseUrl, secret, headers) {
    const url = `${withoutV1(baseUrl)}/v1/models?limit=1`;
    const h: Record<string, string> = { "anthropic-version": "2023-06-01", ...headers, accept: "application/json" };
    if (secret !== null) h["x-api-key"] = secret;
    return { url, shownUrl: url, headers: h };
  },
};
