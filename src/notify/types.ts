// Alert channel configuration and the message that crosses from the planner to the channels.
// The channel and policy types are clawpatrol's config schema's (src/config/schema.ts), parsed:
// durations are milliseconds.
import type { Severity } from "../checks/finding.js";
import type { ChannelConfig, ClawpatrolConfig } from "../config/schema.js";
import { DEFAULTS } from "../config/defaults.js";

export type { ChannelConfig };

export const CHANNEL_TYPES = ["email", "webhook", "slack", "discord", "ntfy", "alertmanager", "telegram", "mailbox", "log"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

type ChannelOf<T extends ChannelType> = Extract<ChannelConfig, { type: T }>;
export type EmailChannelConfig = ChannelOf<"email">;
export type WebhookChannelConfig = ChannelOf<"webhook">;
export type SlackChannelConfig = ChannelOf<"slack">;
export type DiscordChannelConfig = ChannelOf<"discord">;
export type NtfyChannelConfig = ChannelOf<"ntfy">;
export type AlertmanagerChannelConfig = ChannelOf<"alertmanager">;
export type TelegramChannelConfig = ChannelOf<"telegram">;
export type MailboxChannelConfig = ChannelOf<"mailbox">;
export type LogChannelConfig = ChannelOf<"log">;

/**
 * When and how much is sent (`alerts.*` without the channels; durations in ms): groupWait merges
 * incidents of one agent into one message, repeatInterval reminds while firing (0: never),
 * resolveHold damps flaps, digest batches info, spoolCap/spoolMaxAge raise alert.spool-backlog,
 * retryInitial doubles up to retryMax, giveUpAfter dead-letters a message.
 */
export type NotifyPolicy = Omit<ClawpatrolConfig["alerts"], "channels">;

export const DEFAULT_POLICY: Readonly<NotifyPolicy> = (({ channels: _channels, ...policy }) => policy)(DEFAULTS.alerts);

export const DEFAULT_SEVERITIES: Severity[] = ["info", "warning", "critical"];

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
