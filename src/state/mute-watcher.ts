// The daemon's view of silences.json: re-read when the file changes (a `clawpatrol silence` or
// `ack` from another process) and when a silence expires, so mutes apply without a restart.
import { emptyMuteState, muteOf, SilenceStore, type Mute, type MuteState } from "./silences.js";
import type { OwnStateProblems } from "./unreadable.js";
import { fileIdentity } from "../util/file-identity.js";

export class MuteWatcher {
  readonly store: SilenceStore;
  readonly #problems: OwnStateProblems;
  #state: MuteState = emptyMuteState();
  #identity: string | null = null;
  #activeIds = "";

  constructor(installDir: string, problems: OwnStateProblems) {
    this.store = new SilenceStore(installDir);
    this.#problems = problems;
  }

  get state(): MuteState {
    return this.#state;
  }

  mute(inc: Parameters<typeof muteOf>[1], now: number): Mute | null {
    return muteOf(this.#state, inc, now);
  }

  /** True when what is muted changed since the last poll (file edited, or a silence ran out). */
  poll(now: number): boolean {
    const identity = fileIdentity(this.store.path);
    let changed = false;
    if (identity !== this.#identity) {
      const { state, problem } = this.store.load(now);
      if (problem) this.#problems.record(problem, now);
      this.#state = state;
      this.#identity = problem ? null : identity;
      changed = true;
    }
    const active = this.#state.silences.filter((s) => Date.parse(s.until) > now).map((s) => s.id).join(",");
    if (active !== this.#activeIds) changed = true;
    this.#activeIds = active;
    return changed;
  }
}
