import { describe, it, expect, beforeAll, afterAll, beforeEach } from "@jest/globals";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../../src/util/clock.js";
import { silentLogger } from "../../../src/util/log.js";
import { createChannels } from "../../../src/notify/channels/index.js";
import { createWebhookChannel, verifyWebhook, WEBHOOK_REPLAY_WINDOW_SECONDS } from "../../../src/notify/channels/webhook.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import type { ChannelConfig } from "../../../src/notify/types.js";
import { LEAKED_KEY, T0, WEBHOOK_SECRET, incident, opened, resolved } from "../../unit/notify/fixtures.js";
import { TestHttp } from "./servers.js";

const deps = (stateDir: string, env: NodeJS.ProcessEnv = {}) => ({ env, stateDir, logger: silentLogger, repeatIntervalMs: 4 * 3_600_000, now: () => T0 });

function verify(r: { body: string; headers: Record<string, string | string[] | undefined> }, secret: string, nowMs = T0): boolean {
  return verifyWebhook(r.body, r.headers["x-clawpatrol-signature"] as string, r.headers["x-clawpatrol-timestamp"] as string, secret, Math.floor(nowMs / 1000));
}

describe("webhook alerts to a real HTTP server", () => {
  let http: TestHttp;
  beforeAll(async () => {
    http = await new TestHttp().start();
  });
  afterAll(() => http.stop());
  beforeEach(() => {
    http.requests.length = 0;
    http.status = 200;
  });

  it("posts schema-1 JSON whose X-Clawpatrol-Signature verifies with the shared secret", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const configs: ChannelConfig[] = [{ name: "hook", type: "webhook", url: http.url("/clawpatrol"), secretEnv: "CP_HOOK_SECRET" }];
    const { channels, problems } = createChannels(configs, deps(stateDir, { CP_HOOK_SECRET: WEBHOOK_SECRET }));
    expect(problems).toEqual([]);
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, policy: { groupWait: 30_000, resolveHold: 0 } });
    const inc = incident({ id: "inc-1", actions: ["switched main to openai-codex/gpt-5.4 at 07:48"] });
    await d.onTransition(opened(inc));
    clock.advance(30_000);
    await d.tick();
    clock.advance(60_000);
    await d.onTransition(resolved(inc, clock.now()));
    await d.tick();
    await d.close();

    expect(http.requests.map((r) => JSON.parse(r.body).type)).toEqual(["firing", "resolved"]);
    for (const r of http.requests) {
      expect(r.url).toBe("/clawpatrol");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(verify(r, WEBHOOK_SECRET)).toBe(true);
      expect(verify(r, "other-secret")).toBe(false);
      expect(r.body).not.toContain(LEAKED_KEY);
      expect(r.body).not.toContain(WEBHOOK_SECRET);
      expect(JSON.stringify(r.headers)).not.toContain(WEBHOOK_SECRET);
    }
    const firing = JSON.parse(http.requests[0]!.body);
    expect(firing).toMatchObject({
      schema: 1,
      source: "clawpatrol",
      id: "inc-1:firing:0:hook",
      type: "firing",
      severity: "critical",
      host: "host-a",
      subject: "main on host-a: OpenRouter rejects the stored key (401) — env key works",
      incidents: [
        {
          id: "inc-1",
          kind: "auth.rejected",
          subject: { agent: "main" },
          actions: ["switched main to openai-codex/gpt-5.4 at 07:48"],
          fix: "openclaw models auth login --provider openrouter --agent main",
        },
      ],
    });
    expect(http.requests[0]!.headers["x-clawpatrol-id"]).toBe("inc-1:firing:0:hook");
    const res = JSON.parse(http.requests[1]!.body);
    expect(res.subject).toBe("Resolved — main on host-a: OpenRouter rejects the stored key (401) — env key works");
    expect(res.incidents[0].resolvedAt).toBe(new Date(T0 + 90_000).toISOString());
  });


  it("signs a send-time X-Clawpatrol-Timestamp: a retry is signed afresh, a captured request expires after the replay window", async () => {
    let now = T0;
    const channel = createWebhookChannel({ name: "hook", type: "webhook", url: http.url("/clawpatrol"), secretEnv: "CP_HOOK_SECRET" } as never, { ...deps(mkdtempSync(join(tmpdir(), "cp-notify-")), { CP_HOOK_SECRET: WEBHOOK_SECRET }), now: () => now });
    const message = { id: "inc-1:firing:0", type: "firing", severity: "critical", host: "h", subject: "s", text: "t", html: "", createdAt: T0, threadId: "inc-1", reminder: 0, incidents: [], suppressed: [] } as const;
    await channel.send({ ...message, incidents: [], suppressed: [] });
    now += 90_000; // the retry, 90 s later
    await channel.send({ ...message, incidents: [], suppressed: [] });
    const [first, retry] = http.requests;
    expect(first!.body).toBe(retry!.body);
    expect(Number(retry!.headers["x-clawpatrol-timestamp"]) - Number(first!.headers["x-clawpatrol-timestamp"])).toBe(90);
    expect(retry!.headers["x-clawpatrol-signature"]).not.toBe(first!.headers["x-clawpatrol-signature"]);
    expect(verify(first!, WEBHOOK_SECRET, T0)).toBe(true);
    expect(verify(retry!, WEBHOOK_SECRET, now)).toBe(true);
    // Replayed later, the captured first request no longer verifies; nor with a forged timestamp.
    expect(verify(first!, WEBHOOK_SECRET, T0 + (WEBHOOK_REPLAY_WINDOW_SECONDS + 1) * 1000)).toBe(false);
    expect(verify({ body: first!.body, headers: { ...first!.headers, "x-clawpatrol-timestamp": retry!.headers["x-clawpatrol-timestamp"] } }, WEBHOOK_SECRET, now)).toBe(false);
  });
  it("speaks Slack, Discord, ntfy and Alertmanager formats", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
    const configs: ChannelConfig[] = [
      { name: "slack", type: "slack", urlEnv: "SLACK_URL" },
      { name: "discord", type: "discord", url: http.url("/discord") },
      { name: "ntfy", type: "ntfy", url: http.url("/"), topic: "clawpatrol-host-a", tokenFile: "/nonexistent-is-fine-not-used" },
      { name: "am", type: "alertmanager", url: `http://127.0.0.1:${http.port}` },
    ];
    // tokenFile that cannot be read is a config problem for that channel alone.
    const built = createChannels(configs, deps(stateDir, { SLACK_URL: http.url("/slack/T000/B000/XXXX") }));
    expect(built.problems).toEqual([expect.stringContaining('alert channel "ntfy": tokenFile /nonexistent-is-fine-not-used cannot be read')]);
    const ntfy = createChannels([{ name: "ntfy", type: "ntfy", url: http.url("/"), topic: "clawpatrol-host-a" }], deps(stateDir)).channels;
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels: [...built.channels, ...ntfy], stateDir, clock, host: "host-a", scheduler: false, policy: { groupWait: 0 } });
    await d.onTransition(opened(incident({ id: "inc-2" })));
    await d.close();

    const byPath = Object.fromEntries(http.requests.map((r) => [r.url, JSON.parse(r.body)]));
    expect(byPath["/slack/T000/B000/XXXX"].text).toContain("*main on host-a: OpenRouter rejects the stored key (401) — env key works*");
    expect(byPath["/discord"].content.length).toBeLessThanOrEqual(2000);
    expect(byPath["/discord"].content).toContain("**main on host-a:");
    expect(byPath["/"]).toMatchObject({ topic: "clawpatrol-host-a", title: "main on host-a: OpenRouter rejects the stored key (401) — env key works", priority: 5 });
    const am = byPath["/api/v2/alerts"];
    expect(am).toHaveLength(1);
    expect(am[0].labels).toMatchObject({ alertname: "auth.rejected", severity: "critical", agent: "main", instance: "host-a" });
    expect(am[0].startsAt).toBe(new Date(T0).toISOString());
    expect(Date.parse(am[0].endsAt)).toBe(T0 + 8 * 3_600_000);
    expect(JSON.stringify(http.requests)).not.toContain(LEAKED_KEY);
  });
});
