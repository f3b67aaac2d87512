// OpenRouter: GET <base>/key. `/models` is public and proves nothing about the key.
// A 200 also carries the credit left: `limit_remaining <= 0` means every generation will 402.
import type { ProviderCheck } from "./check.js";
import { trimBase } from "./check.js";

export const openrouterCheck: ProviderCheck = {
  id: "openrouter",
  request(baseUrl, secret, headers) {
    const url = `${trimBase(baseUrl)}/key`;
    const h: Record<string, string> = { ...headers, accept: "application/json" };
    if (secret !== null) h.authorization = `Bearer ${secret}`;
    return { url, shownUrl: url, headers: h };
  },
  onSuccess(body) {
    const data = (body as { data?: { limit_remaining?: unknown; limit?: unknown } })?.data;
    const left = data?.limit_remaining;
    if (typeof left === "number" && left <= 0 && data?.limit !== null) {
      return { status: "billing", reason: `key is valid but its credit is exhausted (limit_remaining ${left})` };
    }
    return { reason: typeof left === "number" ? `HTTP 200, credit left ${left}` : "HTTP 200" };
  },
};
