// One subject's state over time: ok → failing → down → recovering → ok, plus unknown when data is
// stale. Pure: (state, verdict, now, policy) → next state. `held` means the subject is part of an open
// incident; it is what makes an incident survive recovering, unknown and restarts.
import type { SubjectState, Verdict } from "./types.js";
import type { HealthPolicy } from "./policy.js";

export interface MachineState {
  state: SubjectState;
  /** When `state` was entered. */
  since: number;
  consecutiveFails: number;
  consecutivePasses: number;
  /** Start of the current run of passes. */
  passStreakSince?: number;
  /** Last verdicts, oldest first, "f"/"p", at most RECENT_MAX. */
  recent: string;
  /** Times of pass↔fail changes (bounded). */
  flips: number[];
  lastVerdictAt?: number;
  lastPassAt?: number;
  lastFailAt?: number;
  /** Part of an open incident. */
  held: boolean;
}

export interface StepResult {
  next: MachineState;
  /** The subject just crossed into down: an incident opens (unless one is already open for its group). */
  opened: boolean;
  /** The subject's hold was released: its part of the incident is resolved. */
  resolved: boolean;
}

const RECENT_MAX = 20;
const FLIPS_MAX = 64;

export function initialMachine(now: number): MachineState {
  return { state: "ok", since: now, consecutiveFails: 0, consecutivePasses: 0, recent: "", flips: [], held: false };
}

export function isFlapping(m: MachineState, now: number, policy: HealthPolicy): boolean {
  if (!policy.flap) return false;
  const from = now - policy.flap.windowMs;
  return m.flips.filter((t) => t > from).length >= policy.flap.flips;
}

function enter(m: MachineState, state: SubjectState, now: number): void {
  if (m.state !== state) {
    m.state = state;
    m.since = now;
  }
}

export function step(prev: MachineState, verdict: Verdict, now: number, policy: HealthPolicy): StepResult {
  if (verdict === "inconclusive") return { next: prev, opened: false, resolved: false };
  const m: MachineState = { ...prev, flips: [...prev.flips] };
  const v = verdict === "fail" ? "f" : "p";
  const last = m.recent.slice(-1);
  if (last && last !== v && m.state !== "unknown") m.flips.push(now);
  if (policy.flap) m.flips = m.flips.filter((t) => t > now - policy.flap!.windowMs);
  if (m.flips.length > FLIPS_MAX) m.flips.splice(0, m.flips.length - FLIPS_MAX);
  m.recent = (m.recent + v).slice(-RECENT_MAX);
  m.lastVerdictAt = now;
  let opened = false;
  let resolved = false;

  if (verdict === "fail") {
    m.consecutiveFails++;
    m.consecutivePasses = 0;
    delete m.passStreakSince;
    m.lastFailAt = now;
    if (m.held) {
      enter(m, "down", now);
    } else {
      const windowFails = policy.window ? [...m.recent.slice(-policy.window.size)].filter((c) => c === "f").length : 0;
      const tripped = m.consecutiveFails >= policy.failureThreshold || (policy.window !== null && windowFails >= policy.window.failures);
      if (tripped) {
        enter(m, "down", now);
        m.held = true;
        opened = true;
      } else {
        enter(m, "failing", now);
      }
    }
  } else {
    m.consecutivePasses++;
    m.consecutiveFails = 0;
    m.passStreakSince ??= now;
    m.lastPassAt = now;
    if (m.held) {
      const enough = m.consecutivePasses >= policy.successThreshold;
      const quiet = !isFlapping(m, now, policy) || now - m.passStreakSince >= policy.flap!.quietMs;
      if (enough && quiet) {
        enter(m, "ok", now);
        m.held = false;
        resolved = true;
      } else {
        enter(m, "recovering", now);
      }
    } else {
      enter(m, "ok", now);
    }
  }
  return { next: m, opened, resolved };
}

/** Data went stale: `unknown`, counters reset (a gap breaks a streak). Returns null when nothing changes. */
export function expire(prev: MachineState, now: number, staleAfterMs: number): MachineState | null {
  if (prev.state === "unknown" || prev.lastVerdictAt === undefined) return null;
  if (now - prev.lastVerdictAt <= staleAfterMs) return null;
  const m: MachineState = { ...prev, flips: [...prev.flips], consecutiveFails: 0, consecutivePasses: 0, recent: "" };
  delete m.passStreakSince;
  enter(m, "unknown", now);
  return m;
}

/** Newer evidence made the subject's failures moot: `ok` at once, its part of any incident released. */
export function release(prev: MachineState, now: number): MachineState {
  const m: MachineState = { ...prev, flips: [...prev.flips], consecutiveFails: 0, held: false };
  enter(m, "ok", now);
  return m;
}
