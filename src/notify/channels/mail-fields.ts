// Mail headers shared by the SMTP and mbox channels: deterministic Message-ID per message and
// channel, and In-Reply-To/References so reminders and resolve notices thread under the firing mail.
import type { AlertMessage } from "../types.js";

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, "-");
}

export function messageIdFor(threadId: string, type: string, n: number, channel: string, host: string): string {
  return `<${safe(threadId)}.${type}.${n}.${safe(channel)}@clawpatrol.${safe(host) || "localhost"}>`;
}

export function mailFields(message: AlertMessage, channel: string) {
  const messageId = messageIdFor(message.threadId, message.type, message.reminder, channel, message.host);
  const threaded = message.type === "reminder" || message.type === "resolved";
  const root = messageIdFor(message.threadId, "firing", 0, channel, message.host);
  return {
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId,
    date: new Date(message.createdAt),
    ...(threaded ? { inReplyTo: root, references: [root] } : {}),
    headers: {
      "Auto-Submitted": "auto-generated",
      "X-Clawpatrol-Id": `${message.id}:${channel}`,
      "X-Clawpatrol-Severity": message.severity,
      "X-Clawpatrol-Type": message.type,
    },
  };
}
