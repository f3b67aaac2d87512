import { describe, it, expect, afterEach } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildInstallation } from "../../src/fake/installation.js";
import { gatewayFindings, probeGateway } from "../../src/probe/gateway.js";
import { E2EGate, e2eFindings, runE2ETurn } from "../../src/probe/e2e.js";
import { startFakeProvider } from "../../src/fake/provider.js";
import { Secret } from "../../src/util/secret.js";
import type { Exec } from "../../src/util/exec.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function serve(handler: Handler, tls?: { key: Buffer; cert: Buffer }): Promise<number> {
  const s = tls ? createTlsServer(tls, handler) : createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return (s.address() as AddressInfo).port;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

const gatewayOn = (port: number, extra: Record<string, unknown> = {}) => buildInstallation({ agents: [], gateway: { port, url: `http://127.0.0.1:${port}`, ...extra } }).gateway;

describe("gateway liveness", () => {
  it("is quiet when /health and /readyz say live and ready", async () => {
    const port = await serve((req, res) => (req.url === "/health" ? json(res, 200, { ok: true, status: "live" }) : json(res, 200, { ready: true, failing: [], uptimeMs: 1 })));
    const r = await probeGateway(gatewayOn(port));
    expect(r).toMatchObject({ status: "ok", verdict: "pass", reason: "live and ready" });
    expect(gatewayFindings(r, Date.now())).toEqual([]);
  });

  it("reports gateway.down naming what is failing when /readyz answers 503", async () => {
    const port = await serve((req, res) =>
      req.url === "/health" ? json(res, 200, { ok: true, status: "live" }) : json(res, 503, { ready: false, failing: ["agent-database:main"], uptimeMs: 1 }),
    );
    const r = await probeGateway(gatewayOn(port));
    expect(r.status).toBe("unhealthy");
    const [f] = gatewayFindings(r, Date.now());
    expect(f).toMatchObject({ kind: "gateway.down", severity: "critical" });
    expect(f!.summary).toContain("agent-database:main");
  });

  it("reports connection refused when nothing listens on the configured port", async () => {
    const srv = createNetServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const r = await probeGateway(gatewayOn(port));
    expect(r).toMatchObject({ status: "refused", verdict: "fail" });
    expect(gatewayFindings(r, Date.now())[0]!.summary).toBe(`The OpenClaw gateway at http://127.0.0.1:${port} is not running (connection refused).`);
  });

  it("reports a timeout when the gateway accepts but never answers", async () => {
    const port = await serve(() => undefined);
    const r = await probeGateway(gatewayOn(port), { timeoutMs: 300 });
    expect(r).toMatchObject({ status: "timeout", verdict: "fail" });
  });

  it("reports an unhealthy body from /health", async () => {
    const port = await serve((_req, res) => json(res, 500, { ok: false }));
    const r = await probeGateway(gatewayOn(port));
    expect(r.status).toBe("unhealthy");
    expect(r.reason).toContain("HTTP 500");
  });

  it("follows gateway TLS on loopback (self-signed certificate)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gwtls-"));
    try {
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
      const port = await serve((req, res) => (req.url === "/health" ? json(res, 200, { ok: true }) : json(res, 200, { ready: true, failing: [] })), {
        key: readFileSync(join(dir, "k.pem")),
        cert: readFileSync(join(dir, "c.pem")),
      });
      const r = await probeGateway(gatewayOn(port, { tls: true, url: `https://127.0.0.1:${port}` }));
      expect(r.url.startsWith("https://")).toBe(true);
      expect(r.status).toBe("ok");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("opt-in end-to-end turn", () => {
  const TOKEN = "gw-token-" + "z".repeat(40);

  it("runs a turn through the gateway's chat endpoint with model openclaw/<agent> and a fixed user", async () => {
    const seen: unknown[] = [];
    const port = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ url: req.url, auth: req.headers.authorization === `Bearer ${TOKEN}`, body: JSON.parse(body) });
        json(res, 200, { choices: [{ index: 0, message: { role: "assistant", content: "PONG" }, finish_reason: "stop" }] });
      });
    });
    const gw = gatewayOn(port, { token: new Secret(TOKEN) });
    const r = await runE2ETurn("main", { via: "http", gateway: gw });
    expect(r).toMatchObject({ status: "ok", verdict: "pass", text: "PONG" });
    expect(seen[0]).toMatchObject({ url: "/v1/chat/completions", auth: true, body: { model: "openclaw/main", user: "clawpatrol-probe" } });
  });

  it("calls a turn with no visible text an empty reply", async () => {
    const port = await serve((_req, res) => json(res, 200, { choices: [{ index: 0, message: { role: "assistant", content: "" }, finish_reason: "stop" }] }));
    const r = await runE2ETurn("main", { via: "http", gateway: gatewayOn(port) });
    expect(r.status).toBe("empty");
    const [f] = e2eFindings([r], Date.now());
    expect(f).toMatchObject({ kind: "probe.empty-reply", severity: "critical", subject: { agent: "main" } });
  });

  it("reports the provider error the gateway passes on", async () => {
    const port = await serve((_req, res) => json(res, 401, { error: { message: "401 Incorrect API key provided: bad-key.", type: "authentication_error" } }));
    const r = await runE2ETurn("main", { via: "http", gateway: gatewayOn(port) });
    expect(r).toMatchObject({ status: "error", verdict: "fail" });
    expect(e2eFindings([r], Date.now())[0]!.summary).toContain("401 Incorrect API key");
  });

  it("falls back to `openclaw agent --json` through the injected exec", async () => {
    const calls: string[][] = [];
    const exec: Exec = async (_file, args) => {
      calls.push([...args]);
      return { code: 0, stdout: JSON.stringify({ runId: "r1", status: "ok", result: { payloads: [{ text: "" }] } }), stderr: "" };
    };
    const r = await runE2ETurn("worker", { via: "cli", gateway: gatewayOn(1), exec, openclawBin: "/x/openclaw" });
    expect(calls[0]!.slice(0, 5)).toEqual(["agent", "--agent", "worker", "--session-key", "agent:worker:clawpatrol-probe"]);
    expect(calls[0]).toContain("--json");
    expect(r.status).toBe("empty");
    const failing: Exec = async () => ({ code: 1, stdout: JSON.stringify({ ok: false, error: { type: "cli_error", message: "Authentication failed (provider returned HTTP 401)." } }), stderr: "" });
    expect(await runE2ETurn("worker", { via: "cli", gateway: gatewayOn(1), exec: failing })).toMatchObject({ status: "error", reason: "Authentication failed (provider returned HTTP 401)." });
  });

  it("runs through the fake provider's completions as a stand-in upstream and allows one turn per interval", async () => {
    const fake = await startFakeProvider({ keys: { [TOKEN]: "ok" }, answer: "PONG from fake" });
    try {
      const gw = buildInstallation({ agents: [], gateway: { port: fake.port, url: fake.url, token: new Secret(TOKEN) } }).gateway;
      const r = await runE2ETurn("main", { via: "http", gateway: gw });
      expect(r.text).toBe("PONG from fake");
      expect(fake.counters.completions).toBe(1);
    } finally {
      await fake.close();
    }
    const gate = new E2EGate(6 * 3_600_000);
    const t0 = Date.parse("2026-11-21T07:00:00Z");
    expect(gate.due("main", t0)).toBe(true);
    gate.mark("main", t0);
    expect(gate.due("main", t0 + 5 * 3_600_000)).toBe(false);
    expect(gate.due("main", t0 + 6 * 3_600_000)).toBe(true);
  });
});
