// Ollama / local servers: GET <base>/api/tags. No key needed; a configured one is sent as bearer.
import type { ProviderCheck } from "./check.js";
import { withoutV1 } from "./check.js";

export const ollamaCheck: ProviderCheck = {
  id: "ollama",
  keyless: true,
  request(baseUrl, secret, headers) {
    const url = `${withoutV1(baseUrl)}/api/tags`;
    const h: Record<string, string> = { ...headers, accept: "application/json" };
    if (secret !== null) h.authorization = `Bearer ${secret}`;
    return { url, shownUrl: url, headers: h };
  },
  onSuccess(body) {
    const models = (body as { models?: unknown })?.models;
    if (!Array.isArray(models)) return {};
    const ids = models.map((m) => (m as { name?: unknown })?.name).filter((n): n is string => typeof n === "string");
    return { modelIds: ids, reason: `HTTP 200, ${ids.length} local models` };
  },
};
