// Prometheus text exposition format 0.0.4: one sample line, one metric family. Label values are
// escaped; label names are fixed by the callers (never derived from input).
export type Labels = Record<string, string>;

const escapeLabel = (v: string): string => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

export function sample(name: string, labels: Labels, value: number): string {
  const l = Object.entries(labels);
  const text = l.length ? `{${l.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
  const shown = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
  return `${name}${text} ${shown}`;
}

export function family(name: string, type: "gauge" | "counter" | "histogram", help: string, samples: readonly string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}
