// Heartbeat push, the out-of-band dead-man's switch: the daemon's main loop calls tick(); a ping
// goes out at most once per interval while clawpatrol is alive and not critical, `/fail` with the
// status line while critical. When the host or the daemon dies the pings stop, and the outside
// service (Healthchecks, Uptime Kuma) notices. A missed ping is not spooled: lateness is the signal.
import type { Logger } from "../util/log.js";
import type { ClawpatrolConfig } from "../config/schema.js";
import { resolveCredential, ChannelConfigError, type CredentialSource } from "../notify/credentials.js";
import type { StatusSnapshot } from "../status/snapshot.js";
import { planBeat, type BeatState } from "./plan.js";
import { push } from "./push.js";

/** The `heartbeat` section, parsed (durations in ms). */
export type HeartbeatConfig = NonNullable<ClawpatrolConfig["heartbeat"]>;

export class Heartbeat {
  readonly #url: string;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #log: Logger;
  #state: BeatState = { lastSentAt: null, lastSent: null };
  #inFlight: Promise<void> | null = null;
  #lastError: string | null = null;
  sent = 0;

  constructor(url: string, intervalMs: number, timeoutMs: number, log: Logger) {
    this.#url = url;
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
    this.#log = log;
  }

  /** Called from the main loop; never overlaps itself and never throws. */
  tick(now: number, snapshot: () => StatusSnapshot): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    const s = snapshot();
    const beat = planBeat(this.#state, now, s.summary.overall, this.#intervalMs);
    if (!beat) return Promise.resolve();
    this.#inFlight = push(this.#url, beat, beat === "fail" ? s.summary.line : "", this.#timeoutMs)
      .then(() => {
        this.#state = { lastSentAt: now, lastSent: beat };
        this.sent++;
        if (this.#lastError) this.#log.info("heartbeat: the push URL answers again");
        this.#lastError = null;
      })
      .catch((err: Error) => {
        // One line per new kind of failure, not one per loop.
        if (err.message !== this.#lastError) this.#log.warn({ error: err.message }, "heartbeat: the push URL did not accept the ping; retrying next loop");
        this.#lastError = err.message;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }

  idle(): Promise<void> {
    return this.#inFlight ?? Promise.resolve();
  }
}

/** null when no heartbeat is configured; throws ChannelConfigError naming the field and the fix. */
export function createHeartbeat(config: HeartbeatConfig | undefined, source: CredentialSource, log: Logger): Heartbeat | null {
  if (!config) return null;
  let url: string | undefined;
  try {
    url = resolveCredential("heartbeat", "url", config.urlEnv, config.urlFile, source)?.reveal() ?? config.url;
  } catch (err) {
    // resolveCredential words its errors for alert channels; the heartbeat is a top-level option.
    throw new ChannelConfigError((err as Error).message.replace(/^alert channel "heartbeat": /, "heartbeat: "));
  }
  if (!url) throw new ChannelConfigError("heartbeat: no push URL — set heartbeat.url, heartbeat.urlEnv or heartbeat.urlFile");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChannelConfigError("heartbeat: the push URL is not a valid URL — use e.g. https://hc-ping.com/<uuid>");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new ChannelConfigError("heartbeat: the push URL must be http:// or https://");
  return new Heartbeat(url, config.interval, config.timeout, log);
}
