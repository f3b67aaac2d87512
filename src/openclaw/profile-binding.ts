// `models.providers.<p>.apiKey: "<profile id>"` binds a provider to a stored auth profile; it is
// not a key. `openclaw models auth … paste-api-key` writes it on 2026.9.6 (verified with the real
// CLI: `models.providers.openrouter.apiKey: "openrouter:manual"`); 2026.5.28–2026.8.2 do not.
// Profile ids are not secrets: they stay readable, are never a plaintext finding, never a probe key.
import type { PathPart } from "./config-path.js";

/** "openrouter:manual" for provider openrouter (a profile id is `<provider>:<name>`). */
export function isProfileBinding(provider: string, value: unknown): value is string {
  if (typeof value !== "string") return false;
  const v = value.trim();
  const colon = v.indexOf(":");
  if (colon <= 0) return false;
  return v.slice(0, colon).toLowerCase() === provider.toLowerCase() && /^[A-Za-z0-9._@-]{1,80}$/.test(v.slice(colon + 1));
}

/** True for `models.providers.<p>.apiKey` (or `providers.<p>.apiKey` in models.json) holding a binding. */
export function isProfileBindingAt(path: readonly PathPart[], value: unknown): boolean {
  const n = path.length;
  if (n < 3 || path[n - 1] !== "apiKey" || path[n - 3] !== "providers") return false;
  return isProfileBinding(String(path[n - 2]), value);
}
