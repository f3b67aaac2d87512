// Discord webhook: {"content": …}, at most 2000 characters.
import type { AlertMessage, Channel, DiscordChannelConfig } from "../types.js";
import { baseFields, bearer, httpHeaders, resolveUrl, type ChannelDeps } from "./common.js";
import { postBody } from "./http.js";

export function discordBody(message: AlertMessage): string {
  const body = message.text.split("\n").slice(2).join("\n").trim().replace(/```/g, "'''");
  const head = `**${message.subject}**\n`;
  const room = 2000 - head.length - 8;
  return JSON.stringify({ content: `${head}\`\`\`\n${body.length > room ? body.slice(0, room - 1) + "…" : body}\`\`\``, allowed_mentions: { parse: [] } });
}

export function createDiscordChannel(config: DiscordChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const url = resolveUrl(config, deps);
  const token = bearer(config, deps);
  return {
    ...base,
    type: "discord",
    send: (message) => postBody(url, discordBody(message), httpHeaders(config.headers, token), base.timeoutMs),
  };
}
