// ntfy: JSON publish to the server root (UTF-8 safe, unlike header-based publishing).
import type { AlertMessage, Channel, NtfyChannelConfig } from "../types.js";
import { baseFields, bearer, httpHeaders, resolveUrl, type ChannelDeps } from "./common.js";
import { postBody } from "./http.js";
import { ChannelConfigError } from "../credentials.js";

const PRIORITY: Record<string, number> = { critical: 5, warning: 4, info: 3 };

export function ntfyBody(message: AlertMessage, topic: string): string {
  const body = message.text.split("\n").slice(2).join("\n").trim();
  return JSON.stringify({
    topic,
    title: message.subject,
    message: body.slice(0, 3900),
    priority: message.type === "resolved" ? 3 : (PRIORITY[message.severity] ?? 3),
    tags: [message.type === "resolved" ? "white_check_mark" : message.severity === "critical" ? "rotating_light" : "warning", "clawpatrol"],
  });
}

export function createNtfyChannel(config: NtfyChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  if (!config.topic) throw new ChannelConfigError(`alert channel "${config.name}": ntfy needs a topic`);
  const url = resolveUrl(config, deps, "https://ntfy.sh");
  const token = bearer(config, deps);
  return {
    ...base,
    type: "ntfy",
    send: (message) => postBody(url, ntfyBody(message, config.topic), httpHeaders(config.headers, token), base.timeoutMs),
  };
}
