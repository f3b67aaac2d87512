// Which routes the probe matrix must cover beyond each agent's configured route: the fallback
// candidates (so a switch is only ever made to a model verified with *this agent's* credentials)
// and the original primaries of agents clawpatrol has moved (so it notices when they recover).
import type { Agent, Installation, ModelRef, RouteEntry } from "../openclaw/types.js";
import type { ProbeMatrix, ProbeRow } from "../probe/types.js";
import type { CandidateCheck } from "../remedy/types.js";
import { credentialsFor } from "../openclaw/installation.js";
import { parseModelRef } from "../openclaw/routes.js";

export interface ExtraRoute {
  agent: string;
  ref: string;
}

/**
 * A copy of the installation whose agents also carry credentials for the providers of the extra
 * routes. The extra models go in as fallbacks with origin "clawpatrol", so the matrix probes them
 * with the credential that agent's runtime would use.
 */
export function withExtraRoutes(inst: Installation, extra: readonly ExtraRoute[]): Installation {
  if (extra.length === 0) return inst;
  const agents: Agent[] = inst.agents.map((agent) => {
    const mine = extra.filter((e) => e.agent === agent.id);
    if (mine.length === 0) return agent;
    const credentials = [...agent.credentials];
    const fallbacks: RouteEntry[] = [...agent.route.fallbacks];
    const known = new Set([agent.route.primary, ...agent.route.fallbacks].filter((e) => e !== null).map((e) => e.ref.ref));
    for (const e of mine) {
      const ref = parseModelRef(e.ref);
      if (!ref) continue;
      if (!known.has(ref.ref)) {
        fallbacks.push({ ref, role: "fallback", from: "builtin", origin: { file: "clawpatrol", path: "remedy.candidates" } });
        known.add(ref.ref);
      }
      if (!credentials.some((c) => c.provider === ref.provider)) credentials.push(credentialsFor(inst, agent.id, ref.provider));
    }
    return { ...agent, credentials, route: { ...agent.route, fallbacks } };
  });
  return { ...inst, agents };
}

/** The newest matrix, kept so the remedy can ask "has this candidate passed for this agent?". */
export class ProbeCache {
  #matrix: ProbeMatrix | null = null;

  update(matrix: ProbeMatrix): void {
    this.#matrix = matrix;
  }

  get matrix(): ProbeMatrix | null {
    return this.#matrix;
  }

  rows(): ProbeRow[] {
    return this.#matrix?.rows ?? [];
  }

  /** The runtime credential's result for agent × provider of `ref`. */
  check(agent: string, ref: string): CandidateCheck {
    const parsed = parseModelRef(ref);
    const provider = parsed?.provider;
    const row = this.rows().find((r) => r.agent === agent && r.provider === provider && r.credentialRole === "runtime");
    if (!row) return { ok: false, checkedAt: 0, detail: "never probed" };
    const r = row.result;
    const http = r.httpStatus !== undefined ? `HTTP ${r.httpStatus}` : r.status;
    const model = parsed?.model ?? ref;
    // A complete model list that lacks the model means the key works but the model would not.
    if (r.status === "ok" && r.modelIds && r.modelIds.length > 0 && !r.modelIds.includes(model)) {
      return { ok: false, checkedAt: r.at, detail: `${http}, but the provider does not list ${model}` };
    }
    return { ok: r.status === "ok", checkedAt: r.at, detail: r.status === "ok" ? `${http} with ${row.credential?.fingerprint ?? "no credential"}` : `${http} ${r.reason}` };
  }
}
