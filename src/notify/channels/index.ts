// Builds channels from config. A bad channel is reported as one line and skipped; the rest still work.
import { ChannelConfigError } from "../credentials.js";
import { CHANNEL_TYPES, type Channel, type ChannelConfig } from "../types.js";
import type { ChannelDeps } from "./common.js";
import { createAlertmanagerChannel } from "./alertmanager.js";
import { createDiscordChannel } from "./discord.js";
import { createEmailChannel } from "./email.js";
import { createLogChannel } from "./log.js";
import { createMailboxChannel } from "./mailbox.js";
import { createNtfyChannel } from "./ntfy.js";
import { createSlackChannel } from "./slack.js";
import { createTelegramChannel } from "./telegram.js";
import { createWebhookChannel } from "./webhook.js";

export type { ChannelDeps } from "./common.js";

export function createChannel(config: ChannelConfig, deps: ChannelDeps): Channel {
  switch (config.type) {
    case "email": return createEmailChannel(config, deps);
    case "webhook": return createWebhookChannel(config, deps);
    case "slack": return createSlackChannel(config, deps);
    case "discord": return createDiscordChannel(config, deps);
    case "ntfy": return createNtfyChannel(config, deps);
    case "alertmanager": return createAlertmanagerChannel(config, deps);
    case "telegram": return createTelegramChannel(config, deps);
    case "mailbox": return createMailboxChannel(config, deps);
    case "log": return createLogChannel(config, deps);
    default:
      throw new ChannelConfigError(
        `alert channel "${(config as { name?: string }).name ?? "?"}": unknown type "${(config as { type?: string }).type}" — use one of ${CHANNEL_TYPES.join(", ")}`,
      );
  }
}

export interface BuiltChannels {
  channels: Channel[];
  /** One line per channel that could not be built (name, field, fix). */
  problems: string[];
}

export function createChannels(configs: readonly ChannelConfig[], deps: ChannelDeps): BuiltChannels {
  const channels: Channel[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, config] of configs.entries()) {
    const name = config?.name;
    if (!name || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
      problems.push(`alert channel #${i + 1}: name "${name ?? ""}" must be 1-64 letters, digits, ".", "_" or "-"`);
      continue;
    }
    if (seen.has(name)) {
      problems.push(`alert channel "${name}": the name is used twice — names must be unique`);
      continue;
    }
    seen.add(name);
    try {
      channels.push(createChannel(config, deps));
    } catch (err) {
      problems.push(err instanceof ChannelConfigError ? err.message : `alert channel "${name}": ${(err as Error).message}`);
    }
  }
  return { channels, problems };
}
