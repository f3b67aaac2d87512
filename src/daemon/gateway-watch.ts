// The daemon's memory of the gateway: the newest probe result and when the gateway last started
// (for gateway.config-stale), taken from the uptime its ready endpoint reports.
import type { GatewayProbeResult } from "../probe/gateway.js";

/** Start times this close together are one start seen through clock and uptime rounding. */
const SAME_START_MS = 10_000;

export class GatewayWatch {
  #last: GatewayProbeResult | null = null;
  #startedAt: number | undefined;

  get last(): GatewayProbeResult | null {
    return this.#last;
  }

  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  /** The last probe: true up, false down, null never probed. */
  up(): boolean | null {
    return this.#last ? this.#last.status === "ok" : null;
  }

  /** Records a probe result; true when the gateway went up or down with it. */
  observe(result: GatewayProbeResult): boolean {
    const wasUp = this.#last?.status === "ok";
    this.#last = result;
    const uptimeMs = result.ready?.uptimeMs ?? undefined;
    if (result.status === "ok" && uptimeMs !== undefined) {
      const startedAt = result.at - uptimeMs;
      // Restarted (or first seen): remember when.
      if (this.#startedAt === undefined || Math.abs(startedAt - this.#startedAt) > SAME_START_MS) this.#startedAt = startedAt;
    }
    return wasUp !== (result.status === "ok");
  }
}
