// Telegram: Bot API sendMessage, straight to api.telegram.org (or `baseUrl`) — never through the
// OpenClaw gateway being watched, so a broken gateway cannot swallow the alert about itself.
// HTML parse mode: only &, < and > need escaping, and the text fits Telegram's 4096-character
// limit (counted after entity parsing, so the limit applies to the unescaped text).
import type { AlertMessage, Channel, TelegramChannelConfig } from "../types.js";
import { baseFields, type ChannelDeps } from "./common.js";
import { postBody } from "./http.js";
import { resolveCredential, ChannelConfigError } from "../credentials.js";

export const TELEGRAM_MAX_TEXT = 4096;
const TRUNCATED = "\n… (truncated; the full text is in clawpatrol status)";

export const escapeTelegramHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** sendMessage body: bold subject, the plain-text body as preformatted text, both within limits. */
export function telegramBody(message: AlertMessage, chatId: string | number): string {
  const subject = message.subject.slice(0, 256);
  const body = message.text.split("\n").slice(2).join("\n").trim();
  const room = TELEGRAM_MAX_TEXT - subject.length - 2;
  const shown = body.length > room ? body.slice(0, room - TRUNCATED.length) + TRUNCATED : body;
  const text = `<b>${escapeTelegramHtml(subject)}</b>${shown ? `\n\n<pre>${escapeTelegramHtml(shown)}</pre>` : ""}`;
  return JSON.stringify({ chat_id: chatId, text, parse_mode: "HTML", disable_web_page_preview: true, disable_notification: message.type === "resolved" || message.severity === "info" });
}

export function createTelegramChannel(config: TelegramChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const token = resolveCredential(config.name, "token", config.tokenEnv, config.tokenFile, deps);
  if (!token) throw new ChannelConfigError(`alert channel "${config.name}": telegram needs the bot token — set tokenEnv or tokenFile (from @BotFather)`);
  if (config.chatId === undefined || String(config.chatId).trim() === "") throw new ChannelConfigError(`alert channel "${config.name}": telegram needs chatId (a numeric chat id or @channelname)`);
  const root = (config.baseUrl ?? "https://api.telegram.org").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(root)) throw new ChannelConfigError(`alert channel "${config.name}": baseUrl must be http:// or https://`);
  return {
    ...base,
    type: "telegram",
    // The token is part of the URL path (Bot API design); postBody never reports the URL, and the
    // token is a Secret, so redactText scrubs it from anything Telegram echoes back.
    send: (message) => postBody(`${root}/bot${token.reveal()}/sendMessage`, telegramBody(message, config.chatId), { "content-type": "application/json", "user-agent": "clawpatrol" }, base.timeoutMs),
  };
}
