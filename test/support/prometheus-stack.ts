// A real Prometheus and a real Alertmanager (Debian packages) on loopback ports, in temp dirs,
// started and stopped by the test. Configs are written as JSON, which YAML parsers accept.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/sandbox/free-port.js";
import { TOOLS } from "./prometheus-tools.js";
import { until } from "./daemon-process.js";

export interface Service {
  url: string;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

async function startService(bin: string, args: (port: number) => string[], readyPath: string): Promise<Service> {
  const port = await freePort();
  let out = "";
  const child: ChildProcess = spawn(bin, args(port), { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on("data", (d) => (out = (out + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  try {
    await until(`${bin} to be ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${bin} exited:\n${out}`);
      return (await fetch(url + readyPath).then((r) => r.ok, () => false)) || undefined;
    }, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, output: () => out, stop };
}

export async function startAlertmanager(dir: string, configYaml: string): Promise<Service> {
  writeFileSync(join(dir, "alertmanager.yml"), configYaml);
  return startService(
    TOOLS.alertmanager()!,
    (port) => [`--config.file=${join(dir, "alertmanager.yml")}`, `--storage.path=${join(dir, "am-data")}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="],
    "/-/ready",
  );
}

export async function startPrometheus(dir: string, config: object, rulesYaml: string): Promise<Service> {
  writeFileSync(join(dir, "rules.yml"), rulesYaml);
  writeFileSync(join(dir, "prometheus.yml"), JSON.stringify({ ...config, rule_files: [join(dir, "rules.yml")] }, null, 2));
  return startService(
    TOOLS.prometheus()!,
    (port) => [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "prom-data")}`, `--web.listen-address=127.0.0.1:${port}`, "--rules.alert.resend-delay=1s"],
    "/-/ready",
  );
}

export function scratchDir(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "clawpatrol-prom-"));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Alertmanager's view: GET /api/v2/alerts (active, suppressed and unprocessed; not resolved). */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: "active" | "suppressed" | "unprocessed"; inhibitedBy: string[]; silencedBy: string[] };
  startsAt: string;
  endsAt: string;
}

export async function amAlerts(am: Service): Promise<AmAlert[]> {
  const res = await fetch(`${am.url}/api/v2/alerts`);
  if (!res.ok) throw new Error(`Alertmanager /api/v2/alerts answered ${res.status}`);
  return (await res.json()) as AmAlert[];
}
