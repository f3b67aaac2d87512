// Heartbeat push against a loopback server: pings at most once per interval while healthy, /fail
// with the status line the moment the state turns critical, Uptime Kuma's query dialect, and the
// push URL (a credential) never in the log when the monitor is unreachable.
import { describe, it, expect, beforeEach, afterEach } from "@jest/globals";
import { Writable } from "node:stream";
import { createLogger } from "../../src/util/log.js";
import { createHeartbeat } from "../../src/heartbeat/heartbeat.js";
import { planBeat } from "../../src/heartbeat/plan.js";
import { buildStatusSnapshot, type Overall, type StatusSnapshot } from "../../src/status/snapshot.js";
import { fixtureInputs, T0 } from "../support/status-fixture.js";
import { TestHttp } from "./notify/servers.js";

const MIN = 60_000;

function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { lines, logger: createLogger({ level: "debug", destination: stream as never }) };
}

function snapshotWith(overall: "ok" | "critical"): StatusSnapshot {
  const input = fixtureInputs();
  return buildStatusSnapshot(overall === "ok" ? { ...input, incidents: [], gateway: { up: true } } : { ...input, gateway: { up: false, error: "ECONNREFUSED" } });
}

describe("heartbeat planner", () => {
  it.each<[string, { lastSentAt: number | null; lastSent: "ok" | "fail" | null }, number, Overall, "ok" | "fail" | null]>([
    ["first healthy loop pings", { lastSentAt: null, lastSent: null }, T0, "ok", "ok"],
    ["a warning is still alive", { lastSentAt: null, lastSent: null }, T0, "warning", "ok"],
    ["within the interval: nothing", { lastSentAt: T0, lastSent: "ok" }, T0 + 4 * MIN, "ok", null],
    ["after the interval: ping", { lastSentAt: T0, lastSent: "ok" }, T0 + 5 * MIN, "ok", "ok"],
    ["turning critical: fail at once", { lastSentAt: T0, lastSent: "ok" }, T0 + MIN, "critical", "fail"],
    ["still critical within the interval: nothing", { lastSentAt: T0, lastSent: "fail" }, T0 + MIN, "critical", null],
    ["recovering: ping at once", { lastSentAt: T0, lastSent: "fail" }, T0 + MIN, "ok", "ok"],
  ])("%s", (_name, state, now, overall, expected) => {
    expect(planBeat(state, now, overall, 5 * MIN)).toBe(expected);
  });
});

describe("heartbeat push to a loopback monitor", () => {
  let http: TestHttp;
  beforeEach(async () => {
    http = await new TestHttp().start();
  });
  afterEach(() => http.stop());

  it("pings while healthy, posts /fail with the status line when critical, and pings again on recovery", async () => {
    const log = captureLog();
    const hb = createHeartbeat({ urlEnv: "CP_HB_URL", interval: 300_000, timeout: 5_000 }, { env: { CP_HB_URL: http.url("/ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278") } }, log.logger)!;
    await hb.tick(T0, () => snapshotWith("ok"));
    await hb.tick(T0 + MIN, () => snapshotWith("ok"));
    await hb.tick(T0 + 2 * MIN, () => snapshotWith("critical"));
    await hb.tick(T0 + 3 * MIN, () => snapshotWith("critical"));
    await hb.tick(T0 + 4 * MIN, () => snapshotWith("ok"));
    await hb.tick(T0 + 9 * MIN, () => snapshotWith("ok"));
    expect(http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278",
      "POST /ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278/fail",
      "GET /ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278",
      "GET /ping/5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278",
    ]);
    expect(http.requests[1]!.body).toBe("gateway down, 2 agents, 2/3 routes ok, 1 incident: main openrouter auth");
  });

  it("speaks Uptime Kuma's push dialect", async () => {
    const hb = createHeartbeat({ url: http.url("/api/push/Xk3pQ9"), interval: 60_000, timeout: 5_000 }, { env: {} }, captureLog().logger)!;
    await hb.tick(T0, () => snapshotWith("ok"));
    await hb.tick(T0 + 10_000, () => snapshotWith("critical"));
    expect(http.requests.map((r) => r.url)).toEqual([
      "/api/push/Xk3pQ9?status=up&msg=OK",
      "/api/push/Xk3pQ9?status=down&msg=gateway+down%2C+2+agents%2C+2%2F3+routes+ok%2C+1+incident%3A+main+openrouter+auth",
    ]);
  });

  it("logs one line without the URL when the monitor is down, and retries on the next loop", async () => {
    const url = http.url("/ping/5bf66975-secret-uuid");
    await http.stop();
    const log = captureLog();
    const hb = createHeartbeat({ urlEnv: "CP_HB_URL", interval: 300_000, timeout: 2_000 }, { env: { CP_HB_URL: url } }, log.logger)!;
    await hb.tick(T0, () => snapshotWith("ok"));
    await hb.tick(T0 + 5_000, () => snapshotWith("ok"));
    expect(hb.sent).toBe(0);
    const warnings = log.lines.filter((l) => l.includes("heartbeat"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ECONNREFUSED/);
    expect(log.lines.join("")).not.toContain("secret-uuid");
    http = await new TestHttp().start(); // for afterEach
  });

  it("names the field and the fix when the push URL is missing", () => {
    expect(() => createHeartbeat({ urlEnv: "CP_HB_URL", interval: 300_000, timeout: 5_000 }, { env: {} }, captureLog().logger)).toThrow(
      "heartbeat: urlEnv names CP_HB_URL, which is not set",
    );
    expect(() => createHeartbeat({ interval: 300_000, timeout: 5_000 }, { env: {} }, captureLog().logger)).toThrow("heartbeat: no push URL — set heartbeat.url, heartbeat.urlEnv or heartbeat.urlFile");
  });
});
