// Outages of the alert path itself: every message arrives exactly once, in order, and the spool
// ends empty — whether the SMTP server is down, the webhook answers 500, or clawpatrol restarts.
import { describe, it, expect, afterEach } from "@jest/globals";
import { cpSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { ManualClock } from "../../../src/util/clock.js";
import { createLogger, silentLogger } from "../../../src/util/log.js";
import { createChannels } from "../../../src/notify/channels/index.js";
import { createDispatcher, type Dispatcher } from "../../../src/notify/dispatcher.js";
import type { ChannelConfig, NotifiedEvent } from "../../../src/notify/types.js";
import { LEAKED_KEY, SMTP_PASSWORD, T0, WEBHOOK_SECRET, incident, opened, resolved } from "../../unit/notify/fixtures.js";
import { TestHttp, TestSmtp, header } from "./servers.js";

const MIN = 60_000;
const env = { CP_SMTP_PASS: SMTP_PASSWORD, CP_HOOK_SECRET: WEBHOOK_SECRET };

function files(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { lines, logger: createLogger({ level: "debug", destination: stream as never }) };
}

/** Three agents' incidents open a minute apart; the first resolves; ids and order we expect. */
async function scenario(d: Dispatcher, clock: ManualClock) {
  const a = incident({ id: "inc-a", agent: "main" });
  const b = incident({ id: "inc-b", agent: "research", kind: "probe.failed", severity: "warning", summary: "Anthropic answers 529 overloaded", at: T0 + MIN });
  const c = incident({ id: "inc-c", agent: "coder", kind: "run.stuck", severity: "critical", summary: "a run has been active for 41 min", at: T0 + 2 * MIN });
  await d.onTransition(opened(a));
  clock.set(T0 + MIN);
  await d.onTransition(opened(b));
  await d.tick();
  clock.set(T0 + 2 * MIN);
  await d.onTransition(opened(c));
  await d.tick();
  clock.set(T0 + 3 * MIN);
  await d.onTransition(resolved(a, clock.now()));
  await d.tick();
  clock.set(T0 + 9 * MIN); // past resolveHold (5m)
  await d.tick();
  return ["inc-a:firing:0", "inc-b:firing:0", "inc-c:firing:0", "inc-a:resolved:0"];
}

describe("alert delivery survives outages of the alert path", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
  });

  it("delivers every email exactly once and in order after the SMTP server comes back", async () => {
    const smtp = await new TestSmtp({ users: { alerts: SMTP_PASSWORD } }).start();
    cleanup.push(() => smtp.stop());
    const port = smtp.port;
    await smtp.stop(); // the mail relay is down
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const config: ChannelConfig = { name: "mail", type: "email", host: "127.0.0.1", port, starttls: "off", username: "alerts", passwordEnv: "CP_SMTP_PASS", from: "cp@host-a", to: ["ops@example.org"] };
    const { channels } = createChannels([config], { env, stateDir, logger: silentLogger, repeatIntervalMs: 4 * 3_600_000 });
    const clock = new ManualClock(T0);
    const log = captureLog();
    const notified: NotifiedEvent[] = [];
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, logger: log.logger, onNotified: (e) => void notified.push(e) });
    const expected = await scenario(d, clock);
    expect(smtp.mails).toHaveLength(0);
    expect(d.spoolDepth()).toBe(4);
    expect(notified).toEqual([]); // nothing counts as notified before a channel accepted it
    expect(d.spoolStatus().channels.mail!.lastError).toMatch(/ECONNREFUSED/);

    await smtp.start(); // same port
    clock.set(T0 + 60 * MIN); // past any backoff
    await d.tick();
    await d.tick(); // a second tick must not resend anything
    await d.close();

    expect(smtp.mails.map((m) => header(m.raw, "X-Clawpatrol-Id"))).toEqual(expected.map((id) => `${id}:mail`));
    expect(smtp.mails.every((m) => m.user === "alerts")).toBe(true);
    expect(files(join(stateDir, "notify", "spool"))).toEqual([]);
    expect(notified.map((e) => `${e.messageId}`)).toEqual(expected.map((id) => `${id}:mail`));
    for (const secret of [LEAKED_KEY, SMTP_PASSWORD]) {
      expect(log.lines.join("")).not.toContain(secret);
      for (const m of smtp.mails) expect(m.raw).not.toContain(secret);
      for (const f of files(stateDir)) expect(readFileSync(f, "utf8")).not.toContain(secret);
    }
    expect(log.lines.join("")).toContain("alert not accepted; will retry");
  });

  it("delivers every webhook exactly once and in order after 500s turn into 200s", async () => {
    const http = await new TestHttp().start();
    cleanup.push(() => http.stop());
    http.status = 500;
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const { channels } = createChannels([{ name: "hook", type: "webhook", url: http.url(), secretEnv: "CP_HOOK_SECRET" }], { env, stateDir, logger: silentLogger, repeatIntervalMs: 1 });
    const clock = new ManualClock(T0);
    const log = captureLog();
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, logger: log.logger });
    const expected = await scenario(d, clock);
    expect(http.rejected.length).toBeGreaterThan(0);
    // a failing head blocks the channel: later messages wait so order is kept
    expect(new Set(http.rejected.map((r) => JSON.parse(r.body).id))).toEqual(new Set(["inc-a:firing:0:hook"]));
    expect(d.spoolStatus().channels.hook!.lastError).toBe("HTTP 500 Internal Server Error: upstream broken");
    http.status = 200;
    clock.set(T0 + 60 * MIN);
    await d.tick();
    await d.close();
    expect(http.requests.map((r) => JSON.parse(r.body).id)).toEqual(expected.map((id) => `${id}:hook`));
    expect(d.spoolDepth()).toBe(0);
    expect(files(join(stateDir, "notify", "spool"))).toEqual([]);
    for (const secret of [LEAKED_KEY, WEBHOOK_SECRET]) {
      expect(log.lines.join("")).not.toContain(secret);
      expect(JSON.stringify(http.requests) + JSON.stringify(http.rejected)).not.toContain(secret);
      for (const f of files(stateDir)) expect(readFileSync(f, "utf8")).not.toContain(secret);
    }
  });

  it("resumes the spool after clawpatrol restarts mid-outage, without duplicates", async () => {
    const http = await new TestHttp().start();
    cleanup.push(() => http.stop());
    http.status = 503;
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const build = () => createChannels([{ name: "hook", type: "webhook", url: http.url(), secretEnv: "CP_HOOK_SECRET" }], { env, stateDir, logger: silentLogger, repeatIntervalMs: 1 }).channels;
    const clock = new ManualClock(T0);
    const first = await createDispatcher({ channels: build(), stateDir, clock, host: "host-a", scheduler: false });
    const expected = await scenario(first, clock);
    // one more incident opens just before the restart, still inside groupWait
    const late = incident({ id: "inc-d", agent: "ops", summary: "gateway config is stale", kind: "gateway.config-stale", severity: "warning", at: clock.now() });
    await first.onTransition(opened(late));
    await first.close();

    http.status = 200;
    clock.advance(60 * MIN);
    const second = await createDispatcher({ channels: build(), stateDir, clock, host: "host-a", scheduler: false });
    // the health layer replays what it has open; nothing already sent or queued goes out twice
    await second.reconcile([incident({ id: "inc-b", agent: "research", kind: "probe.failed", severity: "warning", at: T0 + MIN }), incident({ id: "inc-c", agent: "coder", kind: "run.stuck", at: T0 + 2 * MIN }), late]);
    await second.tick();
    const ids = http.requests.map((r) => JSON.parse(r.body).id);
    expect(ids).toEqual([...expected, "inc-d:firing:0"].map((id) => `${id}:hook`));
    expect(second.spoolDepth()).toBe(0);

    // crash window: the send succeeded but the spool file survived; the next start must not resend
    await second.close();
    const snapshot = mkdtempSync(join(tmpdir(), "cp-spool-copy-"));
    http.status = 500;
    const third = await createDispatcher({ channels: build(), stateDir, clock, host: "host-a", scheduler: false, policy: { repeatInterval: 4 * 3_600_000 } });
    clock.advance(4 * 3_600_000); // reminders for b, c, d come due, but the webhook is failing
    await third.tick();
    await third.close();
    cpSync(join(stateDir, "notify", "spool"), snapshot, { recursive: true });
    http.status = 200;
    clock.advance(60 * MIN);
    const fourth = await createDispatcher({ channels: build(), stateDir, clock, host: "host-a", scheduler: false });
    await fourth.close();
    const afterReminders = http.requests.length;
    cpSync(snapshot, join(stateDir, "notify", "spool"), { recursive: true }); // resurrect delivered files
    const fifth = await createDispatcher({ channels: build(), stateDir, clock, host: "host-a", scheduler: false });
    await fifth.close();
    expect(http.requests.length).toBe(afterReminders);
    expect(fifth.spoolDepth()).toBe(0);
    const all = http.requests.map((r) => JSON.parse(r.body).id as string);
    expect(all).toEqual([...expected, "inc-d:firing:0", "inc-b:reminder:1", "inc-c:reminder:1", "inc-d:reminder:1"].map((id) => `${id}:hook`));
  });
});
