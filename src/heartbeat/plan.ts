// What the heartbeat should send now: a pure planner over the last beat and the overall state.
// Healthy loops ping at most once per interval; a change between healthy and critical is sent at
// once, so the outside monitor flips without waiting a whole interval.
import type { Overall } from "../status/snapshot.js";

export type Beat = "ok" | "fail";

export interface BeatState {
  /** When the last beat was accepted (epoch ms); null before the first. */
  lastSentAt: number | null;
  lastSent: Beat | null;
}

export function beatFor(overall: Overall): Beat {
  return overall === "critical" ? "fail" : "ok";
}

export function planBeat(state: BeatState, now: number, overall: Overall, intervalMs: number): Beat | null {
  const beat = beatFor(overall);
  if (state.lastSentAt === null || state.lastSent !== beat) return beat;
  return now - state.lastSentAt >= intervalMs ? beat : null;
}
