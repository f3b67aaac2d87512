// Grep everything clawpatrol's alert path produced — every message on every channel, every log
// line, every file in its state dir — for the raw secrets that were around while it ran.
import { describe, it, expect } from "@jest/globals";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { ManualClock } from "../../../src/util/clock.js";
import { createLogger } from "../../../src/util/log.js";
import { createChannels } from "../../../src/notify/channels/index.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import type { ChannelConfig } from "../../../src/notify/types.js";
import { LEAKED_KEY, SMTP_PASSWORD, T0, WEBHOOK_SECRET, incident, opened, resolved } from "../../unit/notify/fixtures.js";
import { TestHttp, TestSmtp } from "./servers.js";

const ANTHROPIC_KEY = "sk-ant-api03-" + "Zx9".repeat(30);
const NTFY_TOKEN = "tk_ntfy_8c1f0e2d3b4a59687766";

describe("no secret leaves through the alert path", () => {
  it("keeps provider keys, the SMTP password and the webhook secret out of messages, logs and the spool", async () => {
    const smtp = await new TestSmtp({ users: { alerts: SMTP_PASSWORD } }).start();
    const http = await new TestHttp().start();
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const lines: string[] = [];
    const logger = createLogger({ level: "trace", destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) as never });
    const env = { CP_SMTP_PASS: SMTP_PASSWORD, CP_HOOK_SECRET: WEBHOOK_SECRET, CP_NTFY: NTFY_TOKEN };
    const configs: ChannelConfig[] = [
      { name: "mail", type: "email", host: "127.0.0.1", port: smtp.port, starttls: "off", username: "alerts", passwordEnv: "CP_SMTP_PASS", from: "cp@h", to: ["o@x.org"] },
      { name: "hook", type: "webhook", url: http.url("/hook"), secretEnv: "CP_HOOK_SECRET" },
      { name: "slack", type: "slack", url: http.url("/slack") },
      { name: "ntfy", type: "ntfy", url: http.url("/"), topic: "t", tokenEnv: "CP_NTFY" },
      { name: "am", type: "alertmanager", url: http.url("") },
      { name: "journal", type: "log" },
      { name: "mbox", type: "mailbox" },
    ];
    const { channels, problems } = createChannels(configs, { env, stateDir, logger, repeatIntervalMs: 4 * 3_600_000 });
    expect(problems).toEqual([]);
    const clock = new ManualClock(T0);
    http.status = 500; // first attempts fail, so error paths get logged and spool files rewritten
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, logger, policy: { groupWait: 0, resolveHold: 0 } });
    const leaky = incident({
      id: "inc-leak",
      summary: `OpenRouter rejects key ${LEAKED_KEY} (401)`,
      detail: `export OPENROUTER_API_KEY=${LEAKED_KEY}  # then: openclaw gateway restart`,
      actions: [`retried with ${ANTHROPIC_KEY}`],
      evidence: { status: 401, body: `{"error":"invalid key ${LEAKED_KEY}"}`, token: ANTHROPIC_KEY, nested: { headers: { authorization: `Bearer ${ANTHROPIC_KEY}` } } },
    });
    await d.onTransition(opened(leaky));
    clock.advance(60_000);
    await d.onTransition(resolved(leaky, clock.now()));
    http.status = 200;
    clock.advance(3_600_000);
    await d.tick();
    await d.close();
    await smtp.stop();
    await http.stop();

    expect(smtp.mails).toHaveLength(2);
    expect(http.requests.length).toBeGreaterThanOrEqual(8); // hook, slack, ntfy, am × firing + resolved
    expect(d.spoolDepth()).toBe(0);
    const files = readdirSync(stateDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(files.some((f) => f.endsWith("alerts.mbox"))).toBe(true);
    const everything = [
      ...smtp.mails.map((m) => m.raw),
      // the one legitimate place for a credential: ntfy's own bearer token on the request to ntfy
      ...[...http.requests, ...http.rejected].map((r) => JSON.stringify({ ...r.headers, authorization: r.url === "/" ? "(ntfy token)" : r.headers.authorization }) + r.body),
      ...lines,
      ...files.map((f) => readFileSync(f, "utf8")),
    ].join("\n");
    expect(everything).toContain("OpenRouter rejects key"); // the message itself did arrive
    for (const secret of [LEAKED_KEY, ANTHROPIC_KEY, SMTP_PASSWORD, WEBHOOK_SECRET, NTFY_TOKEN]) {
      expect(everything).not.toContain(secret);
    }
    // the ntfy token did reach ntfy as its bearer token, proving it was in play
    expect(http.requests.find((r) => r.url === "/")!.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
  });
});
