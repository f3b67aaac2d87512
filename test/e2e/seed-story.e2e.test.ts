// The seed-000 story end to end on a real OpenClaw 2026.9.6 gateway: the user set the defaults,
// agent main's own model shadows them, a stale stored OpenRouter profile beats the valid env key,
// every call 401s. clawpatrol explains it, falls main back to the probe-verified default, alerts by
// real SMTP and webhook, a real turn then succeeds, and it switches back when OpenRouter heals.
// Also: a healthy installation produces no findings and no alerts over several probe cycles.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { cachedOpenClawEntry } from "../../src/sandbox/openclaw-cli.js";
import { ScratchInstall } from "../../src/sandbox/scratch-install.js";
import { GatewayProcess } from "../../src/sandbox/gateway-process.js";
import { freePort } from "../../src/sandbox/free-port.js";
import { validateSchema, loadStatusSchema } from "../../src/status/validate.js";
import { TestSmtp, TestHttp } from "../integration/notify/servers.js";
import { installStateDir } from "../../src/state/install-dir.js";

const CLI = join(process.cwd(), "dist", "src", "cli", "main.js");
const ENTRY = cachedOpenClawEntry("2026.9.6");
const d = ENTRY ? describe : describe.skip;
if (!ENTRY) process.stderr.write("seed-story e2e: openclaw 2026.9.6 is not in the e2e cache (test/e2e/global-setup.mjs installs it)\n");

const key = (tail: string) => `sk-or-v1-${randomBytes(30).toString("hex")}${tail}`;
const STALE = key("04f4");
const GOOD = key("a81c");
const BACKUP = `sk-backup-${randomBytes(20).toString("hex")}`;
const TOKEN = randomBytes(24).toString("hex");
const SECRETS = [STALE, GOOD, BACKUP, TOKEN];

async function until<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// Asynchronous on purpose: the fake provider lives in this process and must keep answering.
function clawpatrol(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, encoding: "utf8", timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0, stdout, stderr });
    });
  });
}

interface Stack {
  provider: FakeProvider;
  scratch: ScratchInstall;
  gateway: GatewayProcess;
  env: NodeJS.ProcessEnv;
  xdg: string;
}

async function buildStack(config: (providerUrl: string, port: number) => Record<string, unknown>, envLines: string[], prefix: string): Promise<Stack> {
  const provider = await startFakeProvider({ unknownKey: "401", modelIds: ["moonshotai/kimi-k2.5", "gpt-ok", "mock-ok"] });
  const port = await freePort();
  const scratch = new ScratchInstall({ config: config(provider.url, port), envLines, entry: ENTRY!, prefix });
  const xdg = join(scratch.home, "xdg");
  mkdirSync(xdg, { recursive: true });
  const env = { ...scratch.env, XDG_STATE_HOME: join(xdg, "state"), XDG_CONFIG_HOME: join(xdg, "config") };
  const gateway = new GatewayProcess(scratch.requireCli(), { port, logPath: join(scratch.home, "gateway.out") });
  return { provider, scratch, gateway, env, xdg };
}

function startDaemon(stack: Stack, configText: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const file = join(stack.xdg, "clawpatrol.json5");
  writeFileSync(file, configText);
  let out = "";
  const child = spawn(process.execPath, [CLI, "run", "--config", file], { env: stack.env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c) => (out += c));
  child.stderr!.on("data", (c) => (out += c));
  return { child, output: () => out, exited: new Promise((r) => child.once("exit", (c) => r(c))) };
}

function status(stack: Stack): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(join(stack.xdg, "state", "clawpatrol", "status.json"), "utf8"));
  } catch {
    return undefined;
  }
}

async function tearDown(stack: Stack | undefined, ...servers: { stop(): Promise<void> }[]): Promise<void> {
  await stack?.gateway.stop();
  await stack?.provider.close();
  for (const s of servers) await s.stop();
  stack?.scratch.dispose();
}

async function configGet(stack: Stack, path: string): Promise<unknown> {
  const r = await stack.scratch.requireCli().run(["config", "get", path, "--json"]);
  return JSON.parse(r.stdout);
}

async function validates(stack: Stack): Promise<boolean> {
  const v = await stack.scratch.requireCli().json<{ valid: boolean }>(["config", "validate"]);
  return v.valid === true;
}

d("the seed-000 story on OpenClaw 2026.9.6", () => {
  let stack: Stack;
  const smtp = new TestSmtp();
  const hook = new TestHttp();

  beforeAll(async () => {
    await smtp.start();
    await hook.start();
    stack = await buildStack(
      (url, port) => ({
        gateway: { mode: "local", bind: "loopback", port, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
        tools: { web: { search: { enabled: false } } },
        models: {
          providers: {
            openrouter: { baseUrl: `${url}/api/v1` },
            backup: { baseUrl: `${url}/v1`, apiKey: "${BACKUP_API_KEY}", api: "openai-completions", models: [{ id: "gpt-ok", name: "GPT OK" }] },
          },
        },
        // The user switched the defaults to a working model; main's own model shadows them.
        agents: { defaults: { model: { primary: "backup/gpt-ok" } }, entries: { main: { name: "main", model: "openrouter/moonshotai/kimi-k2.5" } } },
      }),
      [`OPENCLAW_GATEWAY_TOKEN=${TOKEN}`, `OPENROUTER_API_KEY=${GOOD}`, `BACKUP_API_KEY=${BACKUP}`],
      "clawpatrol-e2e-seed-",
    );
    stack.provider.setKeyBehaviour(GOOD, "ok");
    stack.provider.setKeyBehaviour(BACKUP, "ok");
    await stack.scratch.storeApiKey("main", "openrouter", "openrouter:default", STALE);
    expect(await validates(stack)).toBe(true);
    await stack.gateway.start();
    await stack.gateway.ready();
  }, 300_000);

  afterAll(() => tearDown(stack, smtp, hook), 60_000);

  it("explains the shadowed default and the stale profile, and the probe names the rejected key", async () => {
    const check = await clawpatrol(["check", "--json"], stack.env);
    const report = JSON.parse(check.stdout) as { openclaw: { version: string; era: string }; findings: { kind: string; severity: string; subject: { agent?: string } }[] };
    expect(report.openclaw).toMatchObject({ version: "2026.9.6", era: "E" });
    const kinds = report.findings.map((f) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(["config.shadowed-default", "auth.shadowed", "auth.rejected"]));
    expect(report.findings.find((f) => f.kind === "config.shadowed-default")!.subject.agent).toBe("main");
    expect(check.code).toBe(2);

    const explain = await clawpatrol(["explain", "--agent", "main"], stack.env);
    expect(explain.stdout).toMatch(/agents\.entries\.main\.model/);
    expect(explain.stdout).toMatch(/uses:\s+stored profile openrouter:default/);
    expect(explain.stdout).toMatch(/sk-or-v1-…04f4/);

    const probe = await clawpatrol(["probe", "--agent", "main"], stack.env);
    expect(probe.stdout).toMatch(/stored profile openrouter:default .*is rejected \(HTTP 401.*OPENROUTER_API_KEY .*works, but the runtime uses the stored profile/s);
    for (const s of SECRETS) for (const out of [check.stdout, check.stderr, explain.stdout, probe.stdout]) expect(out).not.toContain(s);
  }, 120_000);

  it("sees the real 401 turn as an empty reply, falls back to the verified default, and switches back when healed", async () => {
    // A real turn fails: what the user saw as an empty bubble.
    const turn = await stack.scratch.requireCli().run(["agent", "--agent", "main", "--message", "hi", "--json"], 180_000);
    expect(turn.code).not.toBe(0);
    const since = await clawpatrol(["check", "--json", "--since", "10m"], stack.env);
    expect(JSON.parse(since.stdout).findings.map((f: { kind: string }) => f.kind)).toContain("run.empty-reply");

    const daemon = startDaemon(
      stack,
      JSON.stringify({
        openclaw: { bin: ENTRY },
        probe: { authSchedule: "*/5 * * * * *", gatewaySchedule: "*/5 * * * * *", jitter: 0 },
        alerts: {
          groupWait: "2s",
          resolveHold: "2s",
          channels: [
            { name: "mail", type: "email", host: "127.0.0.1", port: smtp.port, secure: false, starttls: "off", from: "clawpatrol@e2e.test", to: ["ops@e2e.test"] },
            { name: "hook", type: "webhook", url: hook.url() },
          ],
        },
        remedy: { mode: "act", minHold: "5s", editGrace: "3s" },
      }),
    );
    try {
      // Within a few probe intervals: main is switched to the verified default through the CLI.
      await until("main switched to backup/gpt-ok", async () => (await configGet(stack, "agents.entries.main.model")) === "backup/gpt-ok", 180_000);
      expect(await validates(stack)).toBe(true);
      const st = await until("the fallback in the status file", () => {
        const s = status(stack);
        return s?.agents?.[0]?.fallbackFrom ? s : undefined;
      }, 60_000);
      expect(validateSchema(loadStatusSchema(), st)).toEqual([]);
      expect(st.agents[0].fallbackFrom).toBe("openrouter/moonshotai/kimi-k2.5");
      expect(st.recentActions.some((a: { type: string; agent: string; result: string }) => a.type === "fallback" && a.agent === "main" && a.result === "ok")).toBe(true);

      // A real turn now succeeds on the fallback.
      const ok = await stack.scratch.requireCli().run(["agent", "--agent", "main", "--message", "hi", "--json"], 180_000);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).result.payloads[0].text).toBe("PONG");

      // Alerts arrived on their own path: real SMTP and a real webhook, naming main and the action.
      await until("an email about main", () => smtp.mails.some((m) => /^Subject: .*main/m.test(m.raw)), 60_000);
      await until("the action in an alert", () => [...smtp.mails.map((m) => m.raw), ...hook.requests.map((r) => r.body)].some((t) => /switched main to backup\/gpt-ok/.test(t)), 60_000);
      expect(hook.requests.length).toBeGreaterThan(0);
      expect(JSON.parse(hook.requests[0]!.body)).toMatchObject({ schema: 1 });

      // OpenRouter heals (the stored key is accepted again): clawpatrol restores exactly the old value.
      stack.provider.setKeyBehaviour(STALE, "ok");
      await until("main switched back", async () => (await configGet(stack, "agents.entries.main.model")) === "openrouter/moonshotai/kimi-k2.5", 180_000);
      expect(await validates(stack)).toBe(true);
      const models = await stack.scratch.requireCli().json<{ defaultModel?: string; resolvedDefault?: string }>(["models", "status", "--agent", "main"]);
      expect(JSON.stringify(models)).toContain("openrouter/moonshotai/kimi-k2.5");

      daemon.child.kill("SIGTERM");
      expect(await daemon.exited).toBe(0);
      const everything = [daemon.output(), ...smtp.mails.map((m) => m.raw), ...hook.requests.map((r) => r.body), readFileSync(join(stack.xdg, "state", "clawpatrol", "status.json"), "utf8")].join("\n");
      for (const s of SECRETS) expect(everything).not.toContain(s);
    } catch (err) {
      process.stderr.write(`clawpatrol daemon output:\n${daemon.output().slice(-20_000)}\n`);
      throw err;
    } finally {
      if (daemon.child.exitCode === null) daemon.child.kill("SIGKILL");
    }
  }, 600_000);
});

d("a healthy OpenClaw 2026.9.6 installation", () => {
  let stack: Stack;
  const hook = new TestHttp();
  const HEALTHY = `sk-healthy-${randomBytes(20).toString("hex")}`;

  beforeAll(async () => {
    await hook.start();
    stack = await buildStack(
      (url, port) => ({
        gateway: { mode: "local", bind: "loopback", port, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
        tools: { web: { search: { enabled: false } } },
        models: { providers: { mock: { baseUrl: `${url}/v1`, apiKey: "${MOCK_API_KEY}", api: "openai-completions", models: [{ id: "mock-ok", name: "Mock OK" }] } } },
        agents: { defaults: { model: { primary: "mock/mock-ok" } }, entries: { main: { name: "main" } } },
      }),
      [`OPENCLAW_GATEWAY_TOKEN=${TOKEN}`, `MOCK_API_KEY=${HEALTHY}`],
      "clawpatrol-e2e-healthy-",
    );
    stack.provider.setKeyBehaviour(HEALTHY, "ok");
    await stack.gateway.start();
    await stack.gateway.ready();
  }, 300_000);

  afterAll(async () => {
    await stack?.gateway.stop();
    await stack?.provider.close();
    await hook.stop();
    stack?.scratch.dispose();
  }, 60_000);

  it("produces no findings and no alerts over several probe cycles", async () => {
    const check = await clawpatrol(["check", "--json"], stack.env);
    expect(JSON.parse(check.stdout).findings.filter((f: { severity: string }) => f.severity !== "info")).toEqual([]);
    expect(check.code).toBe(0);

    const daemon = startDaemon(
      stack,
      JSON.stringify({
        probe: { authSchedule: "*/3 * * * * *", gatewaySchedule: "*/3 * * * * *", jitter: 0 },
        alerts: { groupWait: "1s", channels: [{ name: "hook", type: "webhook", url: hook.url() }] },
      }),
    );
    try {
      await until("ready", () => status(stack)?.clawpatrol?.ready, 60_000);
      await new Promise((r) => setTimeout(r, 20_000)); // ≥ 5 auth and gateway probe cycles
      const st = status(stack)!;
      expect(validateSchema(loadStatusSchema(), st)).toEqual([]);
      expect(st.incidents).toEqual([]);
      expect(st.summary.overall).toBe("ok");
      expect(st.gateway.up).toBe(true);
      expect(st.agents[0].routes[0].lastProbe.verdict).toBe("pass");
      expect(hook.requests).toEqual([]);
      expect(existsSync(join(stack.xdg, "state", "clawpatrol"))).toBe(true);
    } catch (err) {
      process.stderr.write(`clawpatrol daemon output:\n${daemon.output().slice(-20_000)}\n`);
      throw err;
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
    }
  }, 300_000);
});

// The fallback loop closes on a real gateway (issue 13): two agents, OpenClaw's config migrations
// on the first `config set`, a 401 turn before the switch that must not keep the primary down
// afterwards. Asserted at every step: the whole config diff, `config validate`, the messages sent.
d("fallback and switch-back round trip on OpenClaw 2026.9.6", () => {
  let stack: Stack;
  const smtp = new TestSmtp();
  const hook = new TestHttp();
  // Marked fake: this round trip's keys are only ever behaviours of the loopback provider.
  const OR_KEY = `sk-or-v1-fake-${randomBytes(25).toString("hex")}9c1e`;
  const ACME = `sk-acme-fake-${randomBytes(20).toString("hex")}`;
  const KEYS = [OR_KEY, ACME, TOKEN];

  beforeAll(async () => {
    await smtp.start();
    await hook.start();
    stack = await buildStack(
      (url, port) => ({
        gateway: { mode: "local", bind: "loopback", port, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
        tools: { web: { search: { enabled: false } } },
        models: {
          providers: {
            openrouter: { baseUrl: `${url}/api/v1` },
            acme: { baseUrl: `${url}/v1`, apiKey: "${ACME_API_KEY}", api: "openai-completions", models: [{ id: "mock-ok", name: "Mock OK" }] },
          },
        },
        agents: { ownership: "explicit", entries: { courier: { name: "courier", model: "openrouter/auto" }, scout: { name: "scout", model: "acme/mock-ok" } } },
      }),
      [`OPENCLAW_GATEWAY_TOKEN=${TOKEN}`, `OPENROUTER_API_KEY=${OR_KEY}`, `ACME_API_KEY=${ACME}`],
      "clawpatrol-e2e-roundtrip-",
    );
    stack.provider.setKeyBehaviour(OR_KEY, "ok");
    stack.provider.setKeyBehaviour(ACME, "ok");
    expect(await validates(stack)).toBe(true);
    await stack.gateway.start();
    await stack.gateway.ready();
  }, 300_000);

  afterAll(() => tearDown(stack, smtp, hook), 60_000);

  const doc = (): Record<string, any> => JSON.parse(readFileSync(stack.scratch.configPath, "utf8"));
  const withoutMeta = (d: Record<string, any>) => {
    const { meta: _meta, ...rest } = d;
    return rest;
  };
  const turn = (agent: string) => stack.scratch.requireCli().run(["agent", "--agent", agent, "--message", "hi", "--json"], 180_000);
  const messages = () => [...smtp.mails.map((m) => ({ channel: "mail", text: m.raw })), ...hook.requests.map((r) => ({ channel: "hook", text: r.body }))];
  const hookKinds = () => hook.requests.flatMap((r) => (JSON.parse(r.body) as { incidents: { kind: string }[] }).incidents.map((i) => i.kind));

  it("switches courier to the verified fallback, keeps probing openrouter/auto, switches back when it heals, and says so in at most three messages per channel", async () => {
    const daemon = startDaemon(
      stack,
      JSON.stringify({
        openclaw: { bin: ENTRY },
        probe: { authSchedule: "*/5 * * * * *", gatewaySchedule: "*/5 * * * * *", jitter: 0 },
        alerts: {
          groupWait: "2s",
          resolveHold: "2s",
          channels: [
            { name: "mail", type: "email", host: "127.0.0.1", port: smtp.port, secure: false, starttls: "off", from: "clawpatrol@e2e.test", to: ["ops@e2e.test"] },
            { name: "hook", type: "webhook", url: hook.url() },
          ],
        },
        remedy: { mode: "act", minHold: "10s", editGrace: "3s", candidates: { global: ["acme/mock-ok"] } },
      }),
    );
    try {
      await until("ready", () => status(stack)?.clawpatrol?.ready, 120_000);
      const d0 = doc();

      // The OpenRouter key starts failing; a real turn for courier fails on it.
      stack.provider.setKeyBehaviour(OR_KEY, "401");
      const faultAt = Date.now();
      expect((await turn("courier")).code).not.toBe(0);
      await until("courier switched to acme/mock-ok", () => doc().agents?.entries?.courier?.model === "acme/mock-ok", 90_000);
      const switchMs = Date.now() - faultAt;
      process.stderr.write(`round trip: switched ${Math.round(switchMs / 1000)} s after the fault\n`);
      expect(switchMs).toBeLessThanOrEqual(90_000);
      expect(await validates(stack)).toBe(true);
      // The whole document: courier's model changed; OpenClaw's migration also set the shared default.
      const d1 = doc();
      expect(withoutMeta(d1)).toEqual({ ...withoutMeta(d0), agents: { ...d0.agents, entries: { ...d0.agents.entries, courier: { name: "courier", model: "acme/mock-ok" } }, defaults: { model: { primary: "acme/mock-ok" } } } });
      expect(Object.keys(d1.meta?.migrations ?? {})).toEqual(expect.arrayContaining(["modelPolicyAllowlist", "utilityModelSeparation"]));
      const auditResult = (op: string) => {
        const lines = readFileSync(join(installStateDir(join(stack.xdg, "state", "clawpatrol"), stack.scratch.stateDir), "audit.jsonl"), "utf8").split("\n").filter(Boolean);
        return lines.map((l) => JSON.parse(l)).find((r) => r.op === op && r.phase === "result" && r.result === "ok");
      };
      // The config is written before the switch is confirmed (validate, gateway health): wait for its record.
      const switched = await until("the switch's audit record", () => auditResult("fallback"), 60_000);
      expect(switched.collateral.map((c: { path: string }) => c.path)).toEqual(["agents.defaults.model.primary"]);
      await until("the action in an alert", () => messages().some((m) => /OpenClaw also changed agents\.defaults\.model\.primary/.test(m.text)), 60_000);

      // A real turn answers on the fallback; the status names the down primary.
      const ok = await turn("courier");
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).result.payloads[0].text).toBe("PONG");
      const st = status(stack)!;
      expect(validateSchema(loadStatusSchema(), st)).toEqual([]);
      const courier = st.agents.find((a: { id: string }) => a.id === "courier");
      expect(courier.line).toMatch(/^on acme\/mock-ok since \d\d:\d\d, primary openrouter\/auto (down|recovering)$/);
      expect(st.summary.routesOk).toBeLessThan(st.summary.routes);

      // The key heals: every probe of the runtime's credential passes again.
      stack.provider.setKeyBehaviour(OR_KEY, "ok");
      const healAt = Date.now();
      await until("courier switched back", () => doc().agents?.entries?.courier?.model === "openrouter/auto", 100_000);
      const backMs = Date.now() - healAt;
      process.stderr.write(`round trip: switched back ${Math.round(backMs / 1000)} s after the heal\n`);
      expect(backMs).toBeLessThanOrEqual(100_000);
      expect(await validates(stack)).toBe(true);
      // Restored exactly: the shared default OpenClaw added is gone again (its bookkeeping stays).
      const restored = await until("the switch back's audit record", () => auditResult("restore"), 60_000);
      expect(restored.reverted).toEqual(["agents.defaults.model.primary"]);
      expect(withoutMeta(doc())).toEqual(withoutMeta(d0));
      const primary = await turn("courier");
      expect(primary.code).toBe(0);
      expect(JSON.parse(primary.stdout).result.payloads[0].text).toBe("PONG");

      await until("resolved email and webhook", () => smtp.mails.some((m) => /^Subject: .*Resolved/m.test(m.raw)) && hook.requests.some((r) => JSON.parse(r.body).type === "resolved"), 60_000);
      await new Promise((r) => setTimeout(r, 6000)); // anything still queued would go out now
      const perChannel = (c: string) => messages().filter((m) => m.channel === c).length;
      process.stderr.write(`round trip: ${perChannel("mail")} emails, ${perChannel("hook")} webhooks\n`);
      expect(perChannel("mail")).toBeLessThanOrEqual(3);
      expect(perChannel("hook")).toBeLessThanOrEqual(3);
      // clawpatrol's own writes are never reported back as foreign drift or new lint problems.
      expect(hookKinds()).not.toContain("config.drift");
      expect(hookKinds()).not.toContain("config.shadowed-default");
      expect(hookKinds()).not.toContain("remedy.switched");
      for (const m of messages()) expect(m.text).not.toContain("openrouter/openrouter/auto");

      daemon.child.kill("SIGTERM");
      expect(await daemon.exited).toBe(0);
      const everything = [daemon.output(), ...messages().map((m) => m.text), readFileSync(join(stack.xdg, "state", "clawpatrol", "status.json"), "utf8")].join("\n");
      for (const s of KEYS) expect(everything).not.toContain(s);
    } catch (err) {
      process.stderr.write(`clawpatrol daemon output:\n${daemon.output().slice(-20_000)}\n`);
      process.stderr.write(`messages:\n${messages().map((m) => `${m.channel}: ${m.text.slice(0, 600)}`).join("\n---\n")}\n`);
      throw err;
    } finally {
      if (daemon.child.exitCode === null) daemon.child.kill("SIGKILL");
    }
  }, 600_000);
});
