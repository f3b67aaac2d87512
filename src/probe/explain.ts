// Words for probe rows: how a credential is named to a person, and the one line that explains an
// agent's route to one provider ("the runtime's key is rejected; the env key works").
import type { CredentialView, ProbeRow } from "./types.js";

export function shortFingerprint(fp: string | null): string {
  if (!fp) return "no value";
  return fp.replace(/ #[0-9a-f]+$/, "");
}

export function describeCredential(c: CredentialView | null): string {
  if (!c) return "no credential";
  return `${c.source.label} (${shortFingerprint(c.fingerprint)})`;
}

const SOURCE_NOUN: Record<string, string> = {
  profile: "the stored profile",
  config: "the config key",
  env: "the environment variable",
  "models-json": "the models.json key",
  local: "local auth",
};

function outcome(row: ProbeRow): string {
  const r = row.result;
  switch (r.status) {
    case "ok":
      return "works";
    case "auth":
      return `is rejected (${r.reason})`;
    case "billing":
      return `is out of credit (${r.reason})`;
    case "no_model":
      return r.reason;
    case "expired":
      return `has ${r.reason}`;
    case "missing":
      return `cannot be used: ${r.reason}`;
    case "unsupported":
      return "was not checked (no cheap check for this provider)";
    default:
      return `could not be checked (${r.status}: ${r.reason})`;
  }
}

export interface RouteGroup {
  agent: string;
  provider: string;
  runtime: ProbeRow | undefined;
  others: ProbeRow[];
}

export function groupRows(rows: readonly ProbeRow[]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const row of rows) {
    const k = `${row.agent}\u0000${row.provider}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { agent: row.agent, provider: row.provider, runtime: undefined, others: [] }));
    if (row.credentialRole === "runtime") g.runtime = row;
    else g.others.push(row);
  }
  return [...groups.values()];
}

/** The first other credential that works, when the runtime's does not. */
export function workingAlternative(g: RouteGroup): ProbeRow | undefined {
  if (!g.runtime || g.runtime.result.verdict === "pass") return undefined;
  return g.others.find((o) => o.result.verdict === "pass");
}

/** One line a user understands about one agent's route to one provider. */
export function explainGroup(g: RouteGroup): string {
  const head = `${g.agent} → ${g.provider}:`;
  const rt = g.runtime;
  if (!rt) return `${head} no credential the runtime would use`;
  const rtCred = describeCredential(rt.credential);
  const alt = workingAlternative(g);
  if (alt) {
    const noun = SOURCE_NOUN[rt.credential?.source.kind ?? ""] ?? "that credential";
    return `${head} the runtime's credential, ${rtCred}, ${outcome(rt)}; ${describeCredential(alt.credential)} works, but the runtime uses ${noun}.`;
  }
  const line = `${head} the runtime's credential, ${rtCred}, ${outcome(rt)}`;
  const failingOthers = g.others.filter((o) => o.result.verdict === "fail");
  if (rt.result.verdict !== "pass" && g.others.length > 0 && failingOthers.length === g.others.length) {
    return `${line}; no other configured credential works either.`;
  }
  return `${line}.`;
}
