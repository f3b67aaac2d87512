// Google Gemini: GET <base>/models?pageSize=1 with x-goog-api-key. A bad key is HTTP 400
// API_KEY_INVALID, not 401 (classify.ts knows).
import type { ProviderCheck } from "./check.js";
import { trimBase } from "./check.js";

export const googleCheck: ProviderCheck = {
  id: "google",
  request(baseUrl, secret, headers) {
    const url = `${trimBase(baseUrl)}/models?pageSize=1`;
    const h: Record<string, string> = { ...headers, accept: "application/json" };
    if (secret !== null) h["x-goog-api-key"] = secret;
    return { url, shownUrl: url, headers: h };
  },
};
