// The daemon's metrics beyond the status snapshot, and the optional loopback GET /metrics server
// (`status.prometheus.listen`). The textfile and the server render the same snapshot + histogram.
import type { Logger } from "../util/log.js";
import type { StatusSnapshot } from "../status/snapshot.js";
import { startMetricsServer, type MetricsServer } from "../status/prometheus.js";
import { ProbeLatencyHistogram, type ProbeLatencyRow } from "./probe-latency.js";

export class DaemonMetrics {
  readonly #latency = new ProbeLatencyHistogram();
  #server: MetricsServer | null = null;

  observeProbes(rows: Iterable<ProbeLatencyRow>): void {
    this.#latency.observeRows(rows);
  }

  /** Rendered families to append to the snapshot's metrics. */
  extra(): readonly string[] {
    return this.#latency.render();
  }

  get port(): number | null {
    return this.#server?.port ?? null;
  }

  /**
   * Starts GET /metrics when `listen` is set. A port already in use is one log line naming the
   * option and the fix; the daemon keeps running (the status file and textfile still work).
   */
  async serve(listen: string | undefined, current: () => StatusSnapshot | null, log: Logger): Promise<void> {
    if (!listen || this.#server) return;
    try {
      this.#server = await startMetricsServer(listen, current, () => this.extra());
      log.info({ listen, port: this.#server.port }, "serving Prometheus metrics on GET /metrics");
    } catch (err) {
      log.error({ listen, err: (err as Error).message }, `status.prometheus.listen: cannot serve metrics on ${listen} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) — pick a free loopback port`);
    }
  }

  async close(): Promise<void> {
    await this.#server?.close();
    this.#server = null;
  }
}
