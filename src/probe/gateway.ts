// Gateway liveness: GET /health (is the process serving?) then /readyz (is it ready for runs?) on
// the configured bind/port, over TLS when the gateway uses it. Loopback TLS is self-signed, so
// certificate checks are off for loopback targets only.
import { makeFinding, type Finding } from "../checks/finding.js";
import type { Verdict } from "../health/types.js";
import type { GatewayInfo } from "../openclaw/types.js";
import { redactText } from "../util/secret.js";
import { oneLine } from "./classify.js";

export type GatewayStatus = "ok" | "refused" | "timeout" | "unhealthy" | "network";

export interface GatewayProbeResult {
  url: string;
  status: GatewayStatus;
  verdict: Verdict;
  reason: string;
  latencyMs: number;
  at: number;
  health?: { httpStatus: number; body: string };
  ready?: { httpStatus: number; ready: boolean | null; failing: string[]; uptimeMs?: number };
}

export interface GatewayProbeOptions {
  timeoutMs?: number;
  now?: () => number;
}

interface Answer {
  httpStatus: number;
  body: string;
}

class GetError extends Error {
  readonly kind: "refused" | "timeout" | "network";
  constructor(kind: "refused" | "timeout" | "network", message: string) {
    super(message);
    this.kind = kind;
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Where to reach the gateway from this host: a wildcard bind is reached on loopback. */
export function gatewayBaseUrl(gw: GatewayInfo): string {
  const host = !gw.host || gw.host === "0.0.0.0" || gw.host === "::" || gw.bind === "loopback" ? "127.0.0.1" : gw.host;
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${gw.tls ? "https" : "http"}://${h}:${gw.port}`;
}

// node:http(s) is loaded on first use: importing it costs ~100 ms of start-up that
// `clawpatrol check --offline` (which never reaches the gateway) should not pay.
async function get(url: string, timeoutMs: number): Promise<Answer> {
  const u = new URL(url);
  const isTls = u.protocol === "https:";
  const { request } = isTls ? await import("node:https") : await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(
      u,
      { method: "GET", headers: { accept: "application/json" }, ...(isTls && LOOPBACK.has(u.hostname) ? { rejectUnauthorized: false } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size < 65536) chunks.push(c);
        });
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ httpStatus: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", (e) => reject(new GetError("network", e.message)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new GetError("timeout", `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === "ECONNREFUSED") reject(new GetError("refused", "connection refused"));
      else reject(new GetError("network", e.code ? `${e.code}: ${e.message}` : e.message));
    });
    req.end();
  });
}

export async function probeGateway(gw: GatewayInfo, options: GatewayProbeOptions = {}): Promise<GatewayProbeResult> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  const base = gatewayBaseUrl(gw);
  const started = performance.now();
  const done = (status: GatewayStatus, reason: string, extra: Partial<GatewayProbeResult> = {}): GatewayProbeResult => ({
    url: base,
    status,
    verdict: status === "ok" ? "pass" : "fail",
    reason,
    latencyMs: Math.round(performance.now() - started),
    at: now(),
    ...extra,
  });
  let health: Answer;
  try {
    health = await get(`${base}/health`, timeoutMs);
  } catch (e) {
    const err = e instanceof GetError ? e : new GetError("network", String(e));
    return done(err.kind, err.message);
  }
  const healthView = { httpStatus: health.httpStatus, body: redactText(oneLine(health.body, 200)) };
  let live = false;
  try {
    live = health.httpStatus === 200 && (JSON.parse(health.body) as { ok?: unknown }).ok === true;
  } catch {
    live = false;
  }
  if (!live) return done("unhealthy", `/health answered HTTP ${health.httpStatus}: ${healthView.body || "(empty)"}`, { health: healthView });

  let readyAnswer: Answer;
  try {
    readyAnswer = await get(`${base}/readyz`, timeoutMs);
  } catch (e) {
    const err = e instanceof GetError ? e : new GetError("network", String(e));
    return done(err.kind, `/readyz: ${err.message}`, { health: healthView });
  }
  let ready: boolean | null = null;
  let failing: string[] = [];
  let uptimeMs: number | undefined;
  try {
    const body = JSON.parse(readyAnswer.body) as { ready?: unknown; failing?: unknown; uptimeMs?: unknown };
    ready = typeof body.ready === "boolean" ? body.ready : null;
    failing = Array.isArray(body.failing) ? body.failing.filter((x): x is string => typeof x === "string") : [];
    // Tells the daemon when the gateway started (gateway.config-stale).
    if (typeof body.uptimeMs === "number") uptimeMs = body.uptimeMs;
  } catch {
    ready = null;
  }
  const readyView = { httpStatus: readyAnswer.httpStatus, ready, failing, ...(uptimeMs !== undefined ? { uptimeMs } : {}) };
  // Older gateways without /readyz (404) count as live-only.
  if (readyAnswer.httpStatus === 404) return done("ok", "live (no /readyz on this version)", { health: healthView, ready: readyView });
  if (readyAnswer.httpStatus !== 200 || ready === false) {
    const why = failing.length ? `failing: ${failing.join(", ")}` : `HTTP ${readyAnswer.httpStatus}`;
    return done("unhealthy", `live but not ready (${why})`, { health: healthView, ready: readyView });
  }
  return done("ok", "live and ready", { health: healthView, ready: readyView });
}

/** gateway.down when the gateway does not answer or says it is unhealthy. Pure. */
export function gatewayFindings(result: GatewayProbeResult, now: number): Finding[] {
  if (result.status === "ok") return [];
  const what =
    result.status === "refused"
      ? "is not running (connection refused)"
      : result.status === "timeout"
        ? `does not answer (${result.reason})`
        : result.status === "unhealthy"
          ? `is unhealthy: ${result.reason}`
          : `cannot be reached: ${result.reason}`;
  return [
    makeFinding({
      kind: "gateway.down",
      severity: "critical",
      summary: `The OpenClaw gateway at ${result.url} ${what}.`,
      detail:
        result.status === "refused"
          ? "Start it: systemctl --user start openclaw-gateway (or openclaw gateway start); its log says why it stopped."
          : "Check the gateway log (openclaw logs) and restart it if it stays this way: openclaw gateway restart.",
      evidence: {
        status: result.status,
        reason: result.reason,
        latencyMs: result.latencyMs,
        ...(result.health ? { health: result.health } : {}),
        ...(result.ready ? { ready: result.ready } : {}),
      },
      at: now,
    }),
  ];
}
