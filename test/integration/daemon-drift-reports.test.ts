// One hand edit of openclaw.json is one drift report to the health tracker and one config-stale
// verdict, not one per path the change travels (watcher event, then the installation re-read).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Daemon } from "../../src/daemon/daemon.js";
import { parseConfigText } from "../../src/config/load.js";
import { createLogger } from "../../src/util/log.js";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildFleetHost, startGatewayStandIn, type FleetHost } from "../support/fleet-host.js";
import { until } from "../support/daemon-process.js";

let provider: FakeProvider;
let gateway: Awaited<ReturnType<typeof startGatewayStandIn>>;
let host: FleetHost;

beforeAll(async () => {
  provider = await startFakeProvider({ unknownKey: "401" });
  gateway = await startGatewayStandIn();
  host = buildFleetHost("reports", { providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
  provider.setKeyBehaviour(host.openrouterKey, "ok");
  mkdirSync(join(host.xdg, "state"), { recursive: true });
});

afterAll(async () => {
  await provider?.close();
  await gateway?.close();
  host?.dispose();
});

describe("the daemon's drift reports", () => {
  it("reports one hand edit once to the tracker, and judges config-stale once", async () => {
    const env = { PATH: process.env.PATH, HOME: host.home, XDG_STATE_HOME: join(host.xdg, "state"), XDG_CONFIG_HOME: join(host.xdg, "config"), TMPDIR: join(host.xdg, "tmp") };
    const config = parseConfigText(
      JSON.stringify({ openclaw: { stateDir: host.stateDir }, alerts: { channels: [{ name: "journal", type: "log" }] }, drift: { debounceMs: 100, rescanInterval: "1h" } }),
      "test.json5",
      env,
    );
    const daemon = new Daemon({ config, configPath: "test.json5", configSource: "file", logger: createLogger({ level: "silent" }), env, loopMs: 60_000 });
    await daemon.start();
    try {
      const sources: string[] = [];
      const report = daemon.tracker.report.bind(daemon.tracker);
      daemon.tracker.report = (input) => {
        sources.push(input.source);
        return report(input);
      };
      const configPath = join(host.stateDir, "openclaw.json");
      const doc = JSON.parse(readFileSync(configPath, "utf8"));
      doc.agents.defaults = { timeoutSeconds: 120 };
      writeFileSync(configPath, JSON.stringify(doc, null, 2) + "\n");
      // The cascade ends with the installation re-read: its snapshot report, then its config-stale verdict.
      await until("the re-read's config-stale verdict", () => {
        const snapshot = sources.indexOf("snapshot");
        return snapshot >= 0 && sources.indexOf("config-stale", snapshot) > snapshot;
      }, 30_000);
      expect(daemon.tracker.openIncidents().map((i) => i.kind)).toEqual(["config.drift"]);
      expect(sources.filter((s) => s === "drift")).toHaveLength(1);
      expect(sources.filter((s) => s === "config-stale")).toHaveLength(1);
    } finally {
      await daemon.stop();
    }
  }, 60_000);
});
