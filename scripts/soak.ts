// Soak on a healthy real install: is clawpatrol silent when all is well?
//
// A real OpenClaw gateway (default 2026.9.6, from the e2e cache) against the loopback fake
// provider, two agents (`main` on the default model, `courier` pinned to its own model on another
// provider), a real turn for each every `--turn-every` (default 2m), and the clawpatrol daemon
// alerting through a real SMTP server and a webhook on loopback. A third of the way in, a hand edit
// (`openclaw config set agents.defaults.timeoutSeconds 120`) followed by `clawpatrol accept`.
// Prints every message each channel received. Pass (exit 0) = nothing but the one drift notice per
// channel; anything else (exit 1) is noise an operator would have been woken for.
//
//   npm run soak -- [--minutes 15] [--turn-every 2m] [--version 2026.9.6] [--keep]
import { spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { cachedOpenClawEntry } from "../src/sandbox/openclaw-cli.js";
import { ScratchInstall } from "../src/sandbox/scratch-install.js";
import { GatewayProcess } from "../src/sandbox/gateway-process.js";
import { freePort } from "../src/sandbox/free-port.js";
import { startFakeProvider } from "../src/fake/provider.js";
import { parseDuration } from "../src/util/clock.js";

interface Args {
  minutes: number;
  turnEveryMs: number;
  version: string;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { minutes: 15, turnEveryMs: 120_000, version: "2026.9.6", keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--minutes") args.minutes = Number(next());
    else if (a === "--turn-every") args.turnEveryMs = parseDuration(next());
    else if (a === "--version") args.version = next();
    else if (a === "--keep") args.keep = true;
    else throw new Error(`unknown option ${a} (use --minutes N, --turn-every 2m, --version V, --keep)`);
  }
  if (!(args.minutes > 0)) throw new Error("--minutes must be a positive number");
  return args;
}

/** One message a channel received, reduced to what a person would see first. */
interface Received {
  channel: "email" | "webhook";
  at: number;
  type: string;
  severity: string;
  subject: string;
  kinds: string[];
}

function decodeWords(s: string): string {
  return s.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
  );
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ":"));
  return line === undefined ? "" : decodeWords(line.slice(name.length + 1).trim());
}

async function startSmtp(onMail: (raw: string) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        onMail(Buffer.concat(chunks).toString("utf8"));
        cb(null);
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { port: (server.server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function startWebhook(onBody: (body: string) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      onBody(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = (t0: number, at: number) => `+${((at - t0) / 60_000).toFixed(1).padStart(4)} min`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const entry = cachedOpenClawEntry(args.version);
  if (!entry) {
    process.stderr.write(`soak: OpenClaw ${args.version} is not in the e2e cache (~/.cache/clawpatrol-e2e/oc-${args.version}); run the e2e global setup first\n`);
    return 3;
  }
  // Ctrl-C or a timeout: exit handlers stop the gateway's process group and the daemon.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  const t0 = Date.now();
  const received: Received[] = [];
  const log = (line: string) => process.stdout.write(`${stamp(t0, Date.now())}  ${line}\n`);

  const smtp = await startSmtp((raw) => {
    const r: Received = { channel: "email", at: Date.now(), type: header(raw, "X-Clawpatrol-Type"), severity: header(raw, "X-Clawpatrol-Severity"), subject: header(raw, "Subject"), kinds: [...new Set([...raw.matchAll(/\b((?:config|auth|probe|run|gateway|secret|env|cooldown|model|remedy|state|alert)\.[a-z-]+)\b/g)].map((m) => m[1]!))] };
    received.push(r);
    log(`email   ${r.type} ${r.severity}: ${r.subject}`);
  });
  const hook = await startWebhook((body) => {
    let r: Received;
    try {
      const j = JSON.parse(body) as { type?: string; severity?: string; subject?: string; incidents?: { kind: string }[] };
      r = { channel: "webhook", at: Date.now(), type: j.type ?? "?", severity: j.severity ?? "?", subject: j.subject ?? "?", kinds: (j.incidents ?? []).map((i) => i.kind) };
    } catch {
      r = { channel: "webhook", at: Date.now(), type: "unparseable", severity: "?", subject: body.slice(0, 200), kinds: [] };
    }
    received.push(r);
    log(`webhook ${r.type} ${r.severity}: ${r.subject}`);
  });

  const KEY = "soak-key-" + "5a".repeat(16);
  const provider = await startFakeProvider({ keys: { [KEY]: "ok" }, modelIds: ["mock-ok"] });
  const port = await freePort();
  const model = (id: string) => ({ id, name: id });
  const config: Record<string, unknown> = {
    gateway: { mode: "local", bind: "loopback", port, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
    tools: { web: { search: { enabled: false } } },
    models: {
      providers: {
        mock: { baseUrl: `${provider.url}/v1`, apiKey: "${MOCK_API_KEY}", api: "openai-completions", models: [model("mock-ok")] },
        acme: { baseUrl: `${provider.url}/v1`, apiKey: "${MOCK_API_KEY}", api: "openai-completions", models: [model("mock-ok")] },
      },
    },
    agents: {
      // Verified with `openclaw config validate --json` on 2026.9.6: valid, no warnings.
      defaults: { model: { primary: "mock/mock-ok", fallbacks: [] }, heartbeat: { agentId: "main" }, systemAgent: { agentId: "main" } },
      ownership: "explicit",
      // courier deliberately on its own model: a normal, intended setup, not a problem.
      entries: { main: { name: "main" }, courier: { name: "courier", model: "acme/mock-ok" } },
    },
  };
  const install = new ScratchInstall({ entry, prefix: "clawpatrol-soak-", config, envLines: ["OPENCLAW_GATEWAY_TOKEN=soak-token-0123456789abcdef", `MOCK_API_KEY=${KEY}`] });
  const logFile = join(install.stateDir, "logs", "openclaw.log");
  mkdirSync(join(install.stateDir, "logs"), { recursive: true });
  install.writeConfig({ ...config, logging: { file: logFile } });
  // A host shared with other work can take minutes to start a gateway.
  const gateway = new GatewayProcess(install.requireCli(), { port, logPath: join(install.home, "gateway.out"), startTimeoutMs: 600_000 });

  const xdg = join(install.home, "xdg");
  const home = join(install.home, "clawpatrol-user");
  for (const d of [join(xdg, "config", "clawpatrol"), join(xdg, "tmp"), home]) mkdirSync(d, { recursive: true });
  const configFile = join(xdg, "config", "clawpatrol", "config.json5");
  writeFileSync(
    configFile,
    JSON.stringify({
      openclaw: { stateDir: install.stateDir, bin: entry },
      alerts: {
        channels: [
          { name: "email", type: "email", host: "127.0.0.1", port: smtp.port, secure: false, starttls: "off", from: "clawpatrol@soak.test", to: ["oncall@soak.test"] },
          { name: "webhook", type: "webhook", url: hook.url },
        ],
      },
      drift: { debounceMs: 500 },
    }),
  );
  const env = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(xdg, "state"), XDG_CONFIG_HOME: join(xdg, "config"), TMPDIR: join(xdg, "tmp") };
  const cli = join(process.cwd(), "dist", "src", "cli", "main.js");
  let daemonOut = "";
  let daemon: ReturnType<typeof spawn> | null = null;
  const turns = { ok: 0, failed: 0, skipped: 0 };
  const inFlight = new Map<string, Promise<void>>();
  let exit = 1;
  try {
    log(`OpenClaw ${args.version} gateway on 127.0.0.1:${port}, fake provider ${provider.url}, ${args.minutes} min, a turn per agent every ${args.turnEveryMs / 1000} s`);
    // Under heavy load 2026.9.6 can refuse its own start-up migration (a state lease times out,
    // exit 78); that is the host, not the install: try again, a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await gateway.start();
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        log(`gateway start failed (${err instanceof Error ? err.message : String(err)}); trying again`);
        await sleep(10_000);
      }
    }
    await gateway.ready(300_000);
    log("gateway ready");
    daemon = spawn(process.execPath, [cli, "run"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const child = daemon;
    process.once("exit", () => child.exitCode === null && child.kill("SIGTERM"));
    daemon.stdout!.on("data", (d) => (daemonOut += d));
    daemon.stderr!.on("data", (d) => (daemonOut += d));
    const statusFile = join(xdg, "state", "clawpatrol", "status.json");
    const status = (): Record<string, any> | undefined => {
      try {
        return JSON.parse(readFileSync(statusFile, "utf8"));
      } catch {
        return undefined;
      }
    };
    for (let i = 0; !status()?.clawpatrol?.ready; i++) {
      if (daemon.exitCode !== null) throw new Error(`clawpatrol exited ${daemon.exitCode}:\n${daemonOut}`);
      if (i > 600) throw new Error("clawpatrol not ready within 2 minutes");
      await sleep(200);
    }
    log(`clawpatrol ready: ${status()!.summary.line}`);

    // The soak's minutes count from a ready daemon (a loaded host can take minutes to start a gateway).
    const soakStart = Date.now();
    const end = soakStart + args.minutes * 60_000;
    const editAt = soakStart + (args.minutes * 60_000) / 3;
    let edited = false;
    let nextTurn = Date.now();
    while (Date.now() < end) {
      if (daemon.exitCode !== null) throw new Error(`clawpatrol exited ${daemon.exitCode}:\n${daemonOut}`);
      if (Date.now() >= nextTurn) {
        nextTurn += args.turnEveryMs;
        // A turn can outlast the interval on a loaded host: one in flight per agent, the schedule holds.
        for (const agent of ["main", "courier"]) {
          if (inFlight.has(agent)) {
            turns.skipped++;
            continue;
          }
          const started = Date.now();
          const turn = install.requireCli().run(["agent", "--agent", agent, "--message", "ping", "--json"], 300_000).then((r) => {
            if (r.code === 0) turns.ok++;
            else turns.failed++;
            log(`turn ${agent}: exit ${r.code} after ${Math.round((Date.now() - started) / 1000)} s${r.code === 0 ? "" : `: ${(r.stderr || r.stdout).trim().split("\n")[0]}`}`);
            inFlight.delete(agent);
          });
          inFlight.set(agent, turn);
        }
      }
      if (!edited && Date.now() >= editAt) {
        edited = true;
        const set = await install.requireCli().run(["config", "set", "agents.defaults.timeoutSeconds", "120"]);
        log(`hand edit: openclaw config set agents.defaults.timeoutSeconds 120 → exit ${set.code}`);
        for (let i = 0; i < 600 && !(status()?.incidents ?? []).some((x: { kind: string }) => x.kind === "config.drift"); i++) await sleep(200);
        // Give the drift notice its group wait before the operator accepts.
        await sleep(45_000);
        const accept = spawnSync(process.execPath, [cli, "accept"], { env, encoding: "utf8", timeout: 60_000 });
        log(`clawpatrol accept → exit ${accept.status}: ${accept.stdout.split("\n")[0]}`);
      }
      await sleep(1000);
    }
    await Promise.all(inFlight.values());
    log(`end: ${status()?.summary.line}`);
    await sleep(5000); // let anything already queued go out

    const drift = (r: Received) => r.type === "firing" && r.kinds.length > 0 && r.kinds.every((k) => k === "config.drift");
    const byChannel = (c: Received["channel"]) => received.filter((r) => r.channel === c);
    process.stdout.write(`\n── soak result (${args.minutes} min, OpenClaw ${args.version}) ──\n`);
    process.stdout.write(`turns: ${turns.ok} ok, ${turns.failed} failed, ${turns.skipped} skipped (the agent's previous turn was still running)\n`);
    let noise = 0;
    for (const c of ["email", "webhook"] as const) {
      const all = byChannel(c);
      const extra = all.filter((r) => !drift(r)).length + Math.max(0, all.filter(drift).length - 1);
      noise += extra + (all.some(drift) ? 0 : 1);
      process.stdout.write(`${c}: ${all.length} message(s), ${all.filter(drift).length} drift notice(s), ${extra} other\n`);
      for (const r of all) process.stdout.write(`  ${stamp(t0, r.at)}  ${r.type.padEnd(8)} ${r.severity.padEnd(8)} [${r.kinds.join(", ")}] ${r.subject}\n`);
    }
    const open = (status()?.incidents ?? []).map((i: { severity: string; kind: string; summary: string }) => `${i.severity} ${i.kind}: ${i.summary}`);
    process.stdout.write(`open incidents at the end: ${open.length}\n${open.map((l: string) => `  ${l}\n`).join("")}`);
    exit = noise === 0 && turns.failed === 0 ? 0 : 1;
    process.stdout.write(exit === 0 ? "PASS: only the drift notice\n" : "FAIL: see the messages above\n");
  } finally {
    if (daemon && daemon.exitCode === null) {
      daemon.kill("SIGTERM");
      await new Promise((r) => daemon!.once("exit", r));
    }
    await gateway.stop();
    await provider.close();
    await smtp.close();
    await hook.close();
    if (args.keep) process.stdout.write(`kept: ${install.home}\n`);
    else install.dispose();
  }
  return exit;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
