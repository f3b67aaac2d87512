// OpenAI-style providers (OpenAI, Groq, Mistral, xAI, DeepSeek, Moonshot/Kimi, Together and any
// custom `models.providers.<id>` with an OpenAI API): GET <base>/models with a bearer key and the
// provider's configured headers. The list is complete, so it also tells whether a model exists.
import type { ProviderCheck } from "./check.js";
import { trimBase } from "./check.js";

export function modelIdsFromList(body: unknown): string[] | undefined {
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data)) return undefined;
  return data.map((m) => (m as { id?: unknown })?.id).filter((id): id is string => typeof id === "string");
}

export const openaiCompatibleCheck: ProviderCheck = {
  id: "openai",
  request(baseUrl, secret, headers) {
    const url = `${trimBase(baseUrl)}/models`;
    const h: Record<string, string> = { ...headers, accept: "application/json" };
    if (secret !== null) h.authorization = `Bearer ${secret}`;
    return { url, shownUrl: url, headers: h };
  },
  onSuccess(body) {
    const ids = modelIdsFromList(body);
    return ids ? { modelIds: ids, reason: `HTTP 200, ${ids.length} models listed` } : {};
  },
};
