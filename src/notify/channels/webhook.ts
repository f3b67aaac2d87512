// Generic JSON webhook, schema 1 (documented in docs/alerts-webhook.md), optionally HMAC-signed.
import { createHmac } from "node:crypto";
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

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
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
      if (secret) headers["x-clawpatrol-signature"] = signBody(body, secret.reveal());
      return postBody(url, body, headers, base.timeoutMs);
    },
  };
}
