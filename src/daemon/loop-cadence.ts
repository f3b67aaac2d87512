// What the main loop (every few seconds) does less often: tracker ticks (staleness, re-alerts,
// spool backlog, own state) once a minute; installation re-reads every 30 s, because usage and
// cooldown state live in files the drift watcher ignores on purpose.
const TRACKER_TICK_MS = 60_000;
const INSTALL_REREAD_MS = 30_000;

export class LoopCadence {
  #lastTrackerTick = 0;
  #lastInstallRead = 0;

  installationRead(now: number): void {
    this.#lastInstallRead = now;
  }

  /** True once a minute; the caller ticks the tracker. */
  trackerTickDue(now: number): boolean {
    if (now - this.#lastTrackerTick < TRACKER_TICK_MS) return false;
    this.#lastTrackerTick = now;
    return true;
  }

  rereadDue(now: number): boolean {
    return now - this.#lastInstallRead >= INSTALL_REREAD_MS;
  }
}
