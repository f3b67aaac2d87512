// HTTP answer → probe status. Pure, so every provider's quirks are unit-tested in one place.
import type { Verdict } from "../health/types.js";
import type { ProbeStatus } from "./types.js";

export function verdictOf(status: ProbeStatus): Verdict {
  switch (status) {
    case "ok":
      return "pass";
    case "auth":
    case "billing":
    case "no_model":
    case "expired":
    case "missing":
      return "fail";
    default:
      // timeout, network, rate_limit, server, unsupported: the probe could not decide.
      return "inconclusive";
  }
}

const INVALID_KEY = /API_KEY_INVALID|api key not valid|incorrect api key|invalid api key|invalid x-api-key|invalid authentication|unauthorized|user not found/i;
const BILLING = /insufficient[_ ]quota|insufficient credits|check your plan and billing|billing|payment required|credit balance/i;

export interface HttpClassification {
  status: ProbeStatus;
  reason: string;
}

/** Classify a non-2xx provider answer. `message` is the provider's error message when it has one. */
export function classifyHttp(httpStatus: number, bodyText: string): HttpClassification {
  const message = errorMessageOf(bodyText);
  const said = message ? ` ${message}` : "";
  if (httpStatus === 401 || httpStatus === 403) return { status: "auth", reason: `HTTP ${httpStatus}${said}` };
  if (httpStatus === 400 && INVALID_KEY.test(bodyText)) return { status: "auth", reason: `HTTP 400${said}` };
  if (httpStatus === 402) return { status: "billing", reason: `HTTP 402${said}` };
  if (httpStatus === 429) {
    if (BILLING.test(bodyText)) return { status: "billing", reason: `HTTP 429${said}` };
    return { status: "rate_limit", reason: `HTTP 429${said}` };
  }
  if (httpStatus === 404) return { status: "server", reason: `HTTP 404 (is the base URL right?)${said}` };
  return { status: "server", reason: `HTTP ${httpStatus}${said}` };
}

/** The `error.message` (or `message`) of a JSON error body, trimmed to one short line. */
export function errorMessageOf(bodyText: string): string | undefined {
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    const err = body.error;
    const msg =
      (err && typeof err === "object" && typeof (err as Record<string, unknown>).message === "string"
        ? (err as Record<string, unknown>).message
        : typeof err === "string"
          ? err
          : body.message) ?? undefined;
    if (typeof msg !== "string") return undefined;
    return oneLine(msg, 160);
  } catch {
    return undefined;
  }
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Map a fetch failure to timeout / network with a short reason ("connection refused"). */
export function classifyFetchError(err: unknown, timedOut: boolean, timeoutMs: number): HttpClassification {
  if (timedOut) return { status: "timeout", reason: `no answer within ${timeoutMs} ms` };
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  const names: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "DNS lookup failed",
    EHOSTUNREACH: "host unreachable",
    ENETUNREACH: "network unreachable",
    ETIMEDOUT: "connect timed out",
    UND_ERR_SOCKET: "connection closed",
    CERT_HAS_EXPIRED: "TLS certificate expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  };
  if (code && names[code]) return { status: "network", reason: names[code]! };
  const msg = oneLine(cause?.message ?? (err as Error)?.message ?? String(err), 120);
  return { status: "network", reason: code ? `${code}: ${msg}` : msg };
}
