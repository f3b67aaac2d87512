// The fleet, for real: two clawpatrol daemons on two OpenClaw hosts, a real Prometheus scraping
// both with the shipped rules, a real Alertmanager with docs/fleet.md's inhibit rules receiving
// Prometheus's alerts and clawpatrol's own `alertmanager` channel. Break a route on host-b → one
// active alert for host-b; kill host-b's clawpatrol → the dead-man's switch fires; heal → resolved.
// Rule `for:` durations and the staleness threshold are shortened so the story takes seconds.
import { describe, expect, beforeAll, afterAll } from "@jest/globals";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { freePort } from "../../src/sandbox/free-port.js";
import { buildFleetHost, startGatewayStandIn, type FleetHost } from "../support/fleet-host.js";
import { CLI, readStatusOf, startDaemon, until, type RunningDaemon } from "../support/daemon-process.js";
import { itWithTools } from "../support/prometheus-tools.js";
import { amAlerts, scratchDir, startAlertmanager, startPrometheus, type AmAlert, type Service } from "../support/prometheus-stack.js";
import { TestHttp } from "./notify/servers.js";

const HOSTS = ["host-a", "host-b"] as const;
type HostName = (typeof HOSTS)[number];

let provider: FakeProvider;
let gateway: Awaited<ReturnType<typeof startGatewayStandIn>>;
let receiver: TestHttp;
const hosts = {} as Record<HostName, FleetHost & { port: number }>;
const daemons = {} as Record<HostName, RunningDaemon | null>;
const cleanups: (() => Promise<void> | void)[] = [];

/** docs/fleet.md's inhibit rules, routed to a loopback webhook instead of real email/Telegram/PagerDuty. */
function alertmanagerConfig(webhook: string): string {
  const doc = readFileSync("docs/fleet.md", "utf8");
  const block = /```yaml\n# alertmanager\.yml\n([\s\S]*?)```/.exec(doc)![1]!;
  const inhibit = /^inhibit_rules:\n[\s\S]*?(?=^\S)/m.exec(block)![0];
  return [
    "route:",
    "  receiver: hook",
    "  group_by: [alertname, instance, agent]",
    "  group_wait: 1s",
    "  group_interval: 1s",
    "  repeat_interval: 1h",
    inhibit.trimEnd(),
    "receivers:",
    "  - name: hook",
    "    webhook_configs:",
    `      - url: ${webhook}`,
    "        send_resolved: true",
    "",
  ].join("\n");
}

/** The shipped rules with `for:` and the staleness threshold shortened to test speed. */
function fastRules(): string {
  return readFileSync("deploy/prometheus/clawpatrol.rules.yml", "utf8").replace(/for: \d+[smh]/g, "for: 3s").replace("> 180", "> 15");
}

function writeConfig(h: FleetHost & { port: number }, alertmanagerUrl: string): void {
  writeFileSync(
    h.configFile,
    JSON.stringify({
      alerts: {
        groupWait: "1s",
        resolveHold: "1s",
        // The scrape config names this host "host-b"; clawpatrol's own alerts carry the same instance.
        channels: [{ name: "fleet", type: "alertmanager", url: alertmanagerUrl, labels: { instance: h.name } }],
      },
      probe: { authSchedule: "*/2 * * * * *", gatewaySchedule: "*/2 * * * * *", jitter: 0 },
      health: { failureThreshold: 2, successThreshold: 2 },
      status: { intervalMs: 1000, prometheus: { listen: `127.0.0.1:${h.port}` } },
    }),
  );
}

function start(name: HostName): RunningDaemon {
  const d = startDaemon(hosts[name]);
  daemons[name] = d;
  return d;
}

const forHost = (alerts: AmAlert[], name: HostName) => alerts.filter((a) => a.labels.instance === name);
const active = (alerts: AmAlert[]) => alerts.filter((a) => a.status.state === "active");
const brief = (alerts: AmAlert[]) => alerts.map((a) => ({ alertname: a.labels.alertname, state: a.status.state, labels: a.labels, inhibitedBy: a.status.inhibitedBy }));

function show(title: string, alerts: AmAlert[]): void {
  process.stdout.write(`\n── Alertmanager GET /api/v2/alerts: ${title} ──\n${JSON.stringify(brief(alerts), null, 2)}\n`);
}

beforeAll(async () => {
  expect(existsSync(CLI)).toBe(true);
  provider = await startFakeProvider({ unknownKey: "401" });
  gateway = await startGatewayStandIn();
  const gatewayPort = gateway.port;
  for (const name of HOSTS) {
    const h = buildFleetHost(name, { providerUrl: provider.url, gatewayPort, now: Date.now() });
    hosts[name] = { ...h, port: await freePort() };
    provider.setKeyBehaviour(h.openrouterKey, "ok");
  }
});

afterAll(async () => {
  for (const name of HOSTS) await daemons[name]?.stop();
  for (const c of cleanups.reverse()) await c();
  await provider?.close();
  await gateway?.close();
  for (const name of HOSTS) hosts[name]?.dispose();
});

describe("a fleet of two hosts behind real Prometheus and Alertmanager", () => {
  itWithTools(["prometheus", "alertmanager"], "one alert for a broken route, the dead-man's switch for a dead clawpatrol, all resolved after healing", async () => {
    const scratch = scratchDir();
    cleanups.push(() => scratch.dispose());
    receiver = await new TestHttp().start();
    cleanups.push(() => receiver.stop());
    const am: Service = await startAlertmanager(scratch.dir, alertmanagerConfig(receiver.url("/am")));
    cleanups.push(() => am.stop());
    // The hosts first, so Prometheus never sees a fleet without clawpatrol (that is ClawpatrolAbsent).
    for (const name of HOSTS) {
      writeConfig(hosts[name], am.url);
      const d = start(name);
      await until(`${name} ready`, () => d.alive() && readStatusOf(hosts[name])?.clawpatrol?.ready);
    }
    const prom: Service = await startPrometheus(
      scratch.dir,
      {
        global: { scrape_interval: "1s", evaluation_interval: "1s" },
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${am.port}`] }] }] },
        scrape_configs: [
          {
            job_name: "clawpatrol",
            scrape_timeout: "900ms",
            static_configs: HOSTS.map((name) => ({ targets: [`127.0.0.1:${hosts[name].port}`], labels: { instance: name } })),
          },
        ],
      },
      fastRules(),
    );
    cleanups.push(() => prom.stop());
    const query = async (q: string) => {
      const res = (await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (res.status !== "success") throw new Error(`PromQL ${q}: ${res.error}`);
      return res.data.result;
    };

    // Both hosts scraped, healthy, and nothing at Alertmanager.
    await until("both hosts' routes up in Prometheus", async () => (await query("clawpatrol_route_up == 1")).length === 2);
    // (Prometheus's very first evaluations may precede its first scrape: ClawpatrolAbsent, then resolved.)
    await until("no active alert at Alertmanager", async () => active(await amAlerts(am)).length === 0, 30_000, 500);

    // The Grafana dashboard's queries are valid PromQL against this Prometheus and see both hosts.
    const dashboard = JSON.parse(readFileSync("deploy/grafana/clawpatrol-fleet.json", "utf8")) as { panels: { title: string; targets: { expr: string }[] }[] };
    for (const p of dashboard.panels) {
      for (const t of p.targets) await query(t.expr.replace(/\$instance/g, ".*").replace(/\$__rate_interval/g, "1m"));
    }
    expect((await query('clawpatrol_info{instance=~".*"}')).map((r) => r.metric.instance).sort()).toEqual(["host-a", "host-b"]);

    // ── 1. break host-b's route: its key is now rejected.
    provider.setKeyBehaviour(hosts["host-b"].openrouterKey, "401");
    const own = await until("clawpatrol's own alert for host-b at Alertmanager", async () => active(forHost(await amAlerts(am), "host-b")).find((a) => a.labels.source === "clawpatrol"), 60_000, 500);
    // Prometheus's ClawpatrolRouteDown for the same route arrives too, and is inhibited by it.
    const afterBreak = await until("Prometheus's route alert, suppressed", async () => {
      const all = await amAlerts(am);
      return forHost(all, "host-b").some((a) => a.labels.alertname === "ClawpatrolRouteDown" && a.status.state === "suppressed") ? all : undefined;
    }, 60_000, 500);
    show("route broken on host-b", afterBreak);
    expect(active(forHost(afterBreak, "host-b"))).toHaveLength(1);
    expect(own.labels).toMatchObject({ alertname: "auth.rejected", instance: "host-b", agent: "main", provider: "openrouter", severity: "critical", source: "clawpatrol" });
    expect(active(forHost(afterBreak, "host-a"))).toEqual([]);
    expect(JSON.stringify(afterBreak)).not.toContain(hosts["host-b"].openrouterKey);

    // ── 2. host-b's clawpatrol dies: nothing watches host-b any more.
    daemons["host-b"]!.child.kill("SIGKILL");
    await daemons["host-b"]!.exited;
    daemons["host-b"] = null;
    const afterKill = await until("the dead-man's switch for host-b", async () => {
      const all = await amAlerts(am);
      return active(forHost(all, "host-b")).some((a) => a.labels.alertname === "ClawpatrolDown") ? all : undefined;
    }, 60_000, 500);
    show("clawpatrol on host-b killed", afterKill);
    expect(active(forHost(afterKill, "host-b")).map((a) => a.labels.alertname)).toEqual(["ClawpatrolDown"]);
    expect(active(forHost(afterKill, "host-b"))[0]!.labels).toMatchObject({ instance: "host-b", job: "clawpatrol", severity: "critical" });
    expect(active(forHost(afterKill, "host-a"))).toEqual([]);

    // ── 3. heal: the key works again and clawpatrol comes back.
    provider.setKeyBehaviour(hosts["host-b"].openrouterKey, "ok");
    const back = start("host-b");
    await until("host-b ready again", () => back.alive() && readStatusOf(hosts["host-b"])?.clawpatrol?.ready && readStatusOf(hosts["host-b"])?.clawpatrol?.pid === back.child.pid);
    const healed = await until("no alert left for host-b", async () => {
      const all = await amAlerts(am);
      return forHost(all, "host-b").length === 0 ? all : undefined;
    }, 90_000, 500);
    show("healed", healed);
    expect(active(healed)).toEqual([]);
    // Alertmanager delivered the story to its receiver, resolved notices included.
    const resolvedNotice = (alertname: string) => receiver.requests.some((r) => (JSON.parse(r.body) as { alerts: { labels: Record<string, string>; status: string }[] }).alerts.some((a) => a.labels.alertname === alertname && a.status === "resolved"));
    await until("Alertmanager's resolved notices for ClawpatrolDown and auth.rejected", () => resolvedNotice("ClawpatrolDown") && resolvedNotice("auth.rejected"), 20_000, 250);
    for (const name of HOSTS) expect(daemons[name]!.output()).not.toContain(hosts[name].openrouterKey);
  }, 240_000);
});
