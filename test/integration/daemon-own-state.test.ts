// clawpatrol's own state, kept per OpenClaw install: a real daemon (dist CLI) on two seed installs
// sharing one clawpatrol state dir, a loopback fake provider, a mailbox and a real webhook server.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildSeedSandbox, type SeedSandbox } from "../../src/demo/seed-sandbox.js";
import { freePort } from "../../src/sandbox/free-port.js";
import { installStateDir } from "../../src/state/install-dir.js";
import { installationId } from "../../src/drift/baseline-store.js";
import { header } from "./notify/servers.js";
import { readStatusOf, startDaemon, until, type RunningDaemon } from "../support/daemon-process.js";

let provider: FakeProvider;
let webhook: Server;
let webhookUp = false;
const posts: string[] = [];
let xdg: string;
let configFile: string;
let mbox: string;
let a: SeedSandbox;
let b: SeedSandbox;
let aPort: number;

const cpDir = () => join(xdg, "state", "clawpatrol");
const host = (s: SeedSandbox) => ({ home: s.home, stateDir: s.stateDir, xdg, configFile });
const mail = () => (existsSync(mbox) ? readFileSync(mbox, "utf8").split(/^From /m).filter((m) => m.trim()) : []);

async function ready(s: SeedSandbox): Promise<{ run: RunningDaemon; status: Record<string, any> }> {
  const run = startDaemon(host(s));
  const status = await until("a ready status file from this daemon", () => {
    run.alive();
    const st = readStatusOf({ xdg });
    return st?.clawpatrol?.ready && st.clawpatrol.pid === run.child.pid ? st : undefined;
  });
  return { run, status };
}

beforeAll(async () => {
  provider = await startFakeProvider({ unknownKey: "401" });
  webhook = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      if (webhookUp) posts.push(body);
      res.statusCode = webhookUp ? 200 : 503;
      res.end();
    });
  });
  await new Promise<void>((r) => webhook.listen(0, "127.0.0.1", () => r()));
  // Nothing listens on either gateway port: each install has its own gateway.down.
  aPort = await freePort();
  a = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: aPort, now: Date.now() });
  b = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: await freePort(), now: Date.now() });
  xdg = mkdtempSync(join(tmpdir(), "clawpatrol-own-"));
  mbox = join(xdg, "alerts.mbox");
  configFile = join(xdg, "config.json5");
  const hook = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/hook`;
  writeFileSync(
    configFile,
    `{ alerts: { groupWait: "1s", resolveHold: "1s", retryInitial: "1s", retryMax: "2s",
         channels: [ { name: "mbox", type: "mailbox", path: ${JSON.stringify(mbox)} }, { name: "hook", type: "webhook", url: ${JSON.stringify(hook)} } ] },
       probe: { gatewaySchedule: "*/2 * * * * *" },
       remedy: { mode: "observe" } }`,
  );
});

afterAll(async () => {
  await provider?.close();
  await new Promise((r) => webhook?.close(r));
  a?.dispose();
  b?.dispose();
  if (xdg) rmSync(xdg, { recursive: true, force: true });
});

describe("clawpatrol's state is kept per OpenClaw install", () => {
  it("a second install sees none of the first one's incidents, queued alerts or baselines, and the first finds its state intact", async () => {
    // Install A: gateway down, alerted to the mailbox; the webhook refuses, so its copy stays queued.
    let { run, status } = await ready(a);
    const aGateway = await until("A's gateway.down alerted", () => {
      const inc = readStatusOf({ xdg })?.incidents?.find((i: any) => i.kind === "gateway.down" && i.notifiedAt);
      return inc;
    });
    const aDir = installStateDir(cpDir(), a.stateDir);
    const queued = () => readdirSync(join(aDir, "notify", "spool", "hook")).filter((f) => f.endsWith(".json"));
    await until("an alert queued for the refusing webhook", () => queued().length > 0);
    expect(existsSync(join(cpDir(), "baselines"))).toBe(true);
    expect(await run.stop()).toBe(0);
    const aIncidents = readStatusOf({ xdg })!.incidents.map((i: any) => i.id);

    // Install B, same clawpatrol state dir and config; the webhook now accepts everything.
    webhookUp = true;
    const mailBefore = mail().length;
    ({ run, status } = await ready(b));
    const bGateway = await until("B's own gateway.down", () => readStatusOf({ xdg })?.incidents?.find((i: any) => i.kind === "gateway.down"));
    await new Promise((r) => setTimeout(r, 4000)); // a few send rounds: anything of A's queued would be out
    const bStatus = readStatusOf({ xdg })!;
    expect(bStatus.openclaw.stateDir).toBe(b.stateDir);
    expect(bStatus.incidents.map((i: any) => i.id)).not.toEqual(expect.arrayContaining([aGateway.id]));
    expect(bStatus.incidents.filter((i: any) => aIncidents.includes(i.id))).toEqual([]);
    expect(bGateway.summary).not.toContain(String(aPort));
    expect(bStatus.incidents.filter((i: any) => i.kind === "config.drift")).toEqual([]);
    const sentOnB = [...posts, ...mail().slice(mailBefore)].join("\n");
    expect(sentOnB).not.toContain(aGateway.id);
    expect(sentOnB).not.toContain(String(aPort));
    expect(queued().length).toBeGreaterThan(0); // A's queue untouched by B
    expect(await run.stop()).toBe(0);

    // Back on A: the same incident, and its queued alert finally delivered (once).
    const postsBefore = posts.length;
    ({ run, status } = await ready(a));
    expect(status.incidents.map((i: any) => i.id)).toContain(aGateway.id);
    await until("A's queued alert delivered", () => posts.slice(postsBefore).some((p) => p.includes(aGateway.id)));
    expect(readStatusOf({ xdg })!.incidents.filter((i: any) => i.kind === "config.drift")).toEqual([]);
    expect(await run.stop()).toBe(0);
  }, 180_000);
});

describe("clawpatrol's own state, corrupted file by file", () => {
  it("warns once, moves the file aside, reports state.unreadable, and neither resolves nor re-pages nor invents drift", async () => {
    webhookUp = false; // keeps alerts queued for the webhook: there is a spool entry to break
    const c = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: await freePort(), now: Date.now() });
    let run: RunningDaemon | undefined;
    try {
      const dir = installStateDir(cpDir(), c.stateDir);
      ({ run } = await ready(c));
      let gateway = await until("gateway.down alerted", () => readStatusOf({ xdg })?.incidents?.find((i: any) => i.kind === "gateway.down" && i.notifiedAt));
      // An unaccepted hand edit: open drift that nothing below may resolve.
      const cfg = JSON.parse(readFileSync(c.configPath, "utf8"));
      writeFileSync(c.configPath, JSON.stringify({ ...cfg, session: { scope: "per-sender" } }, null, 2) + "\n");
      let drift = await until("config.drift alerted", () => readStatusOf({ xdg })?.incidents?.find((i: any) => i.kind === "config.drift" && i.notifiedAt), 60_000);
      await until("an alert queued for the refusing webhook", () => readdirSync(join(dir, "notify", "spool", "hook")).some((f) => f.endsWith(".json")));
      expect(await run!.stop()).toBe(0);
      // The audit journal of one switch and its undo (clawpatrol's own format): the counter must survive.
      const rec = (phase: string, op: string, before: string, after: string, at: string) => JSON.stringify({ opId: `op-${op}`, at, phase, who: "clawpatrol", op, agent: "main", why: ["route:main/openrouter"], path: "agents.list.0.model", before, after, ...(phase === "result" ? { result: "ok" } : {}) });
      writeFileSync(join(dir, "audit.jsonl"), [
        rec("intent", "fallback", "openrouter/moonshotai/kimi-k2.5", "openai-codex/gpt-5.4", new Date(Date.now() - 3600_000).toISOString()),
        rec("result", "fallback", "openrouter/moonshotai/kimi-k2.5", "openai-codex/gpt-5.4", new Date(Date.now() - 3599_000).toISOString()),
        rec("intent", "restore", "openai-codex/gpt-5.4", "openrouter/moonshotai/kimi-k2.5", new Date(Date.now() - 1800_000).toISOString()),
        rec("result", "restore", "openai-codex/gpt-5.4", "openrouter/moonshotai/kimi-k2.5", new Date(Date.now() - 1799_000).toISOString()),
      ].join("\n") + "\n");

      const spoolEntry = () => {
        const d = join(dir, "notify", "spool", "hook");
        return join(d, readdirSync(d).filter((f) => f.endsWith(".json")).sort()[0]!);
      };
      const files: [string, () => string][] = [
        ["health store", () => join(dir, "health.json")],
        ["alert planner state", () => join(dir, "notify", "state.json")],
        ["delivered-alert ledger", () => join(dir, "notify", "sent.json")],
        ["run cursors", () => join(dir, "run-cursors.json")],
        ["remedy state", () => join(dir, "remedy-state.json")],
        ["silences", () => join(dir, "silences.json")],
        // This install's own baseline (the state-leak test leaves A's and B's beside it).
        ["drift baseline", () => join(cpDir(), "baselines", `${installationId(c.stateDir)}.json`)],
        ["fingerprint salt", () => join(cpDir(), "fingerprint-salt")],
        ["a queued alert", spoolEntry],
      ];
      for (const [what, pathOf] of files) {
        const file = pathOf();
        writeFileSync(file, what === "fingerprint salt" ? "zz\n" : '{"version": 1, "truncat');
        const mailBefore = mail().length;
        ({ run } = await ready(c));
        const warningsNow = () => run!.output().split("\n").filter((l) => l.includes(`"msg":"${file} could not be read`));
        const reportedNow = () => readStatusOf({ xdg })?.stateProblems?.some((p: any) => p.file === file);
        await until(`the warning and the state problem for the ${what}`, () => warningsNow().length > 0 && reportedNow(), 30_000);
        // Then a few probe rounds past groupWait; the run cursors get two main-loop rounds (a warning every 5 s was the bug).
        await new Promise((r) => setTimeout(r, what === "run cursors" ? 11_000 : 6_000));
        const status = readStatusOf({ xdg })!;
        const warnings = warningsNow();
        expect({ what, warnings: warnings.length }).toEqual({ what, warnings: 1 });
        expect({ what, aside: readdirSync(join(file, "..")).some((f) => f.startsWith(`${file.split("/").pop()}.corrupt-`)) }).toEqual({ what, aside: true });
        expect({ what, reported: status.stateProblems?.some((p: any) => p.file === file) }).toEqual({ what, reported: true });
        expect({ what, finding: status.incidents.some((i: any) => i.kind === "state.unreadable" && i.subject.file === file) }).toEqual({ what, finding: true });
        // Nothing that did not change was resolved or paged again; no drift was invented.
        const open = status.incidents;
        expect({ what, gateway: open.filter((i: any) => i.kind === "gateway.down").length }).toEqual({ what, gateway: 1 });
        expect({ what, drift: open.filter((i: any) => i.kind === "config.drift").map((i: any) => i.subject.file) }).toEqual({ what, drift: [drift.subject.file] });
        if (what !== "health store") expect(open.map((i: any) => i.id)).toEqual(expect.arrayContaining([gateway.id, drift.id]));
        // Rebuilt from observation: new ids, but the alerts already sent count for them (no page).
        gateway = open.find((i: any) => i.kind === "gateway.down");
        drift = open.find((i: any) => i.kind === "config.drift");
        const sent = mail().slice(mailBefore);
        const sentSubjects = sent.map((m) => header(m, "Subject") ?? "");
        expect({ what, resolves: sentSubjects.filter((x) => /Resolved/.test(x)) }).toEqual({ what, resolves: [] });
        expect({ what, repaged: sentSubjects.filter((x) => /gateway|drift|changed/i.test(x)) }).toEqual({ what, repaged: [] });
        const planner = () => JSON.stringify(Object.values(JSON.parse(readFileSync(join(dir, "notify", "state.json"), "utf8")).planner.tracked).map((t: any) => [t.incident.id, t.incident.subjectKey, t.status]));
        const log = () => run!.output().split("\n").filter((l) => /incident (opened|updated|resolved)|delivered|continued/.test(l)).map((l) => l.slice(0, 200)).join("\n");
        await until(`${what}: the open incidents carry the alerts already sent`, async () => {
          const st = readStatusOf({ xdg })!;
          const g = st.incidents.find((i: any) => i.kind === "gateway.down");
          const d = st.incidents.find((i: any) => i.kind === "config.drift");
          return g?.notifiedAt && d?.notifiedAt;
        }, 10_000).catch((err: Error) => {
          throw new Error(`${err.message}\nplanner: ${planner()}\n${log()}`);
        });
        if (what === "remedy state") {
          const rebuilt = JSON.parse(readFileSync(file, "utf8"));
          expect(rebuilt.active).toEqual({});
          expect(rebuilt.switches.main).toHaveLength(1);
        }
        expect(await run!.stop()).toBe(0);
      }
    } finally {
      await run?.stop();
      c.dispose();
    }
  }, 400_000);
});
