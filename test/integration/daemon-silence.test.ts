// `clawpatrol silence` and `clawpatrol ack` against a running daemon (dist CLI, real processes, a
// seed install whose gateway is down, mailbox channel): nothing while silenced, exactly one message
// when the silence ends with the problem still there, no reminders after an ack, the resolve still sent.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildSeedSandbox, type SeedSandbox } from "../../src/demo/seed-sandbox.js";
import { freePort } from "../../src/sandbox/free-port.js";
import { installStateDir } from "../../src/state/install-dir.js";
import { renderStatus } from "../../src/status/render.js";
import type { StatusSnapshot } from "../../src/status/snapshot.js";
import { header } from "./notify/servers.js";
import { CLI, readStatusOf, startDaemon, until, type RunningDaemon } from "../support/daemon-process.js";

let provider: FakeProvider;
let seed: SeedSandbox;
let gatewayPort: number;
let gateway: Server | undefined;
let xdg: string;
let configFile: string;
let mbox: string;
let run: RunningDaemon | undefined;

const env = () => ({ PATH: process.env.PATH, HOME: seed.home, XDG_STATE_HOME: join(xdg, "state"), XDG_CONFIG_HOME: join(xdg, "config"), TMPDIR: join(xdg, "tmp") });
function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, "--state-dir", seed.stateDir, "--config", configFile], { env: env(), encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const subjects = () => (existsSync(mbox) ? readFileSync(mbox, "utf8").split(/^From /m).filter((m) => m.trim()).map((m) => header(m, "Subject") ?? "") : []);
const aboutGateway = () => subjects().filter((s) => /gateway/i.test(s));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  provider = await startFakeProvider({ unknownKey: "401" });
  gatewayPort = await freePort(); // nothing listens: gateway.down
  seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort, now: Date.now() });
  xdg = mkdtempSync(join(tmpdir(), "clawpatrol-silence-"));
  mbox = join(xdg, "alerts.mbox");
  configFile = join(xdg, "config.json5");
  writeFileSync(
    configFile,
    `{ alerts: { groupWait: "1s", resolveHold: "1s", repeatInterval: "10s", channels: [ { name: "mbox", type: "mailbox", path: ${JSON.stringify(mbox)} } ] },
       probe: { gatewaySchedule: "*/2 * * * * *" },
       remedy: { mode: "observe" } }`,
  );
});

afterAll(async () => {
  await run?.stop();
  await provider?.close();
  if (gateway) await new Promise((r) => gateway!.close(r));
  seed?.dispose();
  if (xdg) rmSync(xdg, { recursive: true, force: true });
});

describe("silence and ack in the running daemon", () => {
  it("nothing while silenced, one message when the silence ends, no reminders after an ack, and the resolve", async () => {
    const set = cli("silence", "--kind", "gateway", "--for", "60s", "--reason", "planned maintenance");
    expect(set.err).toBe("");
    expect(set.code).toBe(0);
    const silencedUntil = Date.now() + 60_000;
    expect(set.out).toMatch(/^Silenced: sil-[0-9a-f]{6}  kind gateway  until /);

    run = startDaemon({ home: seed.home, stateDir: seed.stateDir, xdg, configFile });
    const down = await until("gateway.down open and shown as silenced", () => {
      run!.alive();
      const s = readStatusOf({ xdg });
      const inc = s?.incidents?.find((i: any) => i.kind === "gateway.down");
      return inc?.muted?.by === "silence" && s!.silences?.length === 1 ? inc : undefined;
    });
    const text = renderStatus(readStatusOf({ xdg }) as StatusSnapshot, { now: Date.now(), color: false });
    expect(text).toMatch(/SILENCES[\s\S]*kind gateway[\s\S]*planned maintenance/);
    expect(text).toContain(`silenced by ${readStatusOf({ xdg })!.silences[0].id}`);

    await sleep(Math.max(0, silencedUntil - Date.now() - 1000));
    expect(aboutGateway()).toEqual([]);
    const first = await until("one message once the silence ended", () => (aboutGateway().length > 0 ? aboutGateway() : undefined), 20_000);
    expect(first).toHaveLength(1);

    const ack = cli("ack", down.id, "--reason", "on it");
    expect(ack.err).toBe("");
    expect(ack.code).toBe(0);
    await until("the ack shown in status", () => readStatusOf({ xdg })?.incidents?.find((i: any) => i.id === down.id)?.muted?.by === "ack", 15_000);
    await sleep(2000); // a reminder already handed to the channel before the ack was read may still land
    const acked = aboutGateway().length;
    await sleep(25_000); // two and a half repeat intervals
    expect(aboutGateway()).toHaveLength(acked);

    // The gateway comes back: the ack does not swallow the resolve.
    gateway = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(req.url === "/readyz" ? JSON.stringify({ ready: true, failing: [], uptimeMs: 1000 }) : JSON.stringify({ ok: true, status: "live" }));
    });
    await new Promise<void>((r) => gateway!.listen(gatewayPort, "127.0.0.1", () => r()));
    const after = await until("the resolve", () => (aboutGateway().some((s) => /Resolved/.test(s)) ? aboutGateway() : undefined), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${subjects().join("\n")}\n${run!.output().split("\n").filter((l) => /gateway|incident|alert/.test(l)).slice(-30).join("\n")}`);
    });
    expect(after.filter((s) => /Resolved/.test(s))).toHaveLength(1);

    const audit = readFileSync(join(installStateDir(join(xdg, "state", "clawpatrol"), seed.stateDir), "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(audit.map((r) => `${r.op} ${r.who}`)).toEqual(["silence user", "ack user"]);
    expect(cli("silence", "--list").out).toMatch(/^No active silences/);
    expect(cli("silence", "--clear", "sil-000000").code).toBe(3);
    expect(await run.stop()).toBe(0);
  }, 300_000);
});
