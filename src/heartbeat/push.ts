// One heartbeat request in the dialect of the push URL. Healthchecks.io (and compatible):
// GET <url> for ok, POST <url>/fail with the reason as body. Uptime Kuma (/api/push/<token>):
// GET <url>?status=up|down&msg=<reason>. The URL itself is a credential (anyone holding it can
// ping), so errors never include it.
import { redactText } from "../util/secret.js";
import type { Beat } from "./plan.js";

export type PushDialect = "healthchecks" | "uptime-kuma";

export function dialectOf(url: string): PushDialect {
  return /\/api\/push\/[^/]+\/?$/.test(new URL(url).pathname) ? "uptime-kuma" : "healthchecks";
}

export function pushRequest(url: string, beat: Beat, reason: string): { url: string; init: RequestInit } {
  const msg = reason.replace(/\s+/g, " ").trim().slice(0, 200);
  if (dialectOf(url) === "uptime-kuma") {
    const u = new URL(url);
    u.searchParams.set("status", beat === "ok" ? "up" : "down");
    u.searchParams.set("msg", msg || (beat === "ok" ? "OK" : "critical"));
    return { url: u.toString(), init: { method: "GET" } };
  }
  if (beat === "ok") return { url, init: { method: "GET" } };
  return { url: `${url.replace(/\/+$/, "")}/fail`, init: { method: "POST", body: msg, headers: { "content-type": "text/plain; charset=utf-8" } } };
}

/** Resolves with "HTTP 200" or rejects with a reason that never names the URL. */
export async function push(url: string, beat: Beat, reason: string, timeoutMs: number): Promise<string> {
  const req = pushRequest(url, beat, reason);
  let res: Response;
  try {
    res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") throw new Error(`no answer within ${timeoutMs} ms`);
    throw new Error(e.cause?.code ?? redactText(String(err)));
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
  return `HTTP ${res.status}`;
}
