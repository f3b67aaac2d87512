// Opt-in end-to-end turn: one tiny real agent turn through the gateway, at most once per interval
// per agent. It costs a full system prompt (~19k tokens in our runs), so it is off by default.
// Via the gateway's OpenAI-compatible endpoint when it is enabled, else via `openclaw agent`.
import { makeFinding, type Finding } from "../checks/finding.js";
import type { Verdict } from "../health/types.js";
import type { GatewayInfo } from "../openclaw/types.js";
import type { Exec } from "../util/exec.js";
import { redactText } from "../util/secret.js";
import { errorMessageOf, oneLine } from "./classify.js";
import { gatewayBaseUrl } from "./gateway.js";
import type { FetchLike } from "./http.js";
import { OpenClawCli } from "../openclaw/cli.js";

export const E2E_MESSAGE = "Reply with the single word PONG.";
export const E2E_USER = "clawpatrol-probe";

export type E2EStatus = "ok" | "empty" | "error" | "timeout";

export interface E2EResult {
  agent: string;
  via: "http" | "cli";
  status: E2EStatus;
  verdict: Verdict;
  /** Redacted, first 120 chars of the visible reply. */
  text: string;
  reason: string;
  latencyMs: number;
  at: number;
}

export interface E2EOptions {
  via: "http" | "cli";
  gateway: GatewayInfo;
  fetch?: FetchLike;
  exec?: Exec;
  openclawBin?: string;
  /** Env for the CLI, from openclawProcessEnv (OPENCLAW_STATE_DIR…). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  message?: string;
  now?: () => number;
}

function result(agent: string, via: E2EResult["via"], status: E2EStatus, text: string, reason: string, started: number, at: number): E2EResult {
  return {
    agent,
    via,
    status,
    verdict: status === "ok" ? "pass" : status === "timeout" ? "inconclusive" : "fail",
    text: redactText(oneLine(text, 120)),
    reason: redactText(reason),
    latencyMs: Math.round(performance.now() - started),
    at,
  };
}

export async function runE2ETurn(agent: string, options: E2EOptions): Promise<E2EResult> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const message = options.message ?? E2E_MESSAGE;
  const started = performance.now();
  if (options.via === "http") {
    const fetchFn: FetchLike = options.fetch ?? ((i, init) => fetch(i, init));
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.gateway.token) headers.authorization = `Bearer ${options.gateway.token.reveal()}`;
    let res: Response;
    let text: string;
    try {
      res = await fetchFn(`${gatewayBaseUrl(options.gateway)}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: `openclaw/${agent}`, user: E2E_USER, messages: [{ role: "user", content: message }], max_tokens: 16, stream: false }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const timedOut = (e as Error)?.name === "TimeoutError";
      return result(agent, "http", timedOut ? "timeout" : "error", "", timedOut ? `no reply within ${timeoutMs} ms` : oneLine((e as Error)?.message ?? String(e), 160), started, now());
    }
    if (res.status !== 200) {
      const msg = errorMessageOf(text) ?? oneLine(text, 160);
      const hint = res.status === 404 || res.status === 405 ? " (is gateway.http.endpoints.chatCompletions.enabled on?)" : "";
      return result(agent, "http", "error", "", `HTTP ${res.status} ${msg}${hint}`, started, now());
    }
    let content = "";
    try {
      const body = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
      const c = body.choices?.[0]?.message?.content;
      content = typeof c === "string" ? c : "";
    } catch {
      return result(agent, "http", "error", "", "reply is not JSON", started, now());
    }
    return content.trim() ? result(agent, "http", "ok", content, "replied", started, now()) : result(agent, "http", "empty", "", "the turn completed with no visible text", started, now());
  }

  if (!options.exec) throw new Error("runE2ETurn via cli needs an exec function");
  const cli = new OpenClawCli(options.openclawBin ?? "openclaw", options.env ?? process.env, options.exec);
  const args = ["agent", "--agent", agent, "--session-key", `agent:${agent}:${E2E_USER}`, "--message", message, "--json", "--timeout", String(Math.ceil(timeoutMs / 1000))];
  const out = await cli.run(args, timeoutMs + 15_000);
  if (out.error && /timed out/.test(out.error)) return result(agent, "cli", "timeout", "", `openclaw agent ${out.error}`, started, now());
  // 4.14 printed its JSON on stderr; take whichever stream holds a JSON object.
  const raw = [out.stdout, out.stderr].map((s) => s.trim()).find((s) => s.startsWith("{") && s.endsWith("}"));
  let body: { status?: string; ok?: boolean; error?: { message?: string }; result?: { payloads?: { text?: unknown }[] } } | undefined;
  try {
    body = raw ? (JSON.parse(raw) as typeof body) : undefined;
  } catch {
    body = undefined;
  }
  if (!body) {
    const why = out.error ?? oneLine(out.stderr || out.stdout || `exit ${out.code}`, 160);
    return result(agent, "cli", "error", "", `openclaw agent gave no JSON: ${why}`, started, now());
  }
  if (out.code !== 0 || body.ok === false || body.error) {
    return result(agent, "cli", "error", "", oneLine(body.error?.message ?? `exit ${out.code}`, 200), started, now());
  }
  const visible = (body.result?.payloads ?? []).map((p) => (typeof p.text === "string" ? p.text : "")).join("\n");
  return visible.trim() ? result(agent, "cli", "ok", visible, "replied", started, now()) : result(agent, "cli", "empty", "", "the turn completed with no visible text", started, now());
}

/** At most one end-to-end turn per agent per interval. */
export class E2EGate {
  readonly #last = new Map<string, number>();
  readonly intervalMs: number;
  constructor(intervalMs = 6 * 3_600_000) {
    this.intervalMs = intervalMs;
  }
  due(agent: string, now: number): boolean {
    const last = this.#last.get(agent);
    return last === undefined || now - last >= this.intervalMs;
  }
  mark(agent: string, now: number): void {
    this.#last.set(agent, now);
  }
}

/** probe.empty-reply for a silent turn, probe.failed for an error. Pure. */
export function e2eFindings(results: readonly E2EResult[], now: number): Finding[] {
  const out: Finding[] = [];
  for (const r of results) {
    const evidence = { via: r.via, status: r.status, verdict: r.verdict, reason: r.reason, latencyMs: r.latencyMs };
    if (r.status === "empty") {
      out.push(
        makeFinding({
          kind: "probe.empty-reply",
          severity: "critical",
          subject: { agent: r.agent },
          summary: `${r.agent}: a test turn through the gateway completed with no visible text (the "empty bubble").`,
          detail: `Look at the agent's last transcript entry for the error; check its model with clawpatrol probe --agent ${r.agent}.`,
          evidence,
          at: now,
        }),
      );
    } else if (r.status !== "ok") {
      out.push(
        makeFinding({
          kind: "probe.failed",
          severity: r.verdict === "fail" ? "critical" : "info",
          subject: { agent: r.agent },
          summary: `${r.agent}: a test turn through the gateway failed: ${r.reason}`,
          evidence: { ...evidence, reason: r.status === "timeout" ? "timeout" : "e2e", message: r.reason },
          at: now,
        }),
      );
    }
  }
  return out;
}
