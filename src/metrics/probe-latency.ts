// Probe latency as a Prometheus histogram per agent × provider, accumulated over the daemon's life
// (the status snapshot holds only the last probe). Memory is bounded by the number of routes.
import { family, sample } from "./exposition.js";

/** Seconds; a zero-token auth probe is usually well under a second, a slow provider takes several. */
export const PROBE_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const NAME = "clawpatrol_probe_duration_seconds";

interface Series {
  agent: string;
  provider: string;
  counts: number[];
  sum: number;
  count: number;
}

/** One probe of a route as the matrix reports it (structural, so probe/ need not import this). */
export interface ProbeLatencyRow {
  agent: string;
  provider: string;
  credentialRole: string;
  result: { latencyMs?: number };
}

export class ProbeLatencyHistogram {
  readonly #series = new Map<string, Series>();

  observe(agent: string, provider: string, seconds: number): void {
    const key = `${agent}\u0000${provider}`;
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { agent, provider, counts: PROBE_LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    PROBE_LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.counts[i]!++;
    });
    s.sum += seconds;
    s.count++;
  }

  /** The credential the runtime would send is the route's latency; shadowed credentials are not. */
  observeRows(rows: Iterable<ProbeLatencyRow>): void {
    for (const row of rows) {
      if (row.credentialRole === "runtime" && row.result.latencyMs !== undefined) this.observe(row.agent, row.provider, row.result.latencyMs / 1000);
    }
  }

  render(): string[] {
    const samples: string[] = [];
    const ordered = [...this.#series.values()].sort((a, b) => a.agent.localeCompare(b.agent) || a.provider.localeCompare(b.provider));
    for (const s of ordered) {
      const labels = { agent: s.agent, provider: s.provider };
      PROBE_LATENCY_BUCKETS.forEach((le, i) => samples.push(sample(`${NAME}_bucket`, { ...labels, le: String(le) }, s.counts[i]!)));
      samples.push(sample(`${NAME}_bucket`, { ...labels, le: "+Inf" }, s.count));
      samples.push(sample(`${NAME}_sum`, labels, s.sum));
      samples.push(sample(`${NAME}_count`, labels, s.count));
    }
    return family(NAME, "histogram", "Latency of zero-token route probes (the credential the runtime would use).", samples);
  }
}
