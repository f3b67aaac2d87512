// `clawpatrol test-alert`: sends a real test message through each configured alert channel (or one,
// with --channel) right now, bypassing the spool, and prints what each server answered.
// Exit 0 when every channel accepted, 1 when one failed, 3 when the config cannot be used.
import type { Command } from "commander";
import { hostname } from "node:os";
import { Writable } from "node:stream";
import { loadConfig, ConfigError } from "../config/load.js";
import { createLogger } from "../util/log.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { createChannels } from "../notify/channels/index.js";
import { renderMessage } from "../notify/render.js";
import type { ChannelConfig } from "../notify/types.js";

export interface TestAlertOptions {
  channel?: string;
  config?: string;
}

export interface TestAlertIO {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => number;
  host?: string;
}

export async function runTestAlert(options: TestAlertOptions, io: TestAlertIO): Promise<number> {
  let configs: ChannelConfig[];
  let repeatIntervalMs: number;
  try {
    const loaded = loadConfig(options.config, io.env);
    configs = loaded.config.alerts.channels;
    repeatIntervalMs = loaded.config.alerts.repeatInterval;
    if (loaded.source === "defaults") io.out(`no config file at ${loaded.path}; testing the default channels\n`);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`clawpatrol: ${err.issues.join("\n")}\n`);
      return 3;
    }
    throw err;
  }
  if (options.channel) {
    const all = configs;
    configs = all.filter((c) => c.name === options.channel);
    if (!configs.length) {
      io.err(`clawpatrol: no alert channel named "${options.channel}" (configured: ${all.map((c) => c.name).join(", ") || "none"})\n`);
      return 3;
    }
  }
  if (!configs.length) {
    io.err("clawpatrol: alerts.channels is empty — add a channel (see config/clawpatrol.example.json5)\n");
    return 3;
  }
  // The log channel writes JSON lines; keep them off stdout so the report stays readable.
  const logger = createLogger({ destination: new Writable({ write: (chunk, _e, cb) => (io.err(String(chunk)), cb()) }) as never });
  const { channels, problems } = createChannels(configs, {
    env: io.env,
    stateDir: clawpatrolStateDir(io.env),
    logger,
    repeatIntervalMs,
    now: io.now,
  });
  let failed = problems.length;
  for (const p of problems) io.out(`FAIL  ${p}\n`);
  const host = io.host ?? hostname();
  for (const channel of channels) {
    const message = renderMessage({ type: "test", host, incidents: [], createdAt: io.now(), threadId: `test-${io.now()}`, channel: channel.name });
    try {
      const result = await channel.send(message);
      io.out(`ok    ${channel.name} (${channel.type}): ${result.response}\n`);
    } catch (err) {
      failed++;
      io.out(`FAIL  ${channel.name} (${channel.type}): ${(err as Error).message}\n`);
    } finally {
      await channel.close?.().catch(() => undefined);
    }
  }
  // A channel that cannot deliver is what this test is for: CRITICAL.
  return failed ? 2 : 0;
}

export function registerTestAlert(program: Command): void {
  program
    .command("test-alert")
    .description("send a real test message through each configured alert channel and show what the server answered")
    .option("--channel <name>", "only this channel")
    .option("--config <file>", "clawpatrol config file (default: ~/.config/clawpatrol/config.json5)")
    .action(async (options: TestAlertOptions) => {
      process.exitCode = await runTestAlert(options, {
        env: process.env,
        out: (t) => void process.stdout.write(t),
        err: (t) => void process.stderr.write(t),
        now: () => Date.now(),
      });
    });
}
