// A loopback fake LLM provider for tests, e2e runs against a real OpenClaw gateway, the demo and
// benchmarks. It plays every provider's cheap auth check (OpenRouter /key, OpenAI-style /models,
// Anthropic /v1/models, Gemini /models, Ollama /api/tags) and an OpenAI-compatible
// /chat/completions (SSE and JSON), with behaviour chosen per API key and per model.
// It records every request with a fingerprint of the credential, never the credential itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fingerprintOf } from "../util/secret.js";

export const BEHAVIOUR_KINDS = [
  "ok",
  "401",
  "403",
  "400-api-key-invalid",
  "402",
  "429",
  "429-quota",
  "500",
  "empty",
  "hang",
] as const;
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];

export interface BehaviourSpec {
  kind: BehaviourKind;
  /** Answer text for `ok` completions (default "PONG"). */
  text?: string;
  /** Delay before answering, ms. */
  latencyMs?: number;
  /** Retry-After seconds for 429 (default 1). */
  retryAfterSeconds?: number;
  /** OpenRouter /key: credit left (`<= 0` = exhausted). Default 74.5; null = no cap. */
  limitRemaining?: number | null;
}
export type Behaviour = BehaviourKind | BehaviourSpec;

export interface FakeProviderOptions {
  port?: number;
  host?: string;
  /** Latency added to every request unless a behaviour sets its own. */
  latencyMs?: number;
  /** Behaviour per API key (the raw fake key as the client sends it). */
  keys?: Record<string, Behaviour>;
  /** Behaviour per model id (applies to completions once the key is accepted). */
  models?: Record<string, Behaviour>;
  /** Behaviour for a key not in `keys`: default "401" (OpenRouter's "User not found."). */
  unknownKey?: Behaviour;
  /** Behaviour of keyless local endpoints (Ollama /api/tags): default "ok". */
  local?: Behaviour;
  /** Default answer text. */
  answer?: string;
  /** Model ids listed by the /models endpoints. */
  modelIds?: string[];
}

export type AuthStyle = "bearer" | "x-api-key" | "x-goog-api-key" | "query-key" | "none";
export type Dialect = "openrouter" | "openai" | "anthropic" | "gemini" | "ollama";

export interface RecordedRequest {
  at: number;
  method: string;
  /** Path with any `key=` query parameter removed. */
  path: string;
  endpoint: "key" | "models" | "tags" | "chat" | "other";
  dialect: Dialect;
  authStyle: AuthStyle;
  /** Fingerprint of the credential sent (never the raw value); null when none was sent. */
  auth: string | null;
  model?: string;
  stream?: boolean;
  status: number;
  behaviour: BehaviourKind;
}

export interface FakeCounters {
  requests: number;
  authChecks: number;
  completions: number;
  promptTokens: number;
  completionTokens: number;
  byStatus: Record<string, number>;
}

export interface FakeProvider {
  url: string;
  port: number;
  setKeyBehaviour(key: string, behaviour: Behaviour): void;
  setModelBehaviour(model: string, behaviour: Behaviour): void;
  setUnknownKeyBehaviour(behaviour: Behaviour): void;
  setLocalBehaviour(behaviour: Behaviour): void;
  /** Live list of recorded requests (fingerprints only). */
  readonly requests: RecordedRequest[];
  readonly counters: FakeCounters;
  /** Forget recorded requests and counters. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ["fake/model-ok", "openrouter/auto", "gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash"];

function spec(b: Behaviour): BehaviourSpec {
  return typeof b === "string" ? { kind: b } : b;
}

export function isBehaviour(value: unknown): value is Behaviour {
  if (typeof value === "string") return (BEHAVIOUR_KINDS as readonly string[]).includes(value);
  return (
    !!value &&
    typeof value === "object" &&
    (BEHAVIOUR_KINDS as readonly string[]).includes(String((value as { kind?: unknown }).kind))
  );
}

interface Credential {
  style: AuthStyle;
  value: string | null;
}

function readCredential(req: IncomingMessage, url: URL): Credential {
  const authz = req.headers.authorization;
  if (typeof authz === "string") {
    const m = /^Bearer\s*(.*)$/i.exec(authz.trim());
    const value = (m ? m[1]! : authz).trim();
    return { style: "bearer", value: value || null };
  }
  const xApi = req.headers["x-api-key"];
  if (typeof xApi === "string") return { style: "x-api-key", value: xApi.trim() || null };
  const goog = req.headers["x-goog-api-key"];
  if (typeof goog === "string") return { style: "x-goog-api-key", value: goog.trim() || null };
  const q = url.searchParams.get("key");
  if (q !== null) return { style: "query-key", value: q.trim() || null };
  return { style: "none", value: null };
}

function endpointOf(method: string, path: string): RecordedRequest["endpoint"] {
  if (method === "GET" && /\/(?:auth\/)?key\/?$/.test(path)) return "key";
  if (method === "GET" && /\/api\/tags\/?$/.test(path)) return "tags";
  if (method === "GET" && /\/models\/?$/.test(path)) return "models";
  if (method === "POST" && /\/chat\/completions\/?$/.test(path)) return "chat";
  return "other";
}

function dialectOf(path: string, cred: Credential, endpoint: RecordedRequest["endpoint"]): Dialect {
  if (endpoint === "tags") return "ollama";
  if (cred.style === "x-goog-api-key" || cred.style === "query-key") return "gemini";
  if (cred.style === "x-api-key") return "anthropic";
  if (endpoint === "key" || path.includes("/api/v1/")) return "openrouter";
  return "openai";
}

interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function errorReply(kind: BehaviourKind, dialect: Dialect, missing: boolean, s: BehaviourSpec): ErrorReply | null {
  switch (kind) {
    case "401":
      if (dialect === "anthropic")
        return { status: 401, body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } } };
      if (dialect === "openai")
        return {
          status: 401,
          body: {
            error: {
              message: missing ? "You didn't provide an API key." : "Incorrect API key provided.",
              type: "invalid_request_error",
              param: null,
              code: "invalid_api_key",
            },
          },
        };
      return {
        status: 401,
        body: { error: { message: missing ? "Missing Authentication header" : "User not found.", code: 401 } },
      };
    case "403":
      return { status: 403, body: { error: { message: "Forbidden: this key is disabled", code: 403 } } };
    case "400-api-key-invalid":
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            message: "API key not valid. Please pass a valid API key.",
            status: "INVALID_ARGUMENT",
            details: [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: "API_KEY_INVALID",
                domain: "googleapis.com",
                metadata: { service: "generativelanguage.googleapis.com" },
              },
            ],
          },
        },
      };
    case "402":
      return {
        status: 402,
        body: {
          error: {
            message: "Insufficient credits. This account never purchased credits. Add more at https://openrouter.ai/settings/credits",
            code: 402,
          },
        },
      };
    case "429":
      return {
        status: 429,
        headers: { "retry-after": String(s.retryAfterSeconds ?? 1) },
        body: { error: { message: "Rate limit exceeded: too many requests", code: 429, type: "rate_limit_error" } },
      };
    case "429-quota":
      return {
        status: 429,
        headers: { "retry-after": String(s.retryAfterSeconds ?? 1) },
        body: {
          error: {
            message: "You exceeded your current quota: 50 requests per day. Please check your plan and billing details.",
            code: 429,
            type: "insufficient_quota",
          },
        },
      };
    case "500":
      return { status: 500, body: { error: { message: "Internal server error", code: 500 } } };
    default:
      return null;
  }
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function readBody(req: IncomingMessage, limit = 8 * 1024 * 1024): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(""));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const keys = new Map<string, Behaviour>(Object.entries(options.keys ?? {}));
  const models = new Map<string, Behaviour>(Object.entries(options.models ?? {}));
  let unknownKey: Behaviour = options.unknownKey ?? "401";
  let local: Behaviour = options.local ?? "ok";
  const answer = options.answer ?? "PONG";
  const modelIds = options.modelIds ?? DEFAULT_MODELS;
  const requests: RecordedRequest[] = [];
  const counters: FakeCounters = emptyCounters();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  function emptyCounters(): FakeCounters {
    return { requests: 0, authChecks: 0, completions: 0, promptTokens: 0, completionTokens: 0, byStatus: {} };
  }

  function wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });
  }

  function record(entry: RecordedRequest): void {
    requests.push(entry);
    counters.requests++;
    counters.byStatus[String(entry.status)] = (counters.byStatus[String(entry.status)] ?? 0) + 1;
    if (entry.endpoint === "key" || entry.endpoint === "models" || entry.endpoint === "tags") counters.authChecks++;
    if (entry.endpoint === "chat") counters.completions++;
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/__fake/stats") return sendJson(res, 200, { counters, requests });
    if (req.method === "POST" && path === "/__fake/reset") {
      requests.length = 0;
      Object.assign(counters, emptyCounters());
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === "POST" && path === "/__fake/behaviour") {
      let body: { key?: string; model?: string; behaviour?: unknown };
      try {
        body = JSON.parse(await readBody(req)) as typeof body;
      } catch {
        return sendJson(res, 400, { error: "body must be JSON {key|model, behaviour}" });
      }
      if (!isBehaviour(body.behaviour)) return sendJson(res, 400, { error: "unknown behaviour" });
      if (typeof body.key === "string") keys.set(body.key, body.behaviour);
      else if (typeof body.model === "string") models.set(body.model, body.behaviour);
      else return sendJson(res, 400, { error: "give key or model" });
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, { error: "unknown control path" });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.local");
    const path = url.pathname;
    if (path.startsWith("/__fake/")) return handleControl(req, res, path);

    const method = req.method ?? "GET";
    const cred = readCredential(req, url);
    url.searchParams.delete("key");
    const shownPath = path + (url.searchParams.size ? `?${url.searchParams.toString()}` : "");
    const endpoint = endpointOf(method, path);
    const dialect = dialectOf(path, cred, endpoint);

    let body: Record<string, unknown> = {};
    if (method === "POST") {
      const raw = await readBody(req);
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
    }
    const model = typeof body.model === "string" ? body.model : undefined;
    const stream = endpoint === "chat" ? body.stream === true : undefined;

    // Credential behaviour first (auth fails before the model matters), then the model's.
    let b: BehaviourSpec;
    if (endpoint === "tags") b = spec(local);
    else if (cred.value === null) b = { kind: "401" };
    else b = spec(keys.get(cred.value) ?? unknownKey);
    if (b.kind === "ok" && endpoint === "chat" && model !== undefined && models.has(model)) {
      b = { ...spec(models.get(model)!), latencyMs: spec(models.get(model)!).latencyMs ?? b.latencyMs };
    }

    const entry: RecordedRequest = {
      at: Date.now(),
      method,
      path: shownPath,
      endpoint,
      dialect,
      authStyle: cred.style,
      auth: cred.value === null ? null : fingerprintOf(cred.value),
      status: 0,
      behaviour: b.kind,
      ...(model !== undefined ? { model } : {}),
      ...(stream !== undefined ? { stream } : {}),
    };

    await wait(b.latencyMs ?? options.latencyMs ?? 0);
    if (closed) return;

    if (b.kind === "hang") {
      entry.status = -1;
      record(entry);
      return; // never answer; close() destroys the socket
    }

    const err = errorReply(b.kind, dialect, cred.value === null, b);
    if (err) {
      entry.status = err.status;
      record(entry);
      return sendJson(res, err.status, err.body, err.headers);
    }

    switch (endpoint) {
      case "key": {
        entry.status = 200;
        record(entry);
        const limitRemaining = b.limitRemaining === undefined ? 74.5 : b.limitRemaining;
        return sendJson(res, 200, {
          data: {
            label: entry.auth,
            limit: limitRemaining === null ? null : 100,
            limit_remaining: limitRemaining,
            limit_reset: "monthly",
            usage: limitRemaining === null ? 0 : 100 - limitRemaining,
            is_free_tier: false,
            is_management_key: false,
          },
        });
      }
      case "tags":
        entry.status = 200;
        record(entry);
        return sendJson(res, 200, {
          models: modelIds.map((name) => ({ name, model: name, size: 1, digest: "0", details: {} })),
        });
      case "models": {
        entry.status = 200;
        record(entry);
        if (dialect === "gemini")
          return sendJson(res, 200, {
            models: modelIds.map((id) => ({ name: `models/${id}`, displayName: id })),
          });
        if (dialect === "anthropic")
          return sendJson(res, 200, {
            data: modelIds.map((id) => ({ id, type: "model", display_name: id, created_at: "2026-01-01T00:00:00Z" })),
            has_more: false,
            first_id: modelIds[0] ?? null,
            last_id: modelIds[modelIds.length - 1] ?? null,
          });
        return sendJson(res, 200, {
          object: "list",
          data: modelIds.map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })),
        });
      }
      case "chat":
        entry.status = 200;
        record(entry);
        return completion(res, body, model ?? "fake/model-ok", b.kind === "empty" ? "" : (b.text ?? answer), stream === true);
      default:
        entry.status = 404;
        record(entry);
        return sendJson(res, 404, { error: { message: `fake provider: no route for ${method} ${path}`, code: 404 } });
    }
  }

  function completion(res: ServerResponse, body: Record<string, unknown>, model: string, text: string, stream: boolean): void {
    const promptTokens = estimateTokens(JSON.stringify(body.messages ?? ""));
    const completionTokens = text ? estimateTokens(text) : 0;
    counters.promptTokens += promptTokens;
    counters.completionTokens += completionTokens;
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const id = `chatcmpl-fake${counters.completions}`;
    const created = Math.floor(Date.now() / 1000);
    if (!stream) {
      return sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
        usage,
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }, null));
    const half = Math.ceil(text.length / 2);
    for (const piece of [text.slice(0, half), text.slice(half)]) if (piece) res.write(chunk({ content: piece }, null));
    res.write(chunk({}, "stop"));
    res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`);
    res.end("data: [DONE]\n\n");
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: "fake provider internal error", code: 500 } });
      else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";

  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    counters,
    setKeyBehaviour: (key, b) => void keys.set(key, b),
    setModelBehaviour: (model, b) => void models.set(model, b),
    setUnknownKeyBehaviour: (b) => void (unknownKey = b),
    setLocalBehaviour: (b) => void (local = b),
    reset() {
      requests.length = 0;
      Object.assign(counters, emptyCounters());
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };
}
