// The agent × provider probe matrix. For every agent and every provider in its route, probe the
// credential the runtime would send and every other configured credential for that provider, with
// one request per distinct (provider, base URL, credential) fanned out to every row that uses it.
import type { Agent, Credential, Installation, ProviderEndpoint } from "../openclaw/types.js";
import { verdictOf } from "./classify.js";
import { httpProbe, type FetchLike } from "./http.js";
import { ProbeLimiter, type LimiterOptions } from "./limiter.js";
import { resolveCheck, type ResolvedCheck } from "./providers/index.js";
import { tokenCheck } from "./providers/token.js";
import type { CredentialView, ProbeMatrix, ProbeResult, ProbeRow } from "./types.js";

export interface ProbeMatrixOptions extends LimiterOptions {
  /** Only this agent. */
  agent?: string;
  /** Only this provider. */
  provider?: string;
  /** Probe the non-winning credentials too (default true): that is what explains a shadowed key. */
  includeOthers?: boolean;
  /** Per-request timeout, ms (default 8000). */
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
  /** Share one limiter between runs (the daemon) so a route never has two probes in flight. */
  limiter?: ProbeLimiter;
  signal?: AbortSignal;
}

type Plan =
  | { kind: "http"; key: string; provider: string; resolved: ResolvedCheck; credential: Credential | null }
  | { kind: "local"; key: string; result: (now: number) => ProbeResult };

function credentialView(c: Credential | null): CredentialView | null {
  if (!c) return null;
  return { id: c.id, type: c.type, source: c.source, fingerprint: c.secret?.fingerprint ?? null };
}

function looksLikeToken(c: Credential): boolean {
  return c.type !== "api_key" || (c.secret?.reveal().startsWith("sk-ant-oat01-") ?? false);
}

function local(key: string, status: "missing" | "unsupported", reason: string): Plan {
  return { kind: "local", key, result: (at) => ({ status, verdict: verdictOf(status), reason, at }) };
}

/** Decide what to do for one credential of one provider. Exported for tests. */
export function planFor(provider: string, endpoint: ProviderEndpoint | undefined, credential: Credential | null): Plan {
  const resolved = resolveCheck(provider, endpoint);
  if (credential && looksLikeToken(credential)) {
    const c = credential;
    return { kind: "local", key: `${provider}|token|${c.id}|${c.secret?.hash ?? "-"}|${c.expiresAt ?? "-"}`, result: (at) => tokenCheck(c, at) };
  }
  if (!credential) {
    if (resolved?.check.keyless) return { kind: "http", key: `${provider}|${resolved.baseUrl}|none`, provider, resolved, credential: null };
    return local(`${provider}|missing`, "missing", "no credential from any source OpenClaw consults");
  }
  if (!credential.secret && credential.source.kind === "local" && resolved) {
    // OpenClaw's synthetic auth for loopback base URLs: the runtime sends no key.
    return { kind: "http", key: `${provider}|${resolved.baseUrl}|none`, provider, resolved, credential };
  }
  if (!credential.secret) {
    return local(`${provider}|unresolved|${credential.id}`, "missing", credential.unresolved ? `unresolved: ${credential.unresolved}` : "credential has no value");
  }
  if (!resolved) {
    const api = endpoint?.api ? ` (api ${endpoint.api})` : "";
    return local(`${provider}|unsupported`, "unsupported", `no cheap auth check for provider ${provider}${api}`);
  }
  return { kind: "http", key: `${provider}|${resolved.baseUrl}|${credential.secret.hash}`, provider, resolved, credential };
}

function routeModels(agent: Agent, provider: string): { models: string[]; role: "primary" | "fallback" } {
  const entries = [agent.route.primary, ...agent.route.fallbacks].filter((e) => e !== null);
  const mine = entries.filter((e) => e.ref.provider === provider);
  return { models: mine.map((e) => e.ref.ref), role: mine.some((e) => e.role === "primary") ? "primary" : "fallback" };
}

function modelListed(model: string, ids: string[]): boolean {
  const bare = (s: string): string => s.replace(/^models\//, "").replace(/:latest$/, "");
  const want = bare(model);
  return ids.some((id) => bare(id) === want);
}

/** A complete model list without any of this row's models: the route would fail with "model not found". */
function withModelCheck(result: ProbeResult, agent: Agent, provider: string): ProbeResult {
  if (result.status !== "ok" || !result.modelIds || result.modelIds.length === 0) return result;
  const entries = [agent.route.primary, ...agent.route.fallbacks].filter((e) => e !== null && e.ref.provider === provider);
  const missing = entries.map((e) => e!.ref).filter((ref) => !modelListed(ref.model, result.modelIds!));
  if (missing.length === 0) return result;
  return {
    ...result,
    status: "no_model",
    verdict: verdictOf("no_model"),
    reason: `key works, but the provider does not list ${missing.map((r) => r.model).join(", ")}`,
  };
}

export async function runProbeMatrix(inst: Installation, options: ProbeMatrixOptions = {}): Promise<ProbeMatrix> {
  const now = options.now ?? Date.now;
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const limiter = options.limiter ?? new ProbeLimiter(options);
  const timeoutMs = options.timeoutMs ?? 8000;
  const includeOthers = options.includeOthers ?? true;
  const startedAt = now();

  interface PendingRow {
    row: Omit<ProbeRow, "result">;
    agent: Agent;
    plan: Plan;
  }
  const pending: PendingRow[] = [];
  for (const agent of inst.agents) {
    if (options.agent !== undefined && agent.id !== options.agent) continue;
    for (const pc of agent.credentials) {
      if (options.provider !== undefined && pc.provider !== options.provider) continue;
      const endpoint = inst.endpoints.get(pc.provider);
      const { models, role } = routeModels(agent, pc.provider);
      const creds: { c: Credential | null; role: "runtime" | "other" }[] = [{ c: pc.winner, role: "runtime" }];
      if (includeOthers) for (const c of pc.others) creds.push({ c, role: "other" });
      for (const { c, role: credentialRole } of creds) {
        const plan = planFor(pc.provider, endpoint, c);
        const baseUrl = plan.kind === "http" ? plan.resolved.baseUrl : (resolveCheck(pc.provider, endpoint)?.baseUrl ?? endpoint?.baseUrl ?? "");
        pending.push({
          agent,
          plan,
          row: { agent: agent.id, provider: pc.provider, models, routeRole: role, credentialRole, credential: credentialView(c), baseUrl, targetKey: plan.key },
        });
      }
    }
  }

  const results = new Map<string, Promise<ProbeResult>>();
  let requestsSent = 0;
  for (const { plan } of pending) {
    if (results.has(plan.key)) continue;
    if (plan.kind === "local") {
      results.set(plan.key, Promise.resolve(plan.result(now())));
      continue;
    }
    const { resolved, credential } = plan;
    const secret = credential?.secret?.reveal() ?? null;
    const { promise, joined } = limiter.run(plan.key, plan.provider, () => {
      const req = resolved.check.request(resolved.baseUrl, secret, resolved.headers);
      return httpProbe(
        { url: req.url, shownUrl: req.shownUrl, headers: req.headers, secrets: secret ? [secret] : [] },
        { fetch: fetchFn, timeoutMs, now, ...(options.signal ? { signal: options.signal } : {}) },
        resolved.check.onSuccess,
      );
    });
    if (!joined) requestsSent++;
    results.set(plan.key, promise);
  }

  const settled = new Map<string, ProbeResult>();
  await Promise.all([...results].map(async ([key, p]) => settled.set(key, await p)));

  const used = new Set<string>();
  const rows: ProbeRow[] = pending.map(({ row, agent, plan }) => {
    let result = settled.get(plan.key)!;
    if (used.has(plan.key)) result = { ...result, shared: true };
    used.add(plan.key);
    const { modelIds: _listed, ...shown } = withModelCheck(result, agent, row.provider);
    return { ...row, result: shown };
  });

  return { startedAt, finishedAt: now(), rows, requestsSent, targets: results.size };
}
