// One POST with a timeout; turns every failure into a ChannelError that names status or network cause,
// never the URL (Slack/Discord URLs carry tokens).
import { redactText } from "../../util/secret.js";
import { ChannelError, type SendResult } from "../types.js";

export async function postBody(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
  } catch (err) {
    throw new ChannelError(networkReason(err, timeoutMs));
  }
  const reply = redactText((await res.text().catch(() => "")).replace(/\s+/g, " ").trim()).slice(0, 200);
  const line = `HTTP ${res.status}${res.statusText ? " " + res.statusText : ""}${reply ? `: ${reply}` : ""}`;
  if (res.status < 200 || res.status >= 300) throw new ChannelError(line);
  return { response: line };
}

function networkReason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${redactText(cause.message)})` : ""}`;
  if (cause?.message) return `${e?.message ?? "request failed"}: ${redactText(cause.message)}`;
  return redactText(e?.message ?? String(err));
}
