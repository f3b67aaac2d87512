// `status.prometheus.listen` for real: the daemon serves GET /metrics on loopback with exactly the
// figures of its textfile, the probe latency histogram grows with every probe round, the heartbeat
// pings a loopback monitor, and SIGTERM closes the port.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { freePort } from "../../src/sandbox/free-port.js";
import { buildFleetHost, startGatewayStandIn, type FleetHost } from "../support/fleet-host.js";
import { CLI, readStatusOf, startDaemon, until } from "../support/daemon-process.js";
import { TestHttp } from "./notify/servers.js";

let provider: FakeProvider;
let gateway: Awaited<ReturnType<typeof startGatewayStandIn>>;
let monitor: TestHttp;
let host: FleetHost;

beforeAll(async () => {
  expect(existsSync(CLI)).toBe(true);
  provider = await startFakeProvider({ unknownKey: "401" });
  gateway = await startGatewayStandIn();
  monitor = await new TestHttp().start();
  host = buildFleetHost("solo", { providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
  provider.setKeyBehaviour(host.openrouterKey, "ok");
});

afterAll(async () => {
  await provider?.close();
  await gateway?.close();
  await monitor?.stop();
  host?.dispose();
});

describe("GET /metrics served by the daemon", () => {
  it("answers on loopback with the textfile's figures, pings the heartbeat, and closes on SIGTERM", async () => {
    const port = await freePort();
    const textfile = join(host.home, "clawpatrol.prom");
    writeFileSync(
      host.configFile,
      JSON.stringify({
        alerts: { channels: [{ name: "journal", type: "log" }] },
        probe: { authSchedule: "*/2 * * * * *", gatewaySchedule: "*/2 * * * * *", jitter: 0 },
        status: { intervalMs: 1000, prometheus: { listen: `127.0.0.1:${port}`, textfile } },
        heartbeat: { urlEnv: "CP_HEARTBEAT_URL", interval: "1h" },
      }),
    );
    const daemon = startDaemon(host, { CP_HEARTBEAT_URL: monitor.url("/ping/0f1e2d3c-heartbeat-uuid") });
    try {
      const ready = await until("a ready status file", () => daemon.alive() && readStatusOf(host)?.clawpatrol?.ready && readStatusOf(host));
      expect(ready!.incidents).toEqual([]); // a clean host: nothing to report
      const scrape = async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
      };
      // Several probe rounds, so the histogram has counted more than the first observation.
      const served = await until("two probe rounds in the histogram", async () => {
        const s = await scrape();
        const count = /clawpatrol_probe_duration_seconds_count\{agent="main",provider="openrouter"\} (\d+)/.exec(s.text);
        return count && Number(count[1]) >= 2 ? s : undefined;
      }, 30_000);
      expect(served.status).toBe(200);
      expect(served.type).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(served.text).toContain('clawpatrol_route_up{agent="main",provider="openrouter",model="moonshotai/kimi-k2.5",role="primary"} 1');
      expect(served.text).toContain("clawpatrol_gateway_up 1");
      expect(served.text).toContain('clawpatrol_fallback_active{agent="main",from_model="",to_model=""} 0');
      expect(served.text).not.toContain(host.openrouterKey);
      expect(served.text).not.toContain(host.gatewayToken);

      // The endpoint and the textfile render the same snapshot: equal once no write is in flight.
      const same = await until("the endpoint and the textfile to agree", async () => {
        const a = (await scrape()).text;
        return a === readFileSync(textfile, "utf8") ? a : undefined;
      }, 15_000, 100);
      expect(same).toMatch(/^clawpatrol_last_loop_timestamp_seconds \d+(\.\d+)?$/m);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

      await until("a heartbeat ping", () => monitor.requests.find((r) => r.url === "/ping/0f1e2d3c-heartbeat-uuid"), 15_000);
      expect(monitor.requests.filter((r) => r.url.endsWith("/fail"))).toEqual([]);
    } catch (err) {
      process.stderr.write(`daemon output:\n${daemon.output()}\n`);
      throw err;
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    expect(daemon.output()).not.toContain("0f1e2d3c-heartbeat-uuid");
    expect(daemon.output()).not.toContain(host.openrouterKey);
    expect(daemon.output()).toMatch(/serving Prometheus metrics on GET \/metrics/);
  }, 90_000);
});
