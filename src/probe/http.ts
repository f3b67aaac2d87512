// One probe request: fetch with a hard timeout, classification, latency, redacted evidence.
// The raw credential exists only inside `headers`/`url` here; every string leaving this module
// passes through `scrub`, which removes the raw value and anything secret-shaped.
import { redactText } from "../util/secret.js";
import { classifyFetchError, classifyHttp, oneLine, verdictOf } from "./classify.js";
import type { ProbeResult, ProbeStatus } from "./types.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpProbeRequest {
  url: string;
  headers: Record<string, string>;
  /** URL as it may be shown (no `?key=`). */
  shownUrl: string;
  /** Raw values that must never appear in output. */
  secrets: string[];
}

export interface HttpProbeContext {
  fetch: FetchLike;
  timeoutMs: number;
  now: () => number;
  /** Aborts the request (daemon shutdown). */
  signal?: AbortSignal;
}

/** Look at a 2xx body: may downgrade to billing (OpenRouter credit) or no_model. */
export type SuccessInterpreter = (body: unknown) => Partial<Pick<ProbeResult, "status" | "reason" | "modelIds">>;

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("[credential]");
  return redactText(out);
}

const MAX_BODY = 64 * 1024;

async function readLimited(res: Response): Promise<string> {
  const text = await res.text();
  return text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text;
}

export async function httpProbe(
  req: HttpProbeRequest,
  ctx: HttpProbeContext,
  onSuccess?: SuccessInterpreter,
): Promise<ProbeResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
  const request = `GET ${req.shownUrl}`;
  const latency = (): number => Math.round(performance.now() - started);
  let res: Response;
  let text: string;
  try {
    res = await ctx.fetch(req.url, { method: "GET", headers: req.headers, signal, redirect: "manual" });
    text = await readLimited(res);
  } catch (err) {
    const c = classifyFetchError(err, timeout.aborted, ctx.timeoutMs);
    return { status: c.status, verdict: verdictOf(c.status), reason: scrub(c.reason, req.secrets), latencyMs: latency(), request, at: ctx.now() };
  }
  const latencyMs = latency();
  if (res.status >= 200 && res.status < 300) {
    let body: unknown = undefined;
    try {
      body = JSON.parse(text);
    } catch {
      const status: ProbeStatus = "server";
      return { status, verdict: verdictOf(status), httpStatus: res.status, reason: `HTTP ${res.status} but the body is not JSON (is the base URL right?)`, snippet: scrub(oneLine(text, 200), req.secrets), latencyMs, request, at: ctx.now() };
    }
    const seen = onSuccess?.(body) ?? {};
    const status = seen.status ?? "ok";
    const result: ProbeResult = { status, verdict: verdictOf(status), httpStatus: res.status, reason: scrub(seen.reason ?? `HTTP ${res.status}`, req.secrets), latencyMs, request, at: ctx.now() };
    if (seen.modelIds) result.modelIds = seen.modelIds;
    return result;
  }
  if (res.status >= 300 && res.status < 400) {
    const status: ProbeStatus = "server";
    return { status, verdict: verdictOf(status), httpStatus: res.status, reason: `HTTP ${res.status} redirect to ${scrub(res.headers.get("location") ?? "?", req.secrets)} (is the base URL right?)`, latencyMs, request, at: ctx.now() };
  }
  const c = classifyHttp(res.status, text);
  const result: ProbeResult = {
    status: c.status,
    verdict: verdictOf(c.status),
    httpStatus: res.status,
    reason: scrub(c.reason, req.secrets),
    snippet: scrub(oneLine(text, 200), req.secrets),
    latencyMs,
    request,
    at: ctx.now(),
  };
  const retryAfter = res.headers.get("retry-after");
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) result.retryAfterSeconds = Number(retryAfter.trim());
  return result;
}
