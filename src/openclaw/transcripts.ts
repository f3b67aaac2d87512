// Transcript entries (pi-coding-agent session format, research §4.3): the same JSON in `.jsonl`
// lines (eras A–C) and in `transcript_events.event_json` / zstd `event_zstd` (eras D/E).
// Turns a transcript entry into a RunRecord; everything textual is redacted here.
import { zstdDecompressSync } from "node:zlib";
import type { RunRecord } from "./types.js";
import { redactText } from "../util/secret.js";

/** Tools whose call delivers the answer to the user themselves (the final turn may then be empty on purpose). */
export const MESSAGE_TOOLS = new Set(["message", "send_message", "sessions_send"]);

/**
 * The prompt OpenClaw appends when it retries an empty answer inside the same run (seen in real
 * 2026.5.28 JSONL transcripts as a second user message; present in 2026.6.1–2026.9.6 bundles too).
 */
export const EMPTY_RETRY_PROMPT = "The previous attempt did not produce a user-visible answer.";

/** Replies that are silent on purpose (OpenClaw's SILENT_REPLY_TOKEN / HEARTBEAT_TOKEN). */
export const SILENT_TOKENS = ["NO_REPLY", "HEARTBEAT_OK"];

export interface TranscriptContext {
  agent: string;
  sessionId: string;
  sessionKey?: string;
  cursor: string;
  /** Row/line time when the entry itself has none (SQLite created_at, file mtime). */
  fallbackAt?: number;
}

const MAX_TEXT = 2000;

function timeOf(entry: Record<string, unknown>, msg: Record<string, unknown> | null, fallback?: number): number {
  const t = entry.timestamp;
  if (typeof t === "string") {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  if (msg && typeof msg.timestamp === "number") return msg.timestamp;
  return fallback ?? Number.NaN;
}

interface ContentScan {
  text: string;
  thinking: boolean;
  toolCalls: string[];
}

function scanContent(content: unknown): ContentScan {
  if (typeof content === "string") return { text: content, thinking: false, toolCalls: [] };
  const out: ContentScan = { text: "", thinking: false, toolCalls: [] };
  if (!Array.isArray(content)) return out;
  const parts: string[] = [];
  for (const block of content) {
    if (!block || typeof block !== "object") continue;
    const b = block as Record<string, unknown>;
    if (b.type === "text" && typeof b.text === "string") parts.push(b.text);
    else if (b.type === "thinking" || b.type === "redacted_thinking" || b.type === "reasoning") out.thinking = true;
    else if ((b.type === "toolCall" || b.type === "tool_use" || b.type === "toolUse") && typeof b.name === "string") out.toolCalls.push(b.name);
  }
  out.text = parts.join("");
  return out;
}

function runIdOf(msg: Record<string, unknown>): string | undefined {
  const oc = msg.__openclaw as Record<string, unknown> | undefined;
  if (oc && typeof oc.runId === "string") return oc.runId;
  if (typeof msg.idempotencyKey === "string") return msg.idempotencyKey.split(":")[0];
  return undefined;
}

/** One transcript entry → RunRecord, or null for entries that say nothing about a run. */
export function parseTranscriptEntry(entry: unknown, ctx: TranscriptContext): RunRecord | null {
  if (!entry || typeof entry !== "object") return null;
  const e = entry as Record<string, unknown>;
  const base = { agent: ctx.agent, sessionId: ctx.sessionId, cursor: ctx.cursor, ...(ctx.sessionKey ? { sessionKey: ctx.sessionKey } : {}) };
  if (e.type === "model_change" && typeof e.provider === "string") {
    return { ...base, at: timeOf(e, null, ctx.fallbackAt), role: "other", provider: e.provider, model: typeof e.modelId === "string" ? e.modelId : undefined, visibleText: "", hasThinking: false, usedMessageTool: false };
  }
  if (e.type === "custom" && e.customType === "model-snapshot" && e.data && typeof e.data === "object") {
    const d = e.data as Record<string, unknown>;
    return { ...base, at: timeOf(e, null, ctx.fallbackAt), role: "other", provider: typeof d.provider === "string" ? d.provider : undefined, model: typeof d.modelId === "string" ? d.modelId : undefined, visibleText: "", hasThinking: false, usedMessageTool: false };
  }
  // 9.x: "This turn ended before a reply: <error>" — the run died before any assistant message.
  if (e.type === "custom_message" && e.customType === "run-failed-before-reply") {
    const d = (e.details ?? {}) as Record<string, unknown>;
    const rec: RunRecord = { ...base, at: timeOf(e, null, ctx.fallbackAt), role: "assistant", stopReason: "error", visibleText: "", hasThinking: false, usedMessageTool: false };
    const err = typeof d.error === "string" ? d.error : typeof e.content === "string" ? e.content : undefined;
    if (err) rec.errorMessage = redactText(err.slice(0, MAX_TEXT));
    if (typeof d.runId === "string") rec.runId = d.runId;
    return rec;
  }
  if (e.type !== "message" || !e.message || typeof e.message !== "object") return null;
  const msg = e.message as Record<string, unknown>;
  const role = msg.role === "assistant" || msg.role === "user" || msg.role === "toolResult" ? msg.role : "other";
  const scan = scanContent(msg.content);
  const rec: RunRecord = {
    ...base,
    at: timeOf(e, msg, ctx.fallbackAt),
    role,
    visibleText: redactText(scan.text.trim().slice(0, MAX_TEXT)),
    hasThinking: scan.thinking,
    usedMessageTool: scan.toolCalls.some((n) => MESSAGE_TOOLS.has(n)),
  };
  if (typeof msg.provider === "string") rec.provider = msg.provider;
  if (typeof msg.model === "string") rec.model = msg.model;
  if (typeof msg.stopReason === "string") rec.stopReason = msg.stopReason;
  if (typeof msg.errorMessage === "string") rec.errorMessage = redactText(msg.errorMessage.slice(0, MAX_TEXT));
  const usage = msg.usage as Record<string, unknown> | undefined;
  if (usage && typeof usage.output === "number") rec.outputTokens = usage.output;
  const runId = runIdOf(msg);
  if (runId) rec.runId = runId;
  if (scan.toolCalls.length) rec.toolCalls = scan.toolCalls.length;
  if (typeof e.id === "string") rec.entryId = e.id;
  if (role === "user" && scan.text.includes(EMPTY_RETRY_PROMPT)) rec.retryPrompt = true;
  return rec;
}

/** A JSONL transcript line → RunRecord (null for headers, bad JSON, other entry types). */
export function parseTranscriptLine(line: string, ctx: TranscriptContext): RunRecord | null {
  const t = line.trim();
  if (!t.startsWith("{")) return null;
  try {
    return parseTranscriptEntry(JSON.parse(t), ctx);
  } catch {
    return null;
  }
}

/** Text of a transcript_events row: `event_json`, or `event_zstd` decompressed (agent schema 23). */
export function eventTextOfRow(row: { event_json?: unknown; event_zstd?: unknown }): string | null {
  if (typeof row.event_json === "string") return row.event_json;
  if (row.event_zstd instanceof Uint8Array) {
    try {
      return zstdDecompressSync(row.event_zstd).toString("utf8");
    } catch {
      return null;
    }
  }
  return null;
}

/** Did this record finish a turn without anything the user could see? Silence on purpose is not empty. */
export function isEmptyFinishedTurn(r: RunRecord): boolean {
  if (r.role !== "assistant") return false;
  // A turn that stopped to call tools is not finished; its answer comes in a later message.
  if (r.stopReason === "toolUse" || r.stopReason === "tool_use" || (r.toolCalls ?? 0) > 0) return false;
  if (r.usedMessageTool) return false;
  return r.visibleText.trim() === "";
}

export function isSilentOnPurpose(r: RunRecord): boolean {
  const t = r.visibleText.trim();
  return SILENT_TOKENS.some((tok) => t === tok || t.startsWith(tok + " ") || t.endsWith(" " + tok));
}

/** A visible assistant answer: the route works. */
export function isVisibleReply(r: RunRecord): boolean {
  return r.role === "assistant" && r.stopReason !== "error" && r.visibleText.trim() !== "";
}
