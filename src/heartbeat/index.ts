// The daemon's entry point: a configured heartbeat, or null; a bad config is one error line (the
// daemon keeps watching — a missing heartbeat is then noticed by the outside monitor as silence).
import type { Logger } from "../util/log.js";
import { createHeartbeat, type Heartbeat, type HeartbeatConfig } from "./heartbeat.js";

export type { Heartbeat } from "./heartbeat.js";

export function startHeartbeat(config: HeartbeatConfig | undefined, env: NodeJS.ProcessEnv, log: Logger): Heartbeat | null {
  try {
    const heartbeat = createHeartbeat(config, { env }, log);
    if (heartbeat) log.info("heartbeat: pinging the push URL after healthy loops");
    return heartbeat;
  } catch (err) {
    log.error((err as Error).message);
    return null;
  }
}
