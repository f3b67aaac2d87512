// Telegram alerts through a loopback fake Bot API: received once, escaped for HTML mode, within
// 4096 characters, retried through the spool, and the bot token never in any log, file or error.
import { describe, it, expect, beforeEach, afterEach } from "@jest/globals";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { ManualClock } from "../../../src/util/clock.js";
import { createLogger } from "../../../src/util/log.js";
import { createChannels } from "../../../src/notify/channels/index.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import { telegramBody, TELEGRAM_MAX_TEXT } from "../../../src/notify/channels/telegram.js";
import type { AlertMessage, ChannelConfig } from "../../../src/notify/types.js";
import { LEAKED_KEY, T0, incident, opened, resolved } from "../../unit/notify/fixtures.js";
import { FakeTelegram } from "./fake-telegram.js";

const BOT_TOKEN = "7012345678:AAFake-Telegram-Bot-Token-For-Tests-Only_x9";
const MIN = 60_000;

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { lines, logger: createLogger({ level: "debug", destination: stream as never }) };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("telegram alerts to a loopback Bot API", () => {
  let bot: FakeTelegram;
  let stateDir: string;
  beforeEach(async () => {
    bot = await new FakeTelegram(BOT_TOKEN).start();
    stateDir = mkdtempSync(join(tmpdir(), "cp-telegram-"));
  });
  afterEach(() => bot.stop());

  const config = (extra: Partial<ChannelConfig> = {}): ChannelConfig => ({ name: "tg", type: "telegram", tokenEnv: "CP_TG_TOKEN", chatId: -1001234567890, baseUrl: bot.url, ...extra }) as ChannelConfig;

  it("delivers a firing and a resolved alert once each, HTML-escaped, with the token only in the request path", async () => {
    const log = captureLog();
    const { channels, problems } = createChannels([config()], { env: { CP_TG_TOKEN: BOT_TOKEN }, stateDir, logger: log.logger, repeatIntervalMs: 4 * 3_600_000 });
    expect(problems).toEqual([]);
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-b", scheduler: false, logger: log.logger, policy: { groupWait: 0, resolveHold: 0 } });
    const inc = incident({ id: "inc-tg", summary: "OpenRouter answers <html> 401 & the stored key is rejected" });
    await d.onTransition(opened(inc));
    clock.advance(MIN);
    await d.onTransition(resolved(inc, clock.now()));
    await d.tick();
    await d.close();

    expect(bot.refused).toEqual([]);
    expect(bot.accepted).toHaveLength(2);
    const [firing, resolvedMsg] = bot.accepted;
    expect(firing!.chat_id).toBe(-1001234567890);
    expect(firing!.parse_mode).toBe("HTML");
    expect(firing!.text).toMatch(/^<b>main on host-b: OpenRouter answers &lt;html&gt; 401 &amp; the stored key is rejected<\/b>\n\n<pre>/);
    expect(firing!.disable_notification).toBe(false);
    expect(resolvedMsg!.text).toMatch(/^<b>Resolved — main on host-b/);
    expect(resolvedMsg!.disable_notification).toBe(true);
    const everything = [...log.lines, JSON.stringify(bot.accepted), ...files(stateDir).map((f) => readFileSync(f, "utf8"))].join("\n");
    expect(everything).not.toContain(BOT_TOKEN);
    expect(everything).not.toContain(LEAKED_KEY);
  });

  it("retries through the spool when Telegram is down or rate-limits, and the message arrives once", async () => {
    bot.failNext = { count: 2, status: 502 };
    const log = captureLog();
    const { channels } = createChannels([config()], { env: { CP_TG_TOKEN: BOT_TOKEN }, stateDir, logger: log.logger, repeatIntervalMs: 4 * 3_600_000 });
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-b", scheduler: false, logger: log.logger, policy: { groupWait: 0 } });
    await d.onTransition(opened(incident({ id: "inc-retry" })));
    expect(bot.accepted).toHaveLength(0);
    expect(d.spoolDepth()).toBe(1);
    expect(d.spoolStatus().channels.tg!.lastError).toBe('HTTP 502 Bad Gateway: {"ok":false,"error_code":502,"description":"Bad Gateway"}');
    for (let i = 0; i < 4 && bot.accepted.length === 0; i++) {
      clock.advance(16 * MIN);
      await d.tick();
    }
    bot.failNext = { count: 1, status: 429 };
    await d.onTransition(opened(incident({ id: "inc-retry-2", agent: "research" })));
    for (let i = 0; i < 4 && bot.accepted.length < 2; i++) {
      clock.advance(16 * MIN);
      await d.tick();
    }
    await d.close();
    expect(bot.refused.map((r) => r.status)).toEqual([502, 502, 429]);
    expect(bot.accepted.map((m) => /^<b>(\S+)/.exec(m.text)?.[1])).toEqual(["main", "research"]);
    expect(d.spoolDepth()).toBe(0);
    expect(log.lines.join("")).not.toContain(BOT_TOKEN);
  });

  it("reports a wrong token as Telegram's 401 without printing the token", async () => {
    const wrong = "7012345678:AAWrong-Token-For-Tests-Only-zz";
    const log = captureLog();
    const { channels } = createChannels([config()], { env: { CP_TG_TOKEN: wrong }, stateDir, logger: log.logger, repeatIntervalMs: 1 });
    const error = await channels[0]!.send(testMessage("x")).then(() => "", (e: Error) => e.message);
    expect(error).toBe('HTTP 401 Unauthorized: {"ok":false,"error_code":401,"description":"Unauthorized"}');
    expect(error + log.lines.join("")).not.toContain(wrong);
  });

  it("reads the token from tokenFile and names the channel when the token or chat id is missing", () => {
    const tokenFile = join(stateDir, "tg-token");
    writeFileSync(tokenFile, BOT_TOKEN + "\n", { mode: 0o600 });
    const deps = { env: {}, stateDir, logger: captureLog().logger, repeatIntervalMs: 1 };
    expect(createChannels([config({ tokenEnv: undefined, tokenFile } as Partial<ChannelConfig>)], deps).problems).toEqual([]);
    expect(createChannels([config({ tokenEnv: undefined } as Partial<ChannelConfig>)], deps).problems).toEqual([
      'alert channel "tg": telegram needs the bot token — set tokenEnv or tokenFile (from @BotFather)',
    ]);
    expect(createChannels([config({ chatId: "" } as Partial<ChannelConfig>)], { ...deps, env: { CP_TG_TOKEN: BOT_TOKEN } }).problems).toEqual([
      'alert channel "tg": telegram needs chatId (a numeric chat id or @channelname)',
    ]);
  });

  it("keeps a huge alert within Telegram's 4096 characters, and Telegram accepts it", async () => {
    const huge = testMessage("x".repeat(10_000) + " <&> tail");
    const body = JSON.parse(telegramBody(huge, 42));
    const visible = body.text.replace(/<\/?(b|pre)>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    expect(visible.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
    expect(visible).toContain("(truncated; the full text is in clawpatrol status)");
    const { channels } = createChannels([config()], { env: { CP_TG_TOKEN: BOT_TOKEN }, stateDir, logger: captureLog().logger, repeatIntervalMs: 1 });
    await channels[0]!.send(huge);
    expect(bot.accepted).toHaveLength(1);
  });
});

function testMessage(body: string): AlertMessage {
  return {
    id: "m:test:0", type: "test", severity: "warning", host: "host-b", subject: "a <test> & more", text: `subject\n\n${body}`, html: "",
    createdAt: T0, threadId: "m", reminder: 0, incidents: [], suppressed: [],
  };
}
