// OpenClaw's gateway log: one tslog JSON object per line (research §7.6). Numbered keys are the
// logger arguments: "0" the subsystem (JSON string) or the message itself, "1" a message string or a
// structured object with `event`, "2" the message when "1" is an object. 9.x adds top-level
// `message`/`agent_id`/`session_id`; 4.14 lines have neither. Everything leaving here is redacted.
import { tmpdir } from "node:os";
import { join, dirname, basename } from "node:path";
import type { LogEvent } from "./types.js";
import { redactDeep, redactText } from "../util/secret.js";
import { parseModelRef } from "./routes.js";

/** Longest message text kept per event; giant lines are capped before they get here. */
const MAX_MESSAGE_CHARS = 4000;

function subsystemOf(raw: unknown): string | undefined {
  if (typeof raw !== "string" || !raw.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    if (typeof parsed.subsystem === "string") return parsed.subsystem;
    if (typeof parsed.module === "string") return parsed.module;
  } catch { /* plain text in "0" */ }
  return undefined;
}

const AGENT_IN_TEXT = /(?:lane=session:|sessionKey=)agent:([A-Za-z0-9_-]+):/;

/** Parse one log line. Non-JSON text becomes a plain event (level "unknown"); binary junk is null. */
export function parseLogLine(line: string, file: string, offset: number): LogEvent | null {
  const text = line.trim();
  if (text === "") return null;
  // NUL or many replacement chars: binary garbage, not a log line.
  if (text.includes("\u0000") || (text.match(/\uFFFD/g)?.length ?? 0) > 4) return null;
  let obj: Record<string, unknown> | null = null;
  if (text.startsWith("{")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) obj = parsed as Record<string, unknown>;
    } catch { /* not JSON */ }
  }
  if (!obj) {
    const message = redactText(text.slice(0, MAX_MESSAGE_CHARS));
    const agent = AGENT_IN_TEXT.exec(message)?.[1];
    return { at: Number.NaN, level: "unknown", message, fields: {}, file, offset, ...(agent ? { agent } : {}) };
  }
  const meta = (obj._meta ?? {}) as Record<string, unknown>;
  const level = typeof meta.logLevelName === "string" ? meta.logLevelName : typeof obj.level === "string" ? obj.level : "unknown";
  const timeText = typeof obj.time === "string" ? obj.time : typeof meta.date === "string" ? meta.date : undefined;
  const at = timeText ? Date.parse(timeText) : Number.NaN;
  const a0 = obj["0"];
  const a1 = obj["1"];
  const a2 = obj["2"];
  const subsystem = subsystemOf(a0);
  let fields: Record<string, unknown> = {};
  let event: string | undefined;
  let message: string | undefined = typeof obj.message === "string" ? obj.message : undefined;
  if (a1 && typeof a1 === "object" && !Array.isArray(a1)) {
    fields = a1 as Record<string, unknown>;
    if (typeof fields.event === "string") event = fields.event;
    if (message === undefined && typeof a2 === "string") message = a2;
  } else if (message === undefined) {
    // 4.14: no top-level message. "0" is the subsystem (then "1" is the text) or the text itself.
    const parts: string[] = [];
    if (subsystem === undefined && typeof a0 === "string") parts.push(a0);
    if (typeof a1 === "string") parts.push(a1);
    if (typeof a2 === "string") parts.push(a2);
    message = parts.join(" ");
  }
  message = redactText((message ?? "").slice(0, MAX_MESSAGE_CHARS));
  const out: LogEvent = { at, level, message, fields: redactDeep(fields), file, offset };
  if (subsystem) out.subsystem = subsystem;
  if (event) out.event = event;
  const agent = typeof obj.agent_id === "string" ? obj.agent_id : typeof fields.agentId === "string" ? fields.agentId : AGENT_IN_TEXT.exec(message)?.[1];
  if (agent) out.agent = agent;
  return out;
}

/** key=value pairs of a console-style message (`provider=mock status=401 …`). */
export function messageFields(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of message.matchAll(/(?:^|\s)([A-Za-z][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
    const v = m[2]!;
    out[m[1]!] = v.startsWith('"') ? v.slice(1, -1) : v;
  }
  return out;
}

/** What a log line means for the run monitor. */
export type LogSignal =
  | { type: "fetch-failure"; at: number; provider: string; model?: string; status: number }
  | { type: "run-failure"; at: number; runId?: string; provider?: string; model?: string; reason?: string; error?: string; agent?: string }
  | { type: "cooldown-window"; at: number; runId?: string; provider?: string; profile?: string; reason?: string; windowType?: string; reused: boolean; until?: number; disabledReason?: string; agent?: string }
  | { type: "empty-reply"; at: number; runId?: string; sessionId?: string; provider?: string; model?: string; signature: string; agent?: string }
  | { type: "retry"; at: number; provider?: string; model?: string; attempt: number; max: number; reason?: string; agent?: string }
  | { type: "stuck-session"; at: number; sessionKey?: string; sessionId?: string; agent?: string; queueDepth?: number; text: string }
  | { type: "run-ok"; at: number; runId: string; agent?: string };

/** Failure statuses worth counting toward a burst: auth, billing, rate limit. */
export const BURST_STATUSES = new Set([401, 402, 403, 429]);

function providerModel(ref: string | undefined): { provider?: string; model?: string } {
  if (!ref) return {};
  const parsed = parseModelRef(ref);
  return parsed ? { provider: parsed.provider, model: parsed.model } : { provider: ref };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Classify a parsed log event; null when the line means nothing to the run monitor. */
export function logSignal(e: LogEvent): LogSignal | null {
  const at = e.at;
  const agentPart = e.agent ? { agent: e.agent } : {};
  const f = e.fields;
  if (e.event === "embedded_run_agent_end") {
    if (f.isError !== true) return str(f.runId) ? { type: "run-ok", at, runId: str(f.runId)!, ...agentPart } : null;
    return { type: "run-failure", at, runId: str(f.runId), provider: str(f.provider), model: str(f.model), reason: str(f.failoverReason) ?? str(f.providerRuntimeFailureKind), error: str(f.error) ?? str(f.rawErrorPreview), ...agentPart };
  }
  if (e.event === "auth_profile_failure_state_updated") {
    return {
      type: "cooldown-window", at, runId: str(f.runId), provider: str(f.provider), profile: str(f.profileId), reason: str(f.reason),
      windowType: str(f.windowType), reused: f.windowReused === true,
      until: typeof f.disabledUntil === "number" ? f.disabledUntil : typeof f.cooldownUntil === "number" ? f.cooldownUntil : undefined,
      disabledReason: str(f.disabledReason), ...agentPart,
    };
  }
  const m = e.message;
  if (m.length < 12) return null;
  if (m.includes("[model-fetch] response")) {
    const kv = messageFields(m);
    const status = Number(kv.status);
    if (!BURST_STATUSES.has(status) || !kv.provider) return null;
    return { type: "fetch-failure", at, provider: kv.provider, status, ...(kv.model ? { model: kv.model } : {}) };
  }
  if (m.startsWith("empty response detected") || m.startsWith("incomplete turn detected") || m.startsWith("empty response retries exhausted")) {
    const kv = messageFields(m);
    if (m.startsWith("incomplete turn") && kv.payloads !== undefined && kv.payloads !== "0") return null;
    const pm = providerModel(kv.provider);
    return { type: "empty-reply", at, runId: kv.runId, sessionId: kv.sessionId, ...pm, signature: m.split(":")[0]!, ...agentPart };
  }
  if (m.includes("dispatch complete (queuedFinal=false, replies=0)")) {
    return { type: "empty-reply", at, signature: "dispatch complete (queuedFinal=false, replies=0)", ...agentPart };
  }
  const retry = /transient same-model retry (\d+)\/(\d+) for ([^/\s]+)\/(\S+) reason=([a-z_]+)/.exec(m);
  if (retry) {
    return { type: "retry", at, attempt: Number(retry[1]), max: Number(retry[2]), provider: retry[3], model: retry[4], reason: retry[5], ...agentPart };
  }
  if (/^(stuck|stalled) session:/.test(m)) {
    const kv = messageFields(m);
    const agent = /^agent:([^:]+):/.exec(kv.sessionKey ?? "")?.[1] ?? e.agent;
    return { type: "stuck-session", at, sessionKey: kv.sessionKey, sessionId: kv.sessionId, queueDepth: kv.queueDepth ? Number(kv.queueDepth) : undefined, text: m.slice(0, 300), ...(agent ? { agent } : {}) };
  }
  return null;
}

/** Byte needles a line must contain to be worth parsing (cheap pre-filter for the follower). */
export const LOG_NEEDLES = [
  "embedded_run_agent_end",
  "auth_profile_failure_state_updated",
  "[model-fetch] response",
  "empty response",
  "incomplete turn detected",
  "queuedFinal=false",
  "transient same-model retry",
  "stuck session",
  "stalled session",
  "model_fallback_decision",
].map((s) => Buffer.from(s));

function lineHasNeedle(line: Buffer): boolean {
  for (const n of LOG_NEEDLES) if (line.includes(n)) return true;
  return false;
}

/** Pre-filter for the log follower; `needles` lets it skip whole stretches of a chunk. */
export const lineOfInterest: ((line: Buffer) => boolean) & { needles: Buffer[] } = Object.assign(lineHasNeedle, { needles: LOG_NEEDLES });

/** Local calendar date as OpenClaw names its daily files. */
export function logDate(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Where the gateway log lives: `logging.file` or `<tmpdir>/openclaw/openclaw[-<profile>]-YYYY-MM-DD.log`. */
export interface LogLocation {
  dir: string;
  /** Fixed file (logging.file) or null for the dated daily files. */
  file: string | null;
  /** Dated file prefix: "openclaw" or "openclaw-<profile>". */
  prefix: string;
}

export function logLocation(opts: { logFile?: string | null; profile?: string; tmp?: string; uid?: number }): LogLocation {
  if (opts.logFile) return { dir: dirname(opts.logFile), file: opts.logFile, prefix: basename(opts.logFile).replace(/\.log$/, "") };
  const base = opts.tmp ?? tmpdir();
  const prefix = opts.profile && opts.profile !== "default" ? `openclaw-${opts.profile}` : "openclaw";
  return { dir: join(base, "openclaw"), file: null, prefix };
}

/**
 * Files of a log location that may hold lines, oldest first: for a fixed file its size-rotation
 * archives (`x.N.log`, highest N oldest) then the file; for daily files every dated file and archive.
 */
export function logFilesIn(loc: LogLocation, names: string[]): string[] {
  const esc = loc.prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = loc.file
    ? new RegExp(`^${esc}(?:\\.(\\d+))?\\.log$`)
    : new RegExp(`^${esc}-(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d+))?\\.log$`);
  const picked: { name: string; date: string; n: number }[] = [];
  for (const name of names) {
    const m = re.exec(name);
    if (!m) continue;
    if (loc.file) picked.push({ name, date: "", n: m[1] ? Number(m[1]) : 0 });
    else picked.push({ name, date: m[1]!, n: m[2] ? Number(m[2]) : 0 });
  }
  picked.sort((a, b) => a.date.localeCompare(b.date) || b.n - a.n);
  return picked.map((p) => join(loc.dir, p.name));
}
