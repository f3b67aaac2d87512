// Behaviour that differs between OpenClaw versions, one function per rule. Each rule names the
// versions whose real CLI (`openclaw models status --json`, `config validate`, real turns) it was
// verified on; between two verified versions the boundary is a guess and says so.
import { compareVersions, parseVersion } from "./version.js";
import type { ProviderEndpoint } from "./types.js";

function atLeast(version: string | null, floor: string): boolean {
  return !!parseVersion(version) && compareVersions(version!, floor) >= 0;
}

/**
 * Does OpenClaw treat a custom provider (declared under `models.providers.<id>`, not a built-in
 * id) that has no credential as usable, with its "custom-local" synthetic key?
 *  - 2026.9.6: yes, for loopback and remote base URLs alike (`models status` lists no missing
 *    provider); a BUILT-IN provider (e.g. `openai`) pointed at a loopback base URL is NOT covered:
 *    `missingProvidersInUse: ["openai"]`, route issue `missing-auth`, a real turn is refused.
 *  - 2026.5.28, 2026.6.1, 2026.7.35, 2026.8.2: no — the custom provider is in `missingProvidersInUse`.
 * The boundary lies between 2026.8.2 and 2026.9.6 (not run in between; version unknown → newest rule).
 */
export function customProviderSyntheticAuth(version: string | null, endpoint: ProviderEndpoint | null): boolean {
  if (!endpoint?.custom) return false;
  return !parseVersion(version) || atLeast(version, "2026.9.0");
}

/**
 * Is a `models.providers.<p>.apiKey` written as exactly `${VAR}` an env reference (OpenClaw reports
 * the winner as kind "env") rather than a config key (kind "models.json")? Same key either way; only
 * where OpenClaw says it comes from differs. `models status`: env on 2026.9.6; models.json on
 * 2026.5.28, 6.1, 6.35, 7.35, 8.2. Boundary between 8.2 and 9.6 is a guess.
 */
export function dollarRefIsEnvSource(version: string | null): boolean {
  return !parseVersion(version) || atLeast(version, "2026.9.0");
}
