// Time is injected everywhere so tests can drive hours of state changes without sleeping.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number | string = "2026-11-21T07:00:00Z") {
    this.#now = typeof start === "number" ? start : Date.parse(start);
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): number {
    this.#now += ms;
    return this.#now;
  }
  set(at: number | string): void {
    this.#now = typeof at === "number" ? at : Date.parse(at);
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * "90s", "5m", "1h", "2d", "1500ms" → milliseconds (a number is already milliseconds). A written
 * duration needs its unit: "4" could be 4 ms or 4 hours, and a person who writes it rarely means
 * milliseconds — so it is refused, not guessed ("0" alone is zero in any unit).
 */
export function parseDuration(text: string | number): number {
  if (typeof text === "number") return text;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw new Error(`not a duration: "${text}" (use e.g. 90s, 5m, 1h, 2d)`);
  if (!m[2] && Number(m[1]) !== 0) throw new Error(`"${text}" has no unit: write ${m[1]}s, ${m[1]}m, ${m[1]}h or ${m[1]}ms`);
  return Math.round(Number(m[1]) * UNIT_MS[m[2] ?? "ms"]!);
}

/** Milliseconds as the largest whole unit: 14400000 → "4h", 90000 → "90s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) if (ms !== 0 && ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${ms}ms`;
}
