// The daemon compares its reading with the installed OpenClaw's own `models status` once it has
// settled after starting and after each change: a difference opens a clawpatrol.disagrees incident
// (one alert naming the field and both answers), and the comparison after the fix resolves it.
// The fake `openclaw` of the test support answers (the real 9.6 in test/e2e/live-oracle.e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildFleetHost, startGatewayStandIn, type FleetHost } from "../support/fleet-host.js";
import { CLI, readStatusOf, startDaemon, until } from "../support/daemon-process.js";

const FAKE = join(process.cwd(), "test", "support", "fake-openclaw.mjs");
const MAIN = { defaultModel: "openrouter/moonshotai/kimi-k2.5", modelConfig: { defaultSource: "agent" } };

let provider: FakeProvider;
let gateway: Awaited<ReturnType<typeof startGatewayStandIn>>;
let host: FleetHost;
const control = () => join(host.home, "control.json");
const envLog = () => join(host.home, "oracle-calls.jsonl");
const mbox = () => join(host.xdg, "alerts.mbox");
const mail = () => (existsSync(mbox()) ? readFileSync(mbox(), "utf8") : "");
const answer = (main: unknown) => writeFileSync(control(), JSON.stringify({ modelsStatus: { main } }));
const disagrees = () => readStatusOf(host)?.incidents?.find((i: { kind: string }) => i.kind === "clawpatrol.disagrees");

beforeAll(async () => {
  expect(existsSync(CLI)).toBe(true);
  provider = await startFakeProvider({ unknownKey: "401" });
  // Up for ten minutes: past the start-up the oracle leaves alone.
  gateway = await startGatewayStandIn({ upForMs: 600_000 });
  host = buildFleetHost("oracle", { providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
  provider.setKeyBehaviour(host.openrouterKey, "ok");
  // OpenClaw's CLI gets the gateway service's environment: the fake's controls go there.
  mkdirSync(join(host.stateDir, "service-env"));
  writeFileSync(join(host.stateDir, "service-env", "fake.env"), `FAKE_OPENCLAW_CONTROL=${control()}\nFAKE_OPENCLAW_ENV_LOG=${envLog()}\n`);
  writeFileSync(
    host.configFile,
    JSON.stringify({
      openclaw: { bin: FAKE },
      verify: { settle: "1s" },
      alerts: { groupWait: "1s", resolveHold: "1s", channels: [{ name: "mbox", type: "mailbox", path: mbox() }] },
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

describe("the daemon's live oracle", () => {
  it("opens clawpatrol.disagrees naming the field and both answers, alerts once, and resolves when a later comparison agrees", async () => {
    // OpenClaw says main falls back to openai/gpt-5.4; clawpatrol reads main's model string as strict.
    answer({ ...MAIN, fallbacks: ["openai/gpt-5.4"] });
    const daemon = startDaemon(host);
    try {
      const opened = await until("clawpatrol.disagrees in the status file", () => daemon.alive() && disagrees(), 60_000);
      expect(opened).toMatchObject({ severity: "warning", subject: { agent: "main" } });
      expect(opened.summary).toBe('clawpatrol reads agent main differently from OpenClaw 2026.9.6\'s own models status — fallbacks: OpenClaw says ["openai/gpt-5.4"] · clawpatrol says []');
      const alert = await until("the alert", () => daemon.alive() && /differently from OpenClaw/.test(mail()) && mail(), 30_000).catch((e) => { throw new Error(e.message + "\nMAIL:" + mail() + "\nLOG:" + daemon.output().split("\n").filter((l) => /incident|alert|deliver|verify/.test(l)).join("\n")); });
      expect(alert).toContain("clawpatrol verify --agent main --json");
      // OpenClaw ran on a private copy in clawpatrol's own state dir, never on the install.
      const calls = readFileSync(envLog(), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { args: string[]; OPENCLAW_STATE_DIR: string });
      expect(calls[0]!.args).toEqual(["models", "status", "--json", "--agent", "main"]);
      expect(calls[0]!.OPENCLAW_STATE_DIR.startsWith(join(host.xdg, "state", "clawpatrol", "oracle", "copy-"))).toBe(true);
      expect(daemon.output()).toContain("verify: clawpatrol disagrees with OpenClaw 2026.9.6 on agent main: fallbacks");

      // The fix: main's model gets the fallback OpenClaw names. The change settles, the next comparison agrees.
      const configPath = join(host.stateDir, "openclaw.json");
      const doc = JSON.parse(readFileSync(configPath, "utf8"));
      doc.agents.entries.main.model = { primary: "openrouter/moonshotai/kimi-k2.5", fallbacks: ["openai/gpt-5.4"] };
      writeFileSync(configPath, JSON.stringify(doc, null, 2) + "\n");
      await until("clawpatrol.disagrees resolved", () => daemon.alive() && readStatusOf(host)?.incidents && !disagrees(), 60_000);
      expect(daemon.output()).toMatch(/verify: clawpatrol agrees with OpenClaw 2026\.9\.6 on 1 agent/);
      const about = () => mail().split(/^From /m).filter((m) => /differently from OpenClaw/.test(m));
      const both = await until("the resolved notice", () => daemon.alive() && about().length >= 2 && about(), 30_000);
      // One message when it opened, one when it resolved.
      expect(both).toHaveLength(2);
      expect(both[1]).toMatch(/Resolved/);
    } finally {
      await daemon.stop();
    }
  }, 150_000);

  it("without openclaw on PATH the comparison is skipped, with the reason and the fix logged once", async () => {
    writeFileSync(host.configFile, JSON.stringify({ verify: { settle: "1s" }, drift: { rescanInterval: "1h" }, alerts: { channels: [{ name: "log", type: "log" }] } }));
    const daemon = startDaemon(host);
    try {
      const line = "verify skipped: openclaw is not on PATH — fix: install OpenClaw (npm install -g openclaw) or set openclaw.bin in clawpatrol's config";
      await until("the skip reason in the log", () => daemon.alive() && daemon.output().includes(line), 60_000);
      expect(daemon.output().split(line).length - 1).toBe(1);
    } finally {
      await daemon.stop();
    }
  }, 90_000);
});
