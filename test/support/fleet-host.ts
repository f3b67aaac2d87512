// One clean OpenClaw host for fleet tests: a state dir whose single agent `main` runs on
// openrouter/moonshotai/kimi-k2.5 against a loopback fake provider, the key in ~/.openclaw/.env,
// a gateway config pointing at a loopback stand-in — nothing for clawpatrol to complain about until
// the test breaks something.
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

export interface FleetHost {
  name: string;
  home: string;
  stateDir: string;
  /** clawpatrol's XDG dirs live here too. */
  xdg: string;
  configFile: string;
  openrouterKey: string;
  gatewayToken: string;
  dispose(): void;
}

export function buildFleetHost(name: string, options: { providerUrl: string; gatewayPort: number; now: number }): FleetHost {
  const home = mkdtempSync(join(tmpdir(), `clawpatrol-fleet-${name}-`));
  const stateDir = join(home, ".openclaw");
  const xdg = join(home, "xdg");
  for (const dir of [join(stateDir, "agents", "main", "agent"), join(stateDir, "agents", "main", "sessions"), join(stateDir, "logs"), join(xdg, "tmp")]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const openrouterKey = `sk-or-v1-fake-${name}-${randomBytes(24).toString("hex")}`;
  const gatewayToken = randomBytes(24).toString("hex");
  const configPath = join(stateDir, "openclaw.json");
  writeFileSync(
    configPath,
    JSON.stringify(
      {
        meta: { lastTouchedVersion: "2026.9.6", lastTouchedAt: new Date(options.now - 86_400_000).toISOString() },
        gateway: { mode: "local", bind: "loopback", port: options.gatewayPort, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
        logging: { file: join(stateDir, "logs", "openclaw.log") },
        models: { providers: { openrouter: { baseUrl: `${options.providerUrl}/api/v1` } } },
        agents: { entries: { main: { name: "main", model: "openrouter/moonshotai/kimi-k2.5" } } },
      },
      null,
      2,
    ) + "\n",
    { mode: 0o600 },
  );
  writeFileSync(join(stateDir, ".env"), `OPENCLAW_GATEWAY_TOKEN=${gatewayToken}\nOPENROUTER_API_KEY=${openrouterKey}\n`, { mode: 0o600 });
  const yesterday = new Date(options.now - 86_400_000);
  for (const file of [configPath, join(stateDir, ".env")]) utimesSync(file, yesterday, yesterday);
  return { name, home, stateDir, xdg, configFile: join(home, "clawpatrol.json5"), openrouterKey, gatewayToken, dispose: () => rmSync(home, { recursive: true, force: true }) };
}

/** Stands in for a healthy gateway's unauthenticated health probes (/healthz, /readyz) on loopback; `upForMs`: already up that long. */
export async function startGatewayStandIn(options: { upForMs?: number } = {}): Promise<{ port: number; close(): Promise<void> }> {
  const started = Date.now() - (options.upForMs ?? 0);
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(req.url === "/readyz" ? JSON.stringify({ ready: true, failing: [], uptimeMs: Date.now() - started }) : JSON.stringify({ ok: true, status: "live" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
