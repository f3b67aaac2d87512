// The documented fix for drift works with the daemon running: `clawpatrol accept` (with no flags,
// reading the same XDG config whose openclaw.stateDir names the install) moves the very baseline
// the daemon compares against, and the daemon's config.drift incident resolves on that event.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildFleetHost, startGatewayStandIn, type FleetHost } from "../support/fleet-host.js";
import { CLI, readStatusOf, startDaemon, until } from "../support/daemon-process.js";
import { loadStatusSchema, validateSchema } from "../../src/status/validate.js";

let provider: FakeProvider;
let gateway: Awaited<ReturnType<typeof startGatewayStandIn>>;
let host: FleetHost;
let env: NodeJS.ProcessEnv;
const mbox = () => join(host.xdg, "alerts.mbox");
const mail = () => (existsSync(mbox()) ? readFileSync(mbox(), "utf8") : "");

beforeAll(async () => {
  expect(existsSync(CLI)).toBe(true);
  provider = await startFakeProvider({ unknownKey: "401" });
  gateway = await startGatewayStandIn();
  host = buildFleetHost("accept", { providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
  provider.setKeyBehaviour(host.openrouterKey, "ok");
  // HOME has no ~/.openclaw: only openclaw.stateDir of clawpatrol's config names the install.
  const home = join(host.home, "user");
  mkdirSync(home);
  env = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(host.xdg, "state"), XDG_CONFIG_HOME: join(host.xdg, "config"), TMPDIR: join(host.xdg, "tmp") };
  mkdirSync(join(host.xdg, "config", "clawpatrol"), { recursive: true });
  writeFileSync(
    join(host.xdg, "config", "clawpatrol", "config.json5"),
    JSON.stringify({
      openclaw: { stateDir: host.stateDir },
      alerts: { groupWait: "1s", channels: [{ name: "mbox", type: "mailbox", path: mbox() }] },
      // No periodic rescan within the test: the accept must be seen as it happens.
      drift: { debounceMs: 100, rescanInterval: "1h" },
      status: { intervalMs: 1000 },
    }),
  );
});

afterAll(async () => {
  await provider?.close();
  await gateway?.close();
  host?.dispose();
});

const driftIncident = () => readStatusOf(host)?.incidents?.find((i: { kind: string }) => i.kind === "config.drift");

function driftFilesByCheck(): string[] {
  const r = spawnSync(process.execPath, [CLI, "check", "--json", "--offline"], { env, encoding: "utf8" });
  return (JSON.parse(r.stdout).findings as { kind: string; subject: { file: string } }[]).filter((f) => f.kind === "config.drift").map((f) => f.subject.file);
}

describe("clawpatrol accept with the daemon running", () => {
  it("writes the baseline the daemon uses, and the daemon's config.drift incident resolves", async () => {
    const daemon = startDaemon(host, { HOME: env.HOME }, []);
    try {
      const ready = await until("a ready status file", () => daemon.alive() && readStatusOf(host)?.clawpatrol?.ready && readStatusOf(host));
      expect(ready!.openclaw.stateDir).toBe(host.stateDir);
      expect(ready!.incidents).toEqual([]);

      const configPath = join(host.stateDir, "openclaw.json");
      const doc = JSON.parse(readFileSync(configPath, "utf8"));
      doc.agents.defaults = { timeoutSeconds: 120, thinkingDefault: "low" };
      writeFileSync(configPath, JSON.stringify(doc, null, 2) + "\n");
      const opened = await until("config.drift in the status file", () => daemon.alive() && driftIncident(), 30_000);
      expect(opened.subject.file).toBe(configPath);
      // The key-level diff, not only the summary's first change, reaches the status file and the alert.
      const changes = ['agents.defaults.thinkingDefault: added "low"', "agents.defaults.timeoutSeconds: added 120"];
      expect(opened.changes).toEqual(changes);
      expect(validateSchema(loadStatusSchema(), readStatusOf(host))).toEqual([]);
      const alert = await until("the drift alert in the mailbox", () => daemon.alive() && /openclaw\.json/.test(mail()) && mail(), 30_000);
      for (const c of changes) expect(alert).toContain(c);
      // `check` compares against the same baseline and gives the same answer.
      expect(driftFilesByCheck()).toEqual([configPath]);

      const accept = spawnSync(process.execPath, [CLI, "accept"], { env, encoding: "utf8" });
      expect(accept.stderr).toBe("");
      expect(accept.status).toBe(0);
      expect(accept.stdout).toContain("Accepted as the new baseline");
      expect(accept.stdout).toContain("agents.defaults.timeoutSeconds");
      // One baseline for this install: the one the daemon reads.
      expect(readdirSync(join(host.xdg, "state", "clawpatrol", "baselines")).filter((f) => /^[0-9a-f]{12}\.json$/.test(f))).toHaveLength(1);

      await until("config.drift resolved in the status file", () => daemon.alive() && !driftIncident(), 30_000);
      expect(daemon.output()).toMatch(/incident closed \(accepted\): .*openclaw\.json/);
      expect(driftFilesByCheck()).toEqual([]);
    } catch (err) {
      process.stderr.write(`daemon output:\n${daemon.output()}\n`);
      throw err;
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    expect(daemon.output()).not.toContain(host.openrouterKey);
  }, 120_000);
});
