// Slack incoming webhook: {"text": …} with Slack's mrkdwn escaping.
import type { AlertMessage, Channel, SlackChannelConfig } from "../types.js";
import { baseFields, bearer, httpHeaders, resolveUrl, type ChannelDeps } from "./common.js";
import { postBody } from "./http.js";

const ICON: Record<string, string> = { critical: ":red_circle:", warning: ":large_orange_circle:", info: ":information_source:" };

export function slackBody(message: AlertMessage): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const icon = message.type === "resolved" ? ":white_check_mark:" : (ICON[message.severity] ?? "");
  const body = message.text.split("\n").slice(2).join("\n").trim();
  return JSON.stringify({ text: `${icon} *${esc(message.subject)}*\n\`\`\`${esc(body).slice(0, 3500)}\`\`\`` });
}

export function createSlackChannel(config: SlackChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const url = resolveUrl(config, deps);
  const token = bearer(config, deps);
  return {
    ...base,
    type: "slack",
    send: (message) => postBody(url, slackBody(message), httpHeaders(config.headers, token), base.timeoutMs),
  };
}
