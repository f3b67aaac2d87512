// The status snapshot for people: a few header lines and compact tables. Colour only when asked
// (the CLI asks on a TTY).
import type { StatusSnapshot, RouteStatus, IncidentStatus } from "./snapshot.js";

export function ago(ms: number): string {
  if (ms < 0) ms = 0;
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m}m ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.round(h / 24)}d ago`;
}

const COLOUR: Record<string, string> = {
  ok: "32", pass: "32", recovering: "36", unknown: "90", inconclusive: "90",
  failing: "33", warning: "33", fail: "31", down: "31", critical: "31", failed: "31", info: "36",
};

function table(rows: string[][], paintCol?: (col: number, cell: string) => string): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) =>
    row.map((c, i) => {
      const padded = i === row.length - 1 ? c : c.padEnd(widths[i]!);
      return paintCol ? padded.replace(c, paintCol(i, c)) : padded;
    }).join("  ").trimEnd(),
  );
}

function probeText(r: RouteStatus, now: number): string {
  const p = r.lastProbe;
  if (!p) return "not probed yet";
  const bits: string[] = [p.verdict];
  if (p.httpStatus !== null) bits.push(`HTTP ${p.httpStatus}`);
  if (p.reason && p.verdict !== "pass") bits.push(p.reason);
  if (p.latencyMs !== null) bits.push(`${Math.round(p.latencyMs)} ms`);
  bits.push(ago(now - Date.parse(p.at)));
  return bits.join(" ");
}

export interface RenderOptions {
  now: number;
  color: boolean;
  /** false: the daemon that wrote it is gone — its uptime is history, not "up since". */
  running?: boolean;
}

export function renderStatus(s: StatusSnapshot, options: RenderOptions): string {
  const { now, color } = options;
  const paint = (word: string, text = word) => (color && COLOUR[word] ? `\x1b[${COLOUR[word]}m${text}\x1b[0m` : text);
  const bold = (text: string) => (color ? `\x1b[1m${text}\x1b[0m` : text);
  const out: string[] = [];
  const cp = s.clawpatrol;
  out.push(
    `clawpatrol ${cp.version} · pid ${cp.pid}${options.running === false ? " (stopped) · was up" : " · up"} since ${cp.startedAt.slice(0, 16).replace("T", " ")}Z · last loop ${ago(now - Date.parse(cp.lastLoopTickAt))}` +
      ` · remedy: ${cp.remedyMode}${cp.ready ? "" : " · starting"}`,
  );
  const oc = s.openclaw;
  const gw = s.gateway;
  const gwText = gw.up === null ? "not checked yet" : gw.up ? `up${gw.latencyMs !== null ? ` (${Math.round(gw.latencyMs)} ms)` : ""}` : `DOWN${gw.error ? `: ${gw.error}` : ""}`;
  out.push(`OpenClaw ${oc.version ?? "(version unknown)"} (era ${oc.era}) · ${oc.stateDir ?? "(no state dir)"} · gateway ${gw.url ?? "?"} ${paint(gw.up === false ? "down" : gw.up ? "ok" : "unknown", gwText)}`);
  out.push("");
  const overall = s.summary.overall;
  out.push(`${paint(overall, bold(overall.toUpperCase()))}  ${s.summary.line}`);

  if (s.agents.length) {
    out.push("");
    const rows: string[][] = [["AGENT", "ROUTE", "STATE", "LAST PROBE", "CREDENTIAL"]];
    for (const a of s.agents) {
      a.routes.forEach((r, i) => {
        const name = i === 0 ? `${a.id}${a.isDefault ? "*" : ""}${a.fallback ? ` (${a.line})` : a.fallbackFrom ? ` (fallback from ${a.fallbackFrom})` : ""}` : "";
        rows.push([name, `${r.ref}${r.role === "fallback" ? " (fallback)" : ""}`, r.state, probeText(r, now), r.credential ?? "-"]);
      });
      if (a.routes.length === 0) rows.push([a.id, "(no model configured)", "unknown", "-", "-"]);
    }
    out.push(...table(rows, (col, cell) => (col === 2 ? paint(cell) : cell)));
  }

  if (s.incidents.length) {
    const inhibited = s.incidents.filter((i) => i.inhibitedBy).length;
    out.push("", bold(`INCIDENTS (${s.incidents.length}${inhibited ? `, ${inhibited} inhibited` : ""})`));
    const rows = s.incidents.map((i) => [
      i.severity,
      i.kind,
      i.id,
      `since ${i.openedAt.slice(11, 16)}Z`,
      `${i.summary}${i.inhibitedBy ? ` (inhibited by ${i.inhibitedBy})` : ""}${i.state === "unknown" ? " [unknown: cannot be observed now]" : ""}${mutedText(i.muted)}${i.notifiedAt || i.muted ? "" : " [not alerted yet]"}`,
    ]);
    out.push(...table(rows, (col, cell) => (col === 0 ? paint(cell) : cell)));
  }

  const silences = s.silences ?? [];
  if (silences.length) {
    out.push("", bold("SILENCES"));
    const rows = silences.map((x) => [x.id, [x.agent ? `agent ${x.agent}` : "", x.kind ? `kind ${x.kind}` : ""].filter(Boolean).join(", "), `until ${x.until.slice(0, 16).replace("T", " ")}Z`, x.reason ?? ""]);
    out.push(...table(rows, (_col, cell) => cell));
  }
  for (const p of s.stateProblems ?? []) out.push("", `clawpatrol state: ${p.file} could not be read (${p.reason})${p.movedTo ? `; moved to ${p.movedTo}` : ""}`);

  if (s.recentActions.length) {
    out.push("", bold("RECENT ACTIONS"));
    const rows = s.recentActions.slice(0, 8).map((a) => [a.at.slice(0, 16).replace("T", " ") + "Z", a.type, a.result, a.summary]);
    out.push(...table(rows, (col, cell) => (col === 2 ? paint(cell) : cell)));
  }

  out.push("", `alerts: ${s.alerts.spoolDepth} waiting in spool${s.alerts.lastSentAt ? ` · last sent ${ago(now - Date.parse(s.alerts.lastSentAt))}` : ""}${s.alerts.lastError ? ` · last error: ${s.alerts.lastError}` : ""}`);
  return out.join("\n") + "\n";
}

function mutedText(m: IncidentStatus["muted"]): string {
  if (!m) return "";
  return m.by === "silence" ? ` [silenced by ${m.id} until ${m.until.slice(11, 16)}Z]` : ` [acked ${m.at.slice(11, 16)}Z]`;
}
