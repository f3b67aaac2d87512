// The JSON OpenClaw's own CLI prints for `models status --json` and `secrets audit --json`: the parts
// clawpatrol compares its own reading with (oracle-compare.ts).

export interface StatusProvider {
  provider: string;
  effective?: { kind?: string; detail?: string };
}
export interface StatusProfile {
  profileId?: string;
}
export interface ModelsStatus {
  defaultModel?: string | null;
  fallbacks?: string[];
  modelConfig?: { defaultSource?: string; fallbacksSource?: string };
  auth?: {
    missingProvidersInUse?: string[];
    providers?: StatusProvider[];
    modelRouteIssues?: { kind?: string; provider?: string; model?: string; message?: string }[];
    /** Profiles OpenClaw will skip (cooldown, disabled), where the version reports them. */
    unusableProfiles?: (StatusProfile & { provider?: string })[];
    oauth?: { providers?: { provider: string; effectiveProfiles?: StatusProfile[] }[] };
  };
}

/** OpenClaw's maskApiKey: first 8 and last 8 characters. */
export function openclawMask(key: string): string {
  return key.length <= 16 ? key : `${key.slice(0, 8)}...${key.slice(-8)}`;
}

/** The part of `openclaw secrets audit --json` the verifier compares. */
export interface SecretsAudit {
  findings?: { code?: string; file?: string; jsonPath?: string; provider?: string }[];
}

/** The JSON document in a CLI's stdout (OpenClaw may print banner lines before it); null when none parses. */
export function parseCliJson(text: string): unknown {
  const t = text.trim();
  const start = t.indexOf("{");
  if (start < 0) return null;
  try {
    return JSON.parse(t.slice(start));
  } catch {
    return null;
  }
}

/**
 * OpenClaw's message when `models status` refuses to answer for the whole install (an unresolvable
 * secret reference, 8.2+; see version-rules.ts unresolvedRefBlocksModelsStatus), else null.
 */
export function modelsStatusRefusal(doc: unknown): string | null {
  const d = doc as { ok?: boolean; error?: { message?: string } } | null;
  if (d?.ok !== false) return null;
  const message = d.error?.message ?? "";
  return /resolve secrets|is unresolved in the active runtime snapshot/.test(message) ? message.split("\n")[0]!.slice(0, 200) : null;
}
