// Prometheus text exposition (format 0.0.4) rendered from the status snapshot: a textfile for
// node_exporter's textfile collector and/or GET /metrics on a loopback port. Metric names are
// public interface — add, never rename. docs/metrics.md lists every family with its labels; a test
// keeps the two in step. Labels carry agent ids, provider ids, model refs and incident kinds only:
// never secrets, session ids or run ids.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StatusSnapshot } from "./snapshot.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { family as familyLines, sample } from "../metrics/exposition.js";

/** Metric families kept outside the snapshot (e.g. the probe latency histogram), already rendered. */
export type ExtraMetrics = () => readonly string[];

const seconds = (isoTime: string): number => Date.parse(isoTime) / 1000;

export function renderPrometheus(s: StatusSnapshot, extra: readonly string[] = []): string {
  const out: string[] = [];
  const family = (name: string, type: "gauge", help: string, samples: string[]) => {
    out.push(...familyLines(name, type, help, samples));
  };
  family("clawpatrol_info", "gauge", "clawpatrol and OpenClaw versions.", [
    sample("clawpatrol_info", { version: s.clawpatrol.version, openclaw_version: s.openclaw.version ?? "", era: s.openclaw.era }, 1),
  ]);
  family("clawpatrol_up", "gauge", "1 when the status snapshot came from a running clawpatrol.", [sample("clawpatrol_up", {}, 1)]);
  family("clawpatrol_last_loop_timestamp_seconds", "gauge", "Unix time of clawpatrol's last main-loop tick.", [
    sample("clawpatrol_last_loop_timestamp_seconds", {}, seconds(s.clawpatrol.lastLoopTickAt)),
  ]);
  family("clawpatrol_status_generated_timestamp_seconds", "gauge", "Unix time the status snapshot was built.", [
    sample("clawpatrol_status_generated_timestamp_seconds", {}, seconds(s.generatedAt)),
  ]);
  family("clawpatrol_gateway_up", "gauge", "1 when the OpenClaw gateway answers its health endpoint.",
    s.gateway.up === null ? [] : [sample("clawpatrol_gateway_up", {}, s.gateway.up ? 1 : 0)]);

  const up: string[] = [], state: string[] = [], latency: string[] = [], probedAt: string[] = [], success: string[] = [];
  for (const agent of s.agents) {
    for (const r of agent.routes) {
      const route = { agent: agent.id, provider: r.provider, model: r.model, role: r.role };
      if (r.state !== "unknown") up.push(sample("clawpatrol_route_up", route, r.state === "ok" || r.state === "recovering" ? 1 : 0));
      state.push(sample("clawpatrol_route_state", { ...route, state: r.state }, 1));
      const probe = { agent: agent.id, provider: r.provider, model: r.model };
      if (r.lastProbe) {
        if (r.lastProbe.latencyMs !== null) latency.push(sample("clawpatrol_probe_latency_seconds", probe, r.lastProbe.latencyMs / 1000));
        probedAt.push(sample("clawpatrol_probe_last_timestamp_seconds", probe, seconds(r.lastProbe.at)));
        if (r.lastProbe.verdict !== "inconclusive") success.push(sample("clawpatrol_probe_success", probe, r.lastProbe.verdict === "pass" ? 1 : 0));
      }
    }
  }
  family("clawpatrol_route_up", "gauge", "1 when an agent's model route is healthy, 0 when failing or down.", up);
  family("clawpatrol_route_state", "gauge", "Health state of each agent model route (1 for the current state).", state);
  family("clawpatrol_probe_latency_seconds", "gauge", "Latency of the last zero-token probe of a route.", latency);
  family("clawpatrol_probe_last_timestamp_seconds", "gauge", "Unix time of the last probe of a route.", probedAt);
  family("clawpatrol_probe_success", "gauge", "1 when the last conclusive probe of a route passed.", success);
  family("clawpatrol_fallback_active", "gauge", "1 while clawpatrol has switched the agent from from_model to to_model.",
    s.agents.map((a) =>
      sample("clawpatrol_fallback_active", { agent: a.id, from_model: a.fallbackFrom ?? "", to_model: a.fallbackFrom ? (a.configuredPrimary ?? "") : "" }, a.fallbackFrom ? 1 : 0)));
  const open = s.incidents.filter((i) => !i.inhibitedBy);
  family("clawpatrol_incidents_open", "gauge", "Open incidents (not inhibited) by severity.",
    (["critical", "warning", "info"] as const).map((sev) => sample("clawpatrol_incidents_open", { severity: sev }, open.filter((i) => i.severity === sev).length)));
  const byKind = new Map<string, { kind: string; severity: string; n: number }>();
  for (const i of open) {
    const key = `${i.kind}\u0000${i.severity}`;
    const entry = byKind.get(key) ?? { kind: i.kind, severity: i.severity, n: 0 };
    entry.n++;
    byKind.set(key, entry);
  }
  family("clawpatrol_incidents_open_by_kind", "gauge", "Open incidents (not inhibited) by kind and severity; absent kinds have none open.",
    [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.severity.localeCompare(b.severity)).map((e) => sample("clawpatrol_incidents_open_by_kind", { kind: e.kind, severity: e.severity }, e.n)));
  family("clawpatrol_alert_spool_depth", "gauge", "Alerts waiting in the on-disk spool.", [sample("clawpatrol_alert_spool_depth", {}, s.alerts.spoolDepth)]);
  out.push(...extra);
  return out.join("\n") + "\n";
}

/** node_exporter reads the textfile as another user, so it is world-readable (it holds no secrets). */
export async function writePrometheusTextfile(path: string, s: StatusSnapshot, extra: readonly string[] = []): Promise<void> {
  await writeFileAtomic(path, renderPrometheus(s, extra), 0o644);
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** "127.0.0.1:9795" | "[::1]:9795" | "9795" → host + port; refuses anything but loopback. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen) ?? (/^(\d+)$/.exec(listen) ? [listen, undefined, "127.0.0.1", listen] : null);
  if (!m) throw new Error(`status.prometheus.listen: expected "127.0.0.1:<port>", got "${listen}"`);
  const host = (m[1] ?? m[2])!;
  const port = Number(m[3]);
  if (!LOOPBACK.has(host)) throw new Error(`status.prometheus.listen: ${host} is not a loopback address; clawpatrol serves metrics on 127.0.0.1 or ::1 only`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`status.prometheus.listen: bad port ${m[3]}`);
  return { host, port };
}

export interface MetricsServer {
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** GET /metrics on loopback; 503 until the first snapshot exists. */
export async function startMetricsServer(listen: string, current: () => StatusSnapshot | null, extra: ExtraMetrics = () => []): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found; try /metrics\n");
      return;
    }
    const snapshot = current();
    if (!snapshot) {
      res.writeHead(503, { "content-type": "text/plain" }).end("no observation yet\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(renderPrometheus(snapshot, extra()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's keep-alive connection must not hold shutdown
      }),
  };
}
