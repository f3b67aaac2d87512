// How often a cron schedule fires, roughly: the gap between two runs, for "verified within the last
// interval". node-cron validates the expression (config schema); this only reads its step fields.
// Resolution is one minute: a seconds field (6-field form) never makes the interval shorter.

const MIN = 60_000;
const HOUR = 60 * MIN;

// "*" is 1 unit, "*/n" n units; anything else (a fixed value, list or range) is null.
function stepOf(field: string): number | null {
  if (field === "*") return 1;
  const every = /^\*\/(\d+)$/.exec(field);
  return every ? Number(every[1]) : null;
}

export function cronIntervalMs(expression: string): number {
  const fields = expression.trim().split(/\s+/);
  const [minute = "*", hour = "*"] = fields.length === 6 ? fields.slice(1) : fields;
  const minutes = stepOf(minute);
  if (minutes !== null) return minutes * MIN;
  const hours = stepOf(hour);
  return hours !== null ? hours * HOUR : 24 * HOUR;
}
