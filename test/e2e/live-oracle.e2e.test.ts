// The live oracle against the real OpenClaw 2026.9.6: `clawpatrol verify` on an install the real
// CLI wrote (test/fixtures/2026.9.6, with a provider key turned into an env SecretRef so OpenClaw
// would ask a running gateway) agrees and exits 0 — without writing a byte of the install or
// calling the gateway; with a rule deliberately disabled in clawpatrol's reading it reports the
// difference; and the daemon runs the same comparison on its own.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { cachedOpenClawEntry } from "../../src/sandbox/openclaw-cli.js";
import { verifyCommand } from "../../src/cli/verify.js";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildFleetHost, startGatewayStandIn, type FleetHost } from "../support/fleet-host.js";
import { CLI, readStatusOf, startDaemon, until } from "../support/daemon-process.js";

const entry = cachedOpenClawEntry("2026.9.6");
const maybe = entry ? describe : describe.skip;
const FIXTURE_HOME = join(process.cwd(), "test", "fixtures", "2026.9.6", "home");

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${statSync(p).mtimeMs} ${createHash("sha256").update(readFileSync(p)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

maybe("clawpatrol verify against the real OpenClaw 2026.9.6", () => {
  let tmp: string;
  let home: string;
  let gatewayListener: Server;
  let gatewayConnections = 0;
  const env = () => ({ PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(tmp, "xdg"), TZ: "UTC", NO_COLOR: "1" });
  const config = () => join(tmp, "clawpatrol.json5");

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "cp-e2e-verify-"));
    home = join(tmp, "home");
    cpSync(FIXTURE_HOME, home, { recursive: true });
    // Something listening where the config says the gateway is, counting who calls.
    gatewayListener = createServer((s) => {
      gatewayConnections++;
      s.destroy();
    });
    await new Promise<void>((r) => gatewayListener.listen(0, "127.0.0.1", () => r()));
    const configPath = join(home, ".openclaw", "openclaw.json");
    const doc = JSON.parse(readFileSync(configPath, "utf8"));
    doc.gateway.port = (gatewayListener.address() as { port: number }).port;
    // A SecretRef: without clawpatrol's redirection, 9.6's models status asks the running gateway to resolve it.
    doc.models.providers.mock.apiKey = { source: "env", provider: "default", id: "MOCK_API_KEY" };
    writeFileSync(configPath, JSON.stringify(doc, null, 2) + "\n");
    appendFileSync(join(home, ".openclaw", ".env"), "MOCK_API_KEY=fake-mock-e2e-0123456789abcdef\n");
    writeFileSync(config(), JSON.stringify({ openclaw: { bin: entry } }));
  });

  afterAll(async () => {
    await new Promise((r) => gatewayListener?.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  it("agrees with the real models status and exits 0; the install is byte-for-byte untouched and the gateway never called", () => {
    const before = tree(home);
    const r = spawnSync(process.execPath, [CLI, "verify", "--agent", "prof", "--config", config()], { env: env(), encoding: "utf8", timeout: 240_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.split("\n")[0]).toBe("OK: clawpatrol reads agent prof as OpenClaw 2026.9.6's own `openclaw models status` does (every field it reports)");
    expect(r.status).toBe(0);
    expect(tree(home)).toEqual(before);
    expect(gatewayConnections).toBe(0);
    expect(readdirSync(join(tmp, "xdg", "clawpatrol", "oracle")).filter((n) => n.startsWith("copy-"))).toEqual([]);
  }, 240_000);

  it("reports a planted disagreement (clawpatrol's reading with the rule that keeps an object model's fallbacks disabled) with both answers, exit 1", async () => {
    const r = await verifyCommand({ config: config(), agent: "prof" }, {
      env: env(),
      plant: (inst) => {
        inst.agents.find((a) => a.id === "prof")!.route.fallbacks = [];
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("WARNING: clawpatrol reads 1 of 1 agent differently from OpenClaw 2026.9.6's own `openclaw models status`");
    expect(r.stdout).toContain('agent prof\n  fallbacks: OpenClaw says ["mock/mock-ok"] · clawpatrol says []\n');
    expect(r.stdout).toContain("`clawpatrol verify --agent prof --json`");
    expect(gatewayConnections).toBe(0);
  }, 240_000);
});

maybe("the daemon's live oracle against the real OpenClaw 2026.9.6", () => {
  let provider: FakeProvider;
  let gateway: Awaited<ReturnType<typeof startGatewayStandIn>>;
  let host: FleetHost;
  const disagrees = () => readStatusOf(host)?.incidents?.find((i: { kind: string }) => i.kind === "clawpatrol.disagrees");

  beforeAll(async () => {
    provider = await startFakeProvider({ unknownKey: "401" });
    gateway = await startGatewayStandIn({ upForMs: 600_000 });
    host = buildFleetHost("oracle-e2e", { providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
    provider.setKeyBehaviour(host.openrouterKey, "ok");
    writeFileSync(host.configFile, JSON.stringify({ openclaw: { bin: entry }, verify: { settle: "1s" }, drift: { debounceMs: 100, rescanInterval: "1h" }, alerts: { channels: [{ name: "log", type: "log" }] }, status: { intervalMs: 1000 } }));
  });

  afterAll(async () => {
    await provider?.close();
    await gateway?.close();
    host?.dispose();
  });

  // A real difference, not a planted one: the host's config carries meta.lastTouchedAt, a key 9.6
  // rejects ("Unrecognized key"); clawpatrol checks only the parts of the config it reads.
  it("finds the config the real 9.6 rejects and clawpatrol accepts, then resolves once the key is gone — never writing to the install", async () => {
    const configPath = join(host.stateDir, "openclaw.json");
    expect(JSON.parse(readFileSync(configPath, "utf8")).meta.lastTouchedAt).toBeDefined();
    const daemon = startDaemon(host);
    const verifyLines = () => daemon.output().split("\n").filter((l) => /verify|error/i.test(l)).slice(-20).join("\n");
    try {
      const opened = await until("clawpatrol.disagrees from the real 9.6", () => daemon.alive() && disagrees(), 180_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${verifyLines()}`);
      });
      expect(opened.summary).toMatch(/^clawpatrol reads this install differently from OpenClaw 2026\.9\.6's own models status — config-valid: OpenClaw says "rejected: Invalid config at .*openclaw\.json: - meta: Unrecognized key: \\"lastTouchedAt\\"" · clawpatrol says "accepted"$/);
      const before = tree(host.stateDir);
      const doc = JSON.parse(readFileSync(configPath, "utf8"));
      delete doc.meta.lastTouchedAt;
      writeFileSync(configPath, JSON.stringify(doc, null, 2) + "\n");
      const edited = tree(host.stateDir);
      expect(edited).not.toEqual(before);
      await until("clawpatrol.disagrees resolved", () => daemon.alive() && readStatusOf(host)?.incidents && !disagrees(), 180_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${verifyLines()}`);
      });
      expect(daemon.output()).toMatch(/verify: clawpatrol agrees with OpenClaw 2026\.9\.6 on 1 agent/);
      // OpenClaw ran on a copy: the install is as the edit left it.
      expect(tree(host.stateDir)).toEqual(edited);
    } finally {
      await daemon.stop();
    }
  }, 400_000);
});
