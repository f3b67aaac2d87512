// Turns incidents into the words a person reads: a subject that names host, agent and problem,
// and a body with since-when, redacted evidence, what clawpatrol already did and the command to fix.
// Pure: everything it needs is passed in.
import { SEVERITY_RANK, worstSeverity, type Severity } from "../checks/finding.js";
import type { Incident } from "../health/types.js";
import { fingerprintOf, isSecretKeyName, redactDeep, redactText } from "../util/secret.js";
import type { AlertMessage, IncidentPayload, MessageType } from "./types.js";

export interface RenderInput {
  type: MessageType;
  host: string;
  incidents: Incident[];
  /** Incidents held back by inhibition; named in a short list only. */
  suppressed?: Incident[];
  createdAt: number;
  threadId: string;
  /** Incident id the message id is built from; default threadId. */
  leaderId?: string;
  reminder?: number;
  /** A reminder sent because the problem got worse. */
  escalated?: boolean;
  /** A reminder sent because clawpatrol acted on the problem. */
  acted?: boolean;
  /** IANA zone for times in the text; default UTC. */
  timeZone?: string;
  /** For type "test": the channel the test goes through. */
  channel?: string;
}

const MAX_SUBJECT = 200;
const MAX_EVIDENCE_LINES = 20;

export function renderMessage(given: RenderInput): AlertMessage {
  // The worst first: its problem is the subject line, and "(+N more)" never hides a critical one.
  const input = { ...given, incidents: [...given.incidents].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]) };
  const incidents = input.incidents;
  const suppressed = input.suppressed ?? [];
  const tz = input.timeZone ?? "UTC";
  const reminder = input.reminder ?? 0;
  const severity: Severity = worstSeverity(incidents) ?? "info";
  const subject = oneLine(subjectFor(input));
  const sections = incidents.map((inc) => incidentSection(inc, input.type, input.createdAt, tz));
  const text = redactText(
    [
      subject,
      "",
      introFor(input, tz),
      ...sections.map((s) => s.text),
      ...suppressedText(suppressed),
      "",
      `— clawpatrol on ${input.host}${input.type === "test" ? "" : ` · ${incidents.length === 1 ? `incident ${incidents[0]!.id}` : `${incidents.length} incidents`}`}`,
    ].join("\n"),
  );
  const html = redactText(
    [
      `<!doctype html><html><body style="font-family:sans-serif">`,
      `<h2 style="font-size:16px">${esc(subject)}</h2>`,
      `<p>${esc(introFor(input, tz))}</p>`,
      ...sections.map((s) => s.html),
      ...suppressedHtml(suppressed),
      `<p style="color:#666;font-size:12px">clawpatrol on ${esc(input.host)}</p>`,
      `</body></html>`,
    ].join("\n"),
  );
  return {
    id: `${input.leaderId ?? input.threadId}:${input.type}:${reminder}`,
    type: input.type,
    severity,
    host: input.host,
    subject,
    text,
    html,
    createdAt: input.createdAt,
    threadId: input.threadId,
    reminder,
    incidents: incidents.map(toPayload),
    suppressed: suppressed.map((s) => ({ id: s.id, kind: s.kind, summary: redactText(s.summary) })),
  };
}

/** "main on host-a" or just "host-a" for host-level problems. */
function who(inc: Incident | undefined, host: string): string {
  const agent = inc?.subject.agent;
  return agent ? `${agent} on ${host}` : host;
}

/** The summary without a leading "main: " when the subject line already names the agent. */
function problem(inc: Incident): string {
  const agent = inc.subject.agent;
  let s = inc.summary.trim();
  if (!agent) return s;
  if (s.startsWith(`${agent}: `) || s.startsWith(`${agent} — `)) return s.slice(agent.length + 2).trim();
  // "main → openrouter: OpenRouter probe timed out" → "OpenRouter probe timed out" (provider already named)
  const route = new RegExp(`^${agent.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} → ([^:]+): (.+)$`).exec(s);
  if (route) s = route[2]!.toLowerCase().includes(route[1]!.toLowerCase()) ? route[2]! : `${route[1]}: ${route[2]}`;
  return s;
}

function subjectFor(input: RenderInput): string {
  const first = input.incidents[0];
  const more = input.incidents.length > 1 ? ` (+${input.incidents.length - 1} more)` : "";
  const held = input.suppressed?.length ? ` (${input.suppressed.length} dependent alert${input.suppressed.length === 1 ? "" : "s"} held)` : "";
  const sameAgent = input.incidents.every((i) => i.subject.agent === first?.subject.agent);
  const head = sameAgent ? who(first, input.host) : input.host;
  switch (input.type) {
    case "test":
      return `${input.host}: clawpatrol test alert${input.channel ? ` via ${input.channel}` : ""}`;
    case "digest":
      return `${input.host}: clawpatrol digest — ${input.incidents.length} notice${input.incidents.length === 1 ? "" : "s"}`;
    case "resolved":
      return `Resolved — ${head}: ${first ? problem(first) : "alert"}${more}`;
    case "reminder":
      if (input.escalated) return `Worse — ${head}: ${first ? problem(first) : "alert"}${more}${held}`;
      if (input.acted) return `Action taken — ${head}: ${lastAction(input.incidents) ?? (first ? problem(first) : "alert")}`;
      return `Still failing — ${head}: ${first ? problem(first) : "alert"}${more}${held}`;
    default:
      return `${head}: ${first ? problem(first) : "alert"}${more}${held}`;
  }
}

function introFor(input: RenderInput, tz: string): string {
  const at = formatTime(input.createdAt, tz);
  switch (input.type) {
    case "test":
      return `This is a test message from clawpatrol on ${input.host}, sent at ${at}${input.channel ? ` through channel "${input.channel}"` : ""}. If you can read it, this alert path works.`;
    case "digest":
      return `Notices recorded on ${input.host} since the last digest (as of ${at}):`;
    case "resolved":
      return `Resolved as of ${at}.`;
    case "reminder": {
      if (input.acted) return `clawpatrol acted at ${at}: ${lastAction(input.incidents) ?? "see below"}.`;
      if (input.escalated) return `This problem got worse at ${at}; it is now ${input.incidents.map((i) => i.severity).includes("critical") ? "critical" : "a warning"}.`;
      const since = Math.min(...input.incidents.map((i) => Date.parse(i.openedAt)));
      return `Still failing after ${formatDuration(input.createdAt - since)} (reminder ${input.reminder ?? 1}).`;
    }
    default:
      return input.incidents.length > 1 ? `${input.incidents.length} problems started together:` : `Problem detected at ${at}.`;
  }
}

interface Section {
  text: string;
  html: string;
}

function incidentSection(inc: Incident, type: MessageType, now: number, tz: string): Section {
  const opened = Date.parse(inc.openedAt);
  const since = `since ${formatTime(opened, tz)}${type !== "resolved" && now >= opened ? ` (${formatDuration(now - opened)})` : ""}`;
  const resolved = inc.resolvedAt ? ` · resolved ${formatTime(Date.parse(inc.resolvedAt), tz)} after ${formatDuration(Date.parse(inc.resolvedAt) - opened)}` : "";
  const meta = `${inc.severity} · ${inc.kind} · ${since}${resolved}`;
  const evidence = evidenceLines(inc);
  const fix = fixFor(inc);
  const lines = [`* ${subjectLabel(inc)}${problem(inc)}`, `  ${meta}`];
  if (evidence.length) lines.push("  Evidence:", ...evidence.map((l) => `    ${l}`));
  if (inc.actions.length) lines.push("  What clawpatrol already did:", ...inc.actions.map((a) => `    - ${a}`));
  if (fix) lines.push(type === "resolved" ? "  To undo / for reference:" : "  To fix:", ...fix.split("\n").map((l) => `    ${l}`));
  const html = [
    `<div style="margin:12px 0;padding:8px;border-left:4px solid ${inc.severity === "critical" ? "#c00" : inc.severity === "warning" ? "#e90" : "#39c"}">`,
    `<b>${esc(subjectLabel(inc) + problem(inc))}</b><br><span style="color:#666">${esc(meta)}</span>`,
    evidence.length ? `<p>Evidence:</p><pre>${esc(evidence.join("\n"))}</pre>` : "",
    inc.actions.length ? `<p>What clawpatrol already did:</p><ul>${inc.actions.map((a) => `<li>${esc(a)}</li>`).join("")}</ul>` : "",
    fix ? `<p>${type === "resolved" ? "To undo / for reference" : "To fix"}:</p><pre>${esc(fix)}</pre>` : "",
    `</div>`,
  ].filter(Boolean).join("\n");
  return { text: ["", ...lines].join("\n"), html };
}

function subjectLabel(inc: Incident): string {
  const s = inc.subject;
  const parts = [s.agent, s.provider && s.model ? `${s.provider}/${s.model}` : s.provider ?? s.model, s.profile && `profile ${s.profile}`, s.file].filter(Boolean);
  return parts.length ? `[${parts.join(" · ")}] ` : "";
}

/** The newest finding's fix command (findings are newest-first per the health contract). */
function fixFor(inc: Incident): string | undefined {
  return inc.findings.find((f) => f.detail)?.detail;
}

function evidenceLines(inc: Incident): string[] {
  const evidence = inc.findings[0]?.evidence;
  if (!evidence) return [];
  const out: string[] = [];
  flatten(redactDeep(maskSecretKeys(evidence)), "", out);
  if (out.length > MAX_EVIDENCE_LINES) return [...out.slice(0, MAX_EVIDENCE_LINES), `… ${out.length - MAX_EVIDENCE_LINES} more`];
  return out;
}

/** Values under secret-named keys are shown as fingerprints unless they already are one. */
function maskSecretKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecretKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = typeof v === "string" && isSecretKeyName(k) && !looksLikeFingerprint(v) && v.length >= 6 ? fingerprintOf(v) : maskSecretKeys(v);
    }
    return out;
  }
  return value;
}

function looksLikeFingerprint(v: string): boolean {
  return /#[0-9a-f]{8}$/.test(v) || v === "[redacted]";
}

function flatten(value: unknown, prefix: string, out: string[]): void {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  let shown: string;
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) shown = value.join(", ");
  // JSON.stringify(undefined) is undefined: an absent value shows as such, never breaks the alert.
  else shown = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  if (shown.length > 300) shown = shown.slice(0, 300) + "…";
  out.push(`${prefix || "value"}: ${shown}`);
}

function suppressedText(suppressed: Incident[]): string[] {
  if (!suppressed.length) return [];
  return ["", "Held back while this lasts (probably caused by it):", ...suppressed.map((s) => `  - ${subjectLabel(s)}${problem(s)}`)];
}

function suppressedHtml(suppressed: Incident[]): string[] {
  if (!suppressed.length) return [];
  return [`<p>Held back while this lasts (probably caused by it):</p><ul>${suppressed.map((s) => `<li>${esc(subjectLabel(s) + problem(s))}</li>`).join("")}</ul>`];
}

/** An incident as notify stores it: strings redacted, secret-named evidence fingerprinted. */
export function sanitizeIncident(inc: Incident): Incident {
  return redactDeep({ ...inc, findings: inc.findings.map((f) => (f.evidence ? { ...f, evidence: maskSecretKeys(f.evidence) as Record<string, unknown> } : f)) });
}

function toPayload(inc: Incident): IncidentPayload {
  const subject: Record<string, string> = {};
  for (const [k, v] of Object.entries(inc.subject)) if (typeof v === "string") subject[k] = v;
  const payload: IncidentPayload = {
    id: inc.id,
    kind: inc.kind,
    severity: inc.severity,
    subjectKey: inc.subjectKey,
    subject,
    summary: inc.summary,
    openedAt: inc.openedAt,
    actions: [...inc.actions],
    findings: inc.findings.map((f) => {
      const out: IncidentPayload["findings"][number] = { kind: f.kind, severity: f.severity, key: f.key, summary: f.summary, observedAt: f.observedAt };
      if (f.detail !== undefined) out.detail = f.detail;
      if (f.evidence !== undefined) out.evidence = maskSecretKeys(f.evidence) as Record<string, unknown>;
      return out;
    }),
  };
  if (inc.resolvedAt) payload.resolvedAt = inc.resolvedAt;
  const fix = fixFor(inc);
  if (fix) payload.fix = fix;
  return redactDeep(payload);
}

export function formatTime(ms: number, timeZone = "UTC"): string {
  const d = new Date(ms);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("hour")}:${get("minute")} ${get("timeZoneName")}, ${get("day")} ${get("month")} ${get("year")}`;
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

function oneLine(s: string): string {
  const flat = redactText(s.replace(/[\r\n\t]+/g, " ").trim());
  return flat.length > MAX_SUBJECT ? flat.slice(0, MAX_SUBJECT - 1) + "…" : flat;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function lastAction(incidents: Incident[]): string | undefined {
  for (const inc of incidents) if (inc.actions.length > 0) return inc.actions[inc.actions.length - 1];
  return undefined;
}
