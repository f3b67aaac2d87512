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

/**
 * Does an unresolvable secret reference in the config (e.g. `models.providers.mock.apiKey:
 * "${MOCK_API_KEY}"` with the variable set nowhere) make `openclaw models status` refuse to run?
 *  - 2026.8.2, 2026.9.6: yes, exit 1 "failed to resolve secrets from the active gateway snapshot …
 *    Local resolution also failed" (with a running gateway on 9.6: "… is unresolved in the active
 *    runtime snapshot"); no flag or env switches the command to a degraded read.
 *  - 2026.5.28, 2026.7.35: no, it answers and lists the provider as missing.
 * The boundary lies between 7.35 and 8.2 (a guess: 2026.8.0).
 */
export function unresolvedRefBlocksModelsStatus(version: string | null): boolean {
  return !parseVersion(version) || atLeast(version, "2026.8.0");
}

/**
 * Does a credential in an active cooldown/disabled/blocked window make its provider unusable, so
 * `models status` lists it in `missingProvidersInUse` until the window ends?
 *  - 2026.9.6: yes — seen with the real CLI: a real `agent --local` turn answered 401 by the
 *    loopback fake writes `usageStats["inline-api-key:mock"]` (cooldownReason auth, 30 s) to the
 *    agent's auth state; `models status` within those 30 s says `missingProvidersInUse: ["mock"]`
 *    with the config key still its effective source, and `[]` after. Stored profiles likewise (all
 *    of a provider's profiles cooling). OpenRouter and Kilocode never cool (provider-managed).
 *  - 2026.8.2: the same, seen live the same way (verifier seed 11 case 8).
 *  - 2026.5.28 – 2026.7.35: no — their `models status` counts a present api_key or non-profile
 *    key as usable whatever its cooldown (source read of list.status-command).
 * The boundary lies between 7.35 and 8.2 (a guess: 2026.8.0).
 */
export function cooldownMakesProviderUnusable(version: string | null): boolean {
  return !parseVersion(version) || atLeast(version, "2026.8.0");
}
