// Alert channel configuration and the message that crosses from the planner to the channels.
// Config field names are mirrored by clawpatrol's zod schema (src/config/); keep them flat and simple.
import { join } from "node:path";
import type { Severity } from "../checks/finding.js";

export type ChannelType = "email" | "webhook" | "slack" | "discord" | "ntfy" | "alertmanager" | "telegram" | "mailbox" | "log";

export const CHANNEL_TYPES: readonly ChannelType[] = ["email", "webhook", "slack", "discord", "ntfy", "alertmanager", "telegram", "mailbox", "log"];

interface ChannelBase {
  /** Unique, used in spool paths, logs and `test-alert --channel`. */
  name: string;
  type: ChannelType;
  /** Severities this channel receives. Default: all three (info only ever arrives as the daily digest). */
  severities?: Severity[];
  /** Send a notice when an incident resolves. Default true. */
  sendResolved?: boolean;
  /** Per-attempt timeout, e.g. "10s". Default 10s. */
  timeout?: string | number;
}

export interface EmailChannelConfig extends ChannelBase {
  type: "email";
  host: string;
  /** Default 465 when `secure`, else 587. */
  port?: number;
  /** TLS from the first byte (SMTPS, port 465). Default: port === 465. */
  secure?: boolean;
  /** STARTTLS on a plain connection: "required" (default), "opportunistic", or "off". */
  starttls?: "required" | "opportunistic" | "off";
  username?: string;
  /** Name of an environment variable holding the SMTP password. */
  passwordEnv?: string;
  /** File holding the SMTP password (first line). */
  passwordFile?: string;
  from: string;
  to: string[];
  /** PEM file with an extra CA to trust (self-signed relay). */
  caFile?: string;
  /** Default true. Set false only for a relay on loopback you trust. */
  tlsRejectUnauthorized?: boolean;
}

interface HttpChannelBase extends ChannelBase {
  /** Endpoint URL. Slack/Discord webhook URLs are themselves secrets: prefer urlEnv/urlFile. */
  url?: string;
  urlEnv?: string;
  urlFile?: string;
  /** Extra request headers (never secrets; use tokenEnv/tokenFile for a bearer token). */
  headers?: Record<string, string>;
  /** Bearer token for the endpoint. */
  tokenEnv?: string;
  tokenFile?: string;
}

export interface WebhookChannelConfig extends HttpChannelBase {
  type: "webhook";
  /** HMAC-SHA256 key: adds `X-Clawpatrol-Signature: sha256=<hex>` over "<X-Clawpatrol-Timestamp>.<raw body>". */
  secretEnv?: string;
  secretFile?: string;
}

export interface SlackChannelConfig extends HttpChannelBase {
  type: "slack";
}

export interface DiscordChannelConfig extends HttpChannelBase {
  type: "discord";
}

export interface NtfyChannelConfig extends HttpChannelBase {
  type: "ntfy";
  /** Server base URL; default https://ntfy.sh. */
  url?: string;
  topic: string;
}

export interface AlertmanagerChannelConfig extends HttpChannelBase {
  type: "alertmanager";
  /** Alertmanager base URL, e.g. http://127.0.0.1:9093 (clawpatrol posts to /api/v2/alerts). */
  url?: string;
  /** endsAt of a firing alert = send time + this; reminders refresh it. Default 2 × repeatInterval. */
  endsAfter?: string | number;
  /** Extra labels on every alert, overriding the defaults (e.g. `instance` to match the scrape config). */
  labels?: Record<string, string>;
}

/** Telegram Bot API `sendMessage`, directly (never through the OpenClaw gateway). */
export interface TelegramChannelConfig extends ChannelBase {
  type: "telegram";
  /** The bot token (from @BotFather) in an environment variable or a file. */
  tokenEnv?: string;
  tokenFile?: string;
  /** Numeric chat id (negative for groups) or "@channelname". */
  chatId: string | number;
  /** Bot API root; default https://api.telegram.org (a self-hosted Bot API server, or a test fake). */
  baseUrl?: string;
}

export interface MailboxChannelConfig extends ChannelBase {
  type: "mailbox";
  /** mbox file to append to. Default `<clawpatrol state dir>/alerts.mbox`. */
  path?: string;
  from?: string;
  to?: string;
}

export interface LogChannelConfig extends ChannelBase {
  type: "log";
}

export type ChannelConfig =
  | EmailChannelConfig
  | WebhookChannelConfig
  | SlackChannelConfig
  | DiscordChannelConfig
  | NtfyChannelConfig
  | AlertmanagerChannelConfig
  | TelegramChannelConfig
  | MailboxChannelConfig
  | LogChannelConfig;

/** When and how much is sent. All durations accept "30s", "4h" or milliseconds. */
export interface NotifyPolicy {
  /** Incidents opening within this window for the same agent become one message. Default 30s. */
  groupWait: string | number;
  /** Reminder while still firing. Default 4h. 0 disables reminders. */
  repeatInterval: string | number;
  /** A resolve notice waits this long; a re-open inside it continues the same alert (flap damping). Default 5m. */
  resolveHold: string | number;
  /** Info-severity incidents go into a digest on this cron schedule (node-cron syntax); false disables info alerts. */
  digest: { schedule: string; timezone?: string } | false;
  /** More queued messages than this raises `alert.spool-backlog`. Default 50. */
  spoolCap: number;
  /** A message older than this in the spool also raises `alert.spool-backlog`. Default 1h. */
  spoolMaxAge: string | number;
  /** First retry delay; doubles per failed attempt up to retryMax. Defaults 10s / 15m. */
  retryInitial: string | number;
  retryMax: string | number;
  /** A message still undelivered after this is moved to the dead-letter directory. Default 72h. */
  giveUpAfter: string | number;
}

export const DEFAULT_POLICY: NotifyPolicy = {
  groupWait: "30s",
  repeatInterval: "4h",
  resolveHold: "5m",
  digest: { schedule: "0 8 * * *" },
  spoolCap: 50,
  spoolMaxAge: "1h",
  retryInitial: "10s",
  retryMax: "15m",
  giveUpAfter: "72h",
};

/** The `alerts` section of clawpatrol's config file. */
export interface AlertsConfig extends Partial<NotifyPolicy> {
  channels?: ChannelConfig[];
}

export const DEFAULT_SEVERITIES: Severity[] = ["info", "warning", "critical"];

/**
 * Zero-config (same as src/config/schema.ts DEFAULT_CHANNELS): alerts go to the journal and to a
 * local mbox file (read it with `mail -f <file>` or any mail client).
 */
export function defaultChannels(stateDir: string): ChannelConfig[] {
  return [
    { name: "journal", type: "log" },
    { name: "mailbox", type: "mailbox", path: join(stateDir, "alerts.mbox") },
  ];
}

export type MessageType = "firing" | "reminder" | "resolved" | "digest" | "test";

/** The JSON shape of one incident inside a message (also the webhook schema, version 1). */
export interface IncidentPayload {
  id: string;
  kind: string;
  severity: Severity;
  subjectKey: string;
  subject: Record<string, string>;
  summary: string;
  openedAt: string;
  resolvedAt?: string;
  actions: string[];
  /** The exact command to fix or undo, when clawpatrol knows one. */
  fix?: string;
  findings: { kind: string; severity: Severity; key: string; summary: string; detail?: string; evidence?: Record<string, unknown>; observedAt: string }[];
}

/** A rendered message, channel-independent, already redacted. Stored whole in the spool. */
export interface AlertMessage {
  /** Without the channel: `<leading incident id>:<type>:<reminder n>`. */
  id: string;
  type: MessageType;
  severity: Severity;
  host: string;
  subject: string;
  text: string;
  html: string;
  /** Epoch ms when clawpatrol decided to send it. */
  createdAt: number;
  /** The incident id that started this alert thread (email threading). */
  threadId: string;
  /** Reminder number (0 for firing/resolved). */
  reminder: number;
  incidents: IncidentPayload[];
  /** Incidents held back by inhibition (gateway down), summarised only. */
  suppressed: { id: string; kind: string; summary: string }[];
}

/** What a channel reports after the server accepted a message. */
export interface SendResult {
  /** The server's own words: SMTP response line, "HTTP 200 OK", "appended to …". */
  response: string;
}

export interface Channel {
  readonly name: string;
  readonly type: ChannelType;
  readonly severities: readonly Severity[];
  readonly sendResolved: boolean;
  /** Resolves only when the far side accepted the message; throws ChannelError otherwise. */
  send(message: AlertMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

export class ChannelError extends Error {
  override readonly name = "ChannelError";
}

/** Reported to the health layer after a channel accepted a message (sets notifiedAt etc.). */
export interface NotifiedEvent {
  messageId: string;
  type: MessageType;
  channel: string;
  incidentIds: string[];
  at: number;
}
