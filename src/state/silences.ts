// Operator mutes, per install: `<install state>/silences.json`.
//   silence: no alert about incidents of an agent and/or kind until it expires (then, if the
//            problem is still there, exactly one message);
//   ack:     no more reminders about one incident until its severity changes or it resolves.
// Written by `clawpatrol silence|ack` and read by the daemon's notify planner on its next loop.
import { readFileSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import type { Severity } from "../checks/finding.js";
import { errorText, moveAside, type UnreadableState } from "./unreadable.js";

export interface Silence {
  id: string;
  agent?: string;
  /** A kind ("gateway.down") or a family ("probe" = every probe.* kind). */
  kind?: string;
  createdAt: string;
  until: string;
  reason?: string;
}

export interface Ack {
  incident: string;
  /** The severity acknowledged: a change of severity is news again. */
  severity: Severity;
  at: string;
  reason?: string;
}

/** Incident ids never come back, so an old ack is dead weight: kept this long, then dropped. */
const ACK_KEPT_MS = 30 * 24 * 3600_000;

export interface MuteState {
  v: 1;
  silences: Silence[];
  acks: Ack[];
}

export type Mute = { by: "silence"; id: string; until: string } | { by: "ack"; at: string };

interface MutableIncident {
  id: string;
  kind: string;
  severity: Severity;
  subject: { agent?: string };
}

export function emptyMuteState(): MuteState {
  return { v: 1, silences: [], acks: [] };
}

export function silencesPath(installDir: string): string {
  return join(installDir, "silences.json");
}

export function silenceMatches(s: Silence, inc: Pick<MutableIncident, "kind" | "subject">): boolean {
  if (s.agent !== undefined && inc.subject.agent !== s.agent) return false;
  if (s.kind !== undefined && inc.kind !== s.kind && !inc.kind.startsWith(`${s.kind}.`)) return false;
  return true;
}

/** Pure: why an incident is muted right now, if it is. A silence wins over an ack. */
export function muteOf(state: MuteState, inc: MutableIncident, now: number): Mute | null {
  const silence = state.silences.find((s) => Date.parse(s.until) > now && silenceMatches(s, inc));
  if (silence) return { by: "silence", id: silence.id, until: silence.until };
  const ack = state.acks.find((a) => a.incident === inc.id && a.severity === inc.severity);
  return ack ? { by: "ack", at: ack.at } : null;
}

export class SilenceStore {
  readonly path: string;

  constructor(installDir: string) {
    this.path = silencesPath(installDir);
  }

  /** The stored mutes; a file that cannot be read is moved aside (and returned as a problem), never guessed at. */
  load(now = Date.now()): { state: MuteState; problem?: UnreadableState } {
    if (!existsSync(this.path)) return { state: emptyMuteState() };
    try {
      const parsed = JSON.parse(readFileSync(this.path, "utf8")) as MuteState;
      if (parsed?.v !== 1 || !Array.isArray(parsed.silences) || !Array.isArray(parsed.acks)) throw new Error("unknown format");
      return { state: parsed };
    } catch (err) {
      const aside = moveAside(this.path, now);
      return {
        state: emptyMuteState(),
        problem: { file: this.path, aside, reason: errorText(err), consequence: "no silences or acks apply until they are set again (clawpatrol silence / ack)" },
      };
    }
  }

  save(state: MuteState): void {
    writeFileAtomicSync(this.path, JSON.stringify(state, null, 2) + "\n", 0o600);
  }

  /** Read, change, write; expired silences are dropped on the way. */
  update(now: number, change: (state: MuteState) => void): MuteState {
    const { state } = this.load(now);
    state.silences = state.silences.filter((s) => Date.parse(s.until) > now);
    state.acks = state.acks.filter((a) => now - Date.parse(a.at) < ACK_KEPT_MS);
    change(state);
    this.save(state);
    return state;
  }

  addSilence(input: { agent?: string; kind?: string; forMs: number; reason?: string }, now: number): Silence {
    const silence: Silence = {
      id: `sil-${randomBytes(3).toString("hex")}`,
      ...(input.agent ? { agent: input.agent } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
      createdAt: new Date(now).toISOString(),
      until: new Date(now + input.forMs).toISOString(),
      ...(input.reason ? { reason: input.reason } : {}),
    };
    this.update(now, (s) => s.silences.push(silence));
    return silence;
  }

  /** The silence removed, or null when no active one has that id. */
  clearSilence(id: string, now: number): Silence | null {
    let removed: Silence | null = null;
    this.update(now, (s) => {
      removed = s.silences.find((x) => x.id === id) ?? null;
      s.silences = s.silences.filter((x) => x.id !== id);
    });
    return removed;
  }

  ack(input: { incident: string; severity: Severity; reason?: string }, now: number): Ack {
    const ack: Ack = { incident: input.incident, severity: input.severity, at: new Date(now).toISOString(), ...(input.reason ? { reason: input.reason } : {}) };
    this.update(now, (s) => {
      s.acks = s.acks.filter((a) => a.incident !== input.incident);
      s.acks.push(ack);
    });
    return ack;
  }

  active(now: number): Silence[] {
    return this.load(now).state.silences.filter((s) => Date.parse(s.until) > now);
  }
}
