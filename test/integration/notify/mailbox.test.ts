// The zero-config path: alerts appended to a local mbox file; plus the dispatcher's timers,
// digest schedule, severity routing, backlog warning and give-up, all against real files.
import { describe, it, expect } from "@jest/globals";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../../src/util/clock.js";
import { silentLogger } from "../../../src/util/log.js";
import { createChannels } from "../../../src/notify/channels/index.js";
import { createDispatcher, notifiedPatch, type Scheduler } from "../../../src/notify/dispatcher.js";
import type { ChannelConfig, NotifiedEvent } from "../../../src/notify/types.js";
import { LEAKED_KEY, T0, incident, opened, resolved } from "../../unit/notify/fixtures.js";
import { header } from "./servers.js";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

function mbox(path: string): string[] {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text.split(/^From clawpatrol /m).filter(Boolean);
}

function setup(configs: ChannelConfig[]) {
  const stateDir = mkdtempSync(join(tmpdir(), "cp-notify-"));
  const { channels, problems } = createChannels(configs, { env: {}, stateDir, logger: silentLogger, repeatIntervalMs: 4 * H });
  expect(problems).toEqual([]);
  return { stateDir, channels };
}

describe("alerts in a local mailbox file", () => {
  it("a route flapping 30 times in an hour lands as one firing and one resolved mail", async () => {
    // The health tracker (src/health/tracker.ts) did not exist yet: transitions are fed directly,
    // one new incident per flap — the worst case notify must absorb on its own.
    const { stateDir, channels } = setup([{ name: "mailbox", type: "mailbox" }]);
    const clock = new ManualClock(T0);
    const notified: NotifiedEvent[] = [];
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, onNotified: (e) => void notified.push(e) });
    for (let k = 0; k < 30; k++) {
      const inc = incident({ id: `flap-${k}`, kind: "probe.failed", severity: "warning", subjectKey: "route:main/openrouter", summary: "OpenRouter probe times out", at: clock.now() });
      await d.onTransition(opened(inc));
      clock.advance(45 * S);
      await d.tick();
      clock.advance(15 * S);
      await d.onTransition(resolved(inc, clock.now()));
      clock.advance(MIN);
      await d.tick();
    }
    clock.advance(10 * MIN);
    await d.tick();
    await d.close();
    const mails = mbox(join(stateDir, "alerts.mbox"));
    expect(mails.map((m) => header(m, "Subject"))).toEqual([
      "main on host-a: OpenRouter probe times out",
      "Resolved — main on host-a: OpenRouter probe times out",
    ]);
    expect(header(mails[1]!, "In-Reply-To")).toBe(header(mails[0]!, "Message-ID"));
    expect(statSync(join(stateDir, "alerts.mbox")).mode & 0o777).toBe(0o600);
    // every flap incident is reported as notified (the later ones by continuing the first alert)
    expect(new Set(notified.flatMap((e) => e.incidentIds)).size).toBe(30);
  });

  it("sends info notices only in the digest, on its cron schedule", async () => {
    const { stateDir, channels } = setup([{ name: "mailbox", type: "mailbox" }]);
    const clock = new ManualClock("2026-11-21T07:00:00Z");
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, policy: { digest: { schedule: "0 8 * * *" } } });
    await d.onTransition(opened(incident({ id: "i1", kind: "config.drift", severity: "info", summary: "openclaw.json changed: agents.main.model", at: clock.now() })));
    clock.set("2026-11-21T07:59:00Z");
    await d.tick();
    expect(mbox(join(stateDir, "alerts.mbox"))).toHaveLength(0);
    clock.set("2026-11-21T08:00:20Z");
    await d.tick();
    await d.tick();
    const mails = mbox(join(stateDir, "alerts.mbox"));
    expect(mails.map((m) => header(m, "Subject"))).toEqual(["host-a: clawpatrol digest — 1 notice"]);
    expect(mails[0]).toContain("openclaw.json changed: agents.main.model");
    clock.set("2026-11-22T08:00:00Z"); // nothing new: no second digest
    await d.tick();
    await d.close();
    expect(mbox(join(stateDir, "alerts.mbox"))).toHaveLength(1);
  });

  it("routes by severity and honours sendResolved", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-mb-"));
    const { stateDir, channels } = setup([
      { name: "pager", type: "mailbox", path: join(dir, "pager.mbox"), severities: ["critical"], sendResolved: false },
      { name: "team", type: "mailbox", path: join(dir, "team.mbox"), severities: ["warning", "critical"] },
    ]);
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, policy: { groupWait: 0, resolveHold: 0 } });
    const crit = incident({ id: "c", agent: "main" });
    const warn = incident({ id: "w", agent: "research", severity: "warning", summary: "cooldown storm on anthropic" });
    await d.onTransition(opened(crit));
    await d.onTransition(opened(warn));
    await d.onTransition(resolved(crit, T0));
    await d.close();
    expect(mbox(join(dir, "pager.mbox")).map((m) => header(m, "X-Clawpatrol-Id"))).toEqual(["c:firing:0:pager"]);
    expect(mbox(join(dir, "team.mbox")).map((m) => header(m, "X-Clawpatrol-Id"))).toEqual(["c:firing:0:team", "w:firing:0:team", "c:resolved:0:team"]);
    expect(readFileSync(join(dir, "team.mbox"), "utf8")).not.toContain(LEAKED_KEY);
  });

  it("arms its own timer for the next due moment, so nothing waits for a caller", async () => {
    const { stateDir, channels } = setup([{ name: "mailbox", type: "mailbox" }]);
    const clock = new ManualClock(T0);
    const timers: { fn: () => void; ms: number }[] = [];
    const scheduler: Scheduler = { set: (fn, ms) => timers.push({ fn, ms }), clear: () => undefined };
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler, policy: { digest: false } });
    await d.onTransition(opened(incident({ id: "t1" })));
    expect(timers.at(-1)!.ms).toBe(30 * S);
    clock.advance(30 * S);
    timers.at(-1)!.fn();
    for (let i = 0; i < 100 && mbox(join(stateDir, "alerts.mbox")).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(mbox(join(stateDir, "alerts.mbox"))).toHaveLength(1);
    await d.tick(); // let the timer's tick finish re-arming
    expect(timers.at(-1)!.ms).toBe(H); // reminder in 4 h; timers are capped at 1 h and re-armed
    await d.close();
  });

  it("raises alert.spool-backlog when the channel stays broken, and gives up after giveUpAfter", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-mb-"));
    mkdirSync(join(dir, "taken"));
    // the mailbox path is a directory: appending fails (ENOTDIR / EISDIR) even for root
    const { stateDir, channels } = setup([{ name: "broken", type: "mailbox", path: join(dir, "taken") }]);
    const clock = new ManualClock(T0);
    const d = await createDispatcher({ channels, stateDir, clock, host: "host-a", scheduler: false, policy: { groupWait: 0, repeatInterval: 0, spoolCap: 2, spoolMaxAge: 3_600_000, giveUpAfter: 3 * 3_600_000 } });
    for (const id of ["a", "b"]) await d.onTransition(opened(incident({ id, agent: id })));
    expect(d.backlogFindings()).toEqual([]); // 2 ≤ cap, young
    await d.onTransition(opened(incident({ id: "c", agent: "c" })));
    const [finding] = d.backlogFindings();
    expect(finding).toMatchObject({ kind: "alert.spool-backlog", severity: "warning", detail: "clawpatrol test-alert --channel broken" });
    expect(finding!.summary).toMatch(/^3 alert messages waiting to be sent — channel "broken" has not accepted one since 07:46 UTC/);
    expect(d.spoolStatus().channels.broken!.lastError).toMatch(/cannot append to .*EISDIR/);
    clock.advance(4 * H);
    await d.tick();
    expect(d.spoolDepth()).toBe(0);
    expect(readdirSync(join(stateDir, "notify", "dead"))).toHaveLength(3);
    await d.close();
  });
});

describe("with the real health tracker in front", () => {
  it("a route flapping 30 times in an hour (probe every 30 s) produces one firing and one resolved mail", async () => {
    const { HealthTracker } = await import("../../../src/health/tracker.js");
    const { makeFinding } = await import("../../../src/checks/finding.js");
    const { stateDir, channels } = setup([{ name: "mailbox", type: "mailbox" }]);
    const clock = new ManualClock(T0);
    let n = 0;
    const tracker = new HealthTracker({ clock, newId: () => `inc-${++n}` });
    const d = await createDispatcher({
      channels,
      stateDir,
      clock,
      host: "host-a",
      scheduler: false,
      // the wiring the daemon uses: delivery sets notifiedAt / resolveNotifiedAt on the tracker's incident
      onNotified: (e) => {
        for (const id of e.incidentIds) {
          const patch = notifiedPatch(e, tracker.incident(id));
          if (patch) tracker.markNotified(id, patch);
        }
      },
    });
    const route = { agent: "main", provider: "openrouter" };
    const transitions: string[] = [];
    const probe = async (fail: boolean) => {
      const findings = fail
        ? [makeFinding({ kind: "probe.failed", severity: "warning", subject: route, summary: "OpenRouter probe timed out", evidence: { reason: "timeout", auth: `Bearer ${LEAKED_KEY}` }, at: clock.now() })]
        : [];
      for (const t of tracker.report({ source: "probe", findings, covers: [{ subject: route }] })) {
        transitions.push(`${t.type} ${t.incident.id}`);
        await d.onTransition(t);
      }
      await d.tick();
      clock.advance(30 * S);
    };
    for (let flap = 0; flap < 30; flap++) {
      await probe(true);
      await probe(true);
      await probe(false);
      await probe(false);
    }
    for (let i = 0; i < 120; i++) await probe(false); // an hour of calm
    clock.advance(10 * MIN);
    await d.tick();
    await d.close();
    const mails = mbox(join(stateDir, "alerts.mbox"));
    expect(mails.map((m) => header(m, "X-Clawpatrol-Type"))).toEqual(["firing", "resolved"]);
    expect(header(mails[0]!, "Subject")).toBe("main on host-a: OpenRouter probe timed out");
    expect(transitions.filter((t) => t.startsWith("opened"))).toHaveLength(1);
    const [done] = tracker.history();
    expect(done!.notifiedAt).toBe(new Date(Date.parse(done!.openedAt) + 30 * S).toISOString());
    expect(done!.resolveNotifiedAt).toBeDefined();
    expect(readFileSync(join(stateDir, "alerts.mbox"), "utf8")).not.toContain(LEAKED_KEY);
  });
});
