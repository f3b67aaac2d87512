// The daemon's published status: the status file (and Prometheus textfile) written on every change
// and on an interval, and the metrics endpoint serving the newest written snapshot.
import type { ClawpatrolConfig } from "../config/schema.js";
import { resolveStatusPath } from "../config/load.js";
import type { DaemonMetrics } from "../metrics/daemon-metrics.js";
import type { StatusSnapshot } from "../status/snapshot.js";
import { StatusWriter } from "../status/writer.js";
import type { Logger } from "../util/log.js";

export interface StatusOutputsOptions {
  env: NodeJS.ProcessEnv;
  metrics: DaemonMetrics;
  log: Logger;
  snapshot(): StatusSnapshot;
}

export class StatusOutputs {
  readonly #o: StatusOutputsOptions;
  #config: ClawpatrolConfig;
  #writer: StatusWriter;

  /** Writes on request at once; the interval writes and the endpoint begin with start() and serve(). */
  constructor(config: ClawpatrolConfig, options: StatusOutputsOptions) {
    this.#o = options;
    this.#config = config;
    this.#writer = this.#newWriter();
  }

  get current(): StatusSnapshot | null {
    return this.#writer.current;
  }

  write(snapshot: StatusSnapshot): Promise<void> {
    return this.#writer.write(snapshot);
  }

  start(): void {
    this.#writer.start(() => this.#o.snapshot());
  }

  serve(): Promise<void> {
    return this.#o.metrics.serve(this.#config.status.prometheus.listen, () => this.current, this.#o.log);
  }

  /** A reload changed status.*: new path, interval, textfile and listen address. */
  async reconfigure(config: ClawpatrolConfig): Promise<void> {
    await this.#writer.stop();
    this.#config = config;
    this.#writer = this.#newWriter();
    this.start();
    await this.#o.metrics.close();
    await this.serve();
  }

  async stop(): Promise<void> {
    await this.#writer.stop();
    await this.#o.metrics.close();
  }

  #newWriter(): StatusWriter {
    const s = this.#config.status;
    return new StatusWriter({
      path: resolveStatusPath(this.#config, this.#o.env),
      intervalMs: s.intervalMs,
      ...(s.prometheus.textfile ? { prometheusTextfile: s.prometheus.textfile } : {}),
      extraMetrics: () => this.#o.metrics.extra(),
      log: this.#o.log,
    });
  }
}
