// Generic JSON webhook, schema 1 (documented in docs/alerts-webhook.md), optionally HMAC-signed.
import { createHmac, timingSafeEqual } from "node:crypto";
import { resolveCredential } from "../credentials.js";
import type { AlertMessage, Channel, WebhookChannelConfig } from "../types.js";
import { baseFields, bearer, httpHeaders, resolveUrl, type ChannelDeps } from "./common.js";
import { postBody } from "./http.js";

export const WEBHOOK_SCHEMA_VERSION = 1;

/** The body clawpatrol posts. Deterministic for one spooled message, so retries carry identical bytes. */
export function webhookBody(message: AlertMessage, channel: string): string {
  return JSON.stringify({
    schema: WEBHOOK_SCHEMA_VERSION,
    source: "clawpatrol",
    id: `${message.id}:${channel}`,
    type: message.type,
    severity: message.severity,
    host: message.host,
    subject: message.subject,
    text: message.text,
    createdAt: new Date(message.createdAt).toISOString(),
    threadId: message.threadId,
    reminder: message.reminder,
    incidents: message.incidents,
    suppressed: message.suppressed,
  });
}

/**
 * Receivers reject a request whose X-Clawpatrol-Timestamp is further than this from their clock
 * (docs/alerts-webhook.md): a captured request cannot be replayed later.
 */
export const WEBHOOK_REPLAY_WINDOW_SECONDS = 300;

/** `sha256=<hex>` of HMAC-SHA256 over "<unix seconds>.<raw body>" (the timestamp is signed too). */
export function signBody(body: string, secret: string, timestampSeconds: number): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`, "utf8").digest("hex")}`;
}

/** What a receiver does: the signature matches and the timestamp is within the replay window. */
export function verifyWebhook(body: string, signature: string | undefined, timestamp: string | undefined, secret: string, nowSeconds: number): boolean {
  const ts = Number(timestamp);
  if (!signature || !Number.isInteger(ts) || Math.abs(nowSeconds - ts) > WEBHOOK_REPLAY_WINDOW_SECONDS) return false;
  const want = Buffer.from(signBody(body, secret, ts));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export function createWebhookChannel(config: WebhookChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const url = resolveUrl(config, deps);
  const secret = resolveCredential(config.name, "secret", config.secretEnv, config.secretFile, deps);
  const token = bearer(config, deps);
  return {
    ...base,
    type: "webhook",
    async send(message) {
      const body = webhookBody(message, config.name);
      const headers = httpHeaders(config.headers, token);
      headers["x-clawpatrol-id"] = `${message.id}:${config.name}`;
      headers["x-clawpatrol-schema"] = String(WEBHOOK_SCHEMA_VERSION);
      // Taken at send time, so every retry of a spooled message is stamped and signed afresh.
      const ts = Math.floor((deps.now ?? Date.now)() / 1000);
      headers["x-clawpatrol-timestamp"] = String(ts);
      if (secret) headers["x-clawpatrol-signature"] = signBody(body, secret.reveal(), ts);
      return postBody(url, body, headers, base.timeoutMs);
    },
  };
}
