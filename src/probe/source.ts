// Probe findings for `clawpatrol check` (src/sources.ts): the auth matrix plus gateway liveness,
// skipped entirely when offline.
import type { Finding } from "../checks/finding.js";
import type { Installation } from "../openclaw/types.js";
import { gatewayFindings, probeGateway } from "./gateway.js";
import { probeFindings } from "./findings.js";
import type { FetchLike } from "./http.js";
import { runProbeMatrix } from "./matrix.js";

export interface ProbeSourceOptions {
  now?: number;
  /** No network at all: no findings from this source. */
  offline?: boolean;
  /** Also check the gateway's /health and /readyz (default true). */
  gateway?: boolean;
  agent?: string;
  provider?: string;
  timeoutMs?: number;
  concurrency?: number;
  perProviderPerMinute?: number;
  includeOthers?: boolean;
  fetch?: FetchLike;
}

/** An async finding source: installation in, probe findings out. */
export async function probeFindingSource(inst: Installation, options: ProbeSourceOptions = {}): Promise<Finding[]> {
  if (options.offline) return [];
  const now = () => options.now ?? Date.now();
  const [matrix, gw] = await Promise.all([
    runProbeMatrix(inst, {
      now,
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
      ...(options.provider !== undefined ? { provider: options.provider } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.perProviderPerMinute !== undefined ? { perProviderPerMinute: options.perProviderPerMinute } : {}),
      ...(options.includeOthers !== undefined ? { includeOthers: options.includeOthers } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    options.gateway === false ? Promise.resolve(null) : probeGateway(inst.gateway, { now, timeoutMs: Math.min(options.timeoutMs ?? 5000, 5000) }),
  ]);
  return [...probeFindings(matrix, now()), ...(gw ? gatewayFindings(gw, now()) : [])];
}

