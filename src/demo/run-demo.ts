// `clawpatrol demo`: the seed-000 story on a sandbox install, told by clawpatrol itself. Builds
// the broken install and a loopback fake provider, shows `check`, `explain` and `probe`, then runs
// the real daemon until it has opened the incident, alerted (into a local mailbox file) and chosen
// the fallback; then fixes the stored key the way the user would and watches it resolve.
import { installStateDir } from "../state/install-dir.js";
import { createServer, type Server } from "node:http";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { shellQuote } from "../remedy/engine.js";
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeProvider } from "../fake/provider.js";
import { buildSeedSandbox, type SeedSandbox } from "./seed-sandbox.js";
import { readInstallation } from "../openclaw/installation.js";
import { defaultConfig } from "../config/defaults.js";
import { checkFindings, renderFindings } from "../cli/check.js";
import { exitCodeFor } from "../checks/finding.js";
import { useStoredSalt } from "../daemon/salt.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { header } from "../util/mime-words.js";
import { renderExplain } from "../cli/explain.js";
import { renderExplanations } from "../cli/probe.js";
import { runProbeMatrix } from "../probe/matrix.js";
import { configSchema, type ClawpatrolConfig } from "../config/schema.js";
import { Daemon } from "../daemon/daemon.js";
import { silentLogger } from "../util/log.js";
import type { StatusSnapshot } from "../status/snapshot.js";
import { authProfilesPath } from "../openclaw/agent-files.js";

export interface DemoOptions {
  /** Where narration goes. */
  out: (line: string) => void;
  /** Keep the sandbox for inspection. */
  keep?: boolean;
  /** The mailbox file alerts are written to (default: a new file in the temp dir). */
  mailbox?: string;
  /** Longest wait for each daemon stage, ms. */
  stageTimeoutMs?: number;
  /**
   * Let clawpatrol act: switch the agent through `openclaw config set` and back once the key is
   * fixed. Runs against this path (an `openclaw` executable or `openclaw.mjs`), default the fake
   * `openclaw` of clawpatrol's test support (it edits the sandbox config the way the CLI does).
   */
  act?: boolean | string;
}

export interface DemoResult {
  mailbox: string;
  sandbox: string;
  /** What the daemon did, for tests. */
  sawIncident: boolean;
  fallbackCommand: string | null;
  resolved: boolean;
  /** --act: the switch and the switch back both went through. */
  switched?: boolean;
  switchedBack?: boolean;
  /** The exit code of the check section (what `clawpatrol check` on the sandbox exits). */
  checkExit: number;
  /** Incidents still open when the story ends; each has its own line in the closing section. */
  openAtEnd: { id: string; kind: string; summary: string }[];
  elapsedMs: number;
}

async function until<T>(fn: () => T | undefined | null | false, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A loopback stand-in for the OpenClaw gateway's /health and /readyz (the story is about routes). */
export function standInGateway(): Promise<{ server: Server; port: number }> {
  const started = Date.now();
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(req.url?.startsWith("/readyz") ? JSON.stringify({ ready: true, failing: [], uptimeMs: Date.now() - started }) : JSON.stringify({ ok: true, status: "live" }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** test/support/fake-openclaw.mjs of this checkout (the demo's `--act` default), if it is there. */
export function findFakeOpenClaw(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "test", "support", "fake-openclaw.mjs");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return null;
}

function demoConfig(mailbox: string, openclawBin: string | null): ClawpatrolConfig {
  return configSchema.parse({
    ...(openclawBin ? { openclaw: { bin: openclawBin } } : {}),
    // Probing every second (and a loose rate limit) keeps the whole story under 15 s.
    probe: { authSchedule: "* * * * * *", gatewaySchedule: "*/2 * * * * *", jitter: 0, perProviderPerMinute: 600 },
    health: { failureThreshold: 2, successThreshold: 2 },
    alerts: { groupWait: "300ms", resolveHold: "300ms", channels: [{ name: "demo-mailbox", type: "mailbox", path: mailbox }] },
    // The sandbox config was written a moment ago: no human-edit grace, and a one-second hold.
    remedy: openclawBin ? { mode: "act", minHold: "1s", editGrace: "0s" } : { mode: "observe" },
  });
}

function auditCommand(stateHome: string, openclawStateDir: string, op: string): string | null {
  const file = join(installStateDir(join(stateHome, "clawpatrol"), openclawStateDir), "audit.jsonl");
  if (!existsSync(file)) return null;
  const records = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { op: string; phase: string; argv?: string[] });
  const r = records.reverse().find((x) => x.op === op && x.phase === "result" && x.argv);
  return r?.argv ? r.argv.map(shellQuote).join(" ") : null;
}

function mails(mailbox: string): string {
  return existsSync(mailbox) ? readFileSync(mailbox, "utf8") : "";
}

/** The decoded subjects of the mailbox's messages ("main → openrouter: …", not "=?UTF-8?Q?…"). */
function subjects(mailbox: string): string[] {
  return mails(mailbox).split(/^From /m).slice(1).map((m) => header(m, "Subject") ?? "");
}

/**
 * Where the story ends: the outage's route and incident, then every incident still open, one line
 * each — problems of the install the outage did not cause, so nothing is left unexplained.
 */
function closing(say: (line: string) => void, s: StatusSnapshot, outage: string | null, result: DemoResult): void {
  const main = s.agents.find((a) => a.id === "main");
  const healthy = main?.routes.find((r) => r.provider === "openrouter")?.state === "ok";
  const open = s.incidents;
  result.openAtEnd = open.map((i) => ({ id: i.id, kind: i.kind, summary: i.summary }));
  say("");
  say("── where the story ends ──────────────────────────────────────────");
  const outageLine = outage === null ? "" : open.some((i) => i.id === outage) ? `; its incident ${outage} is still open` : `; its incident ${outage} is resolved`;
  say(`route main → openrouter: ${healthy ? "healthy" : "NOT healthy"} (${main?.line ?? "agent main not found"})${outageLine}.`);
  if (!open.length) {
    say("No incident is open.");
    return;
  }
  say(`${open.length} incident${open.length === 1 ? " stays" : "s stay"} open, none of them the outage (\`clawpatrol check\` above names the fix of each):`);
  for (const i of open) {
    const why = i.kind === "config.drift" ? " — the user's own fix of the key; `clawpatrol accept` takes it as the new baseline" : "";
    say(`  ${i.severity} ${i.kind}: ${i.summary}${why}`);
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const say = options.out;
  const stageMs = options.stageTimeoutMs ?? 10_000;
  const mailbox = options.mailbox ?? join(tmpdir(), `clawpatrol-demo-${Date.now()}.mbox`);
  const actBin = options.act === true ? findFakeOpenClaw() : typeof options.act === "string" ? options.act : null;
  if (options.act && !actBin) throw new Error("clawpatrol demo --act: no openclaw to act with (test/support/fake-openclaw.mjs is not in this install); pass --act <path to openclaw>");
  const started = Date.now();
  const provider = await startFakeProvider({ unknownKey: "401" });
  const gateway = await standInGateway();
  let seed: SeedSandbox | null = null;
  let daemon: Daemon | null = null;
  const result: DemoResult = { mailbox, sandbox: "", sawIncident: false, fallbackCommand: null, resolved: false, checkExit: 3, openAtEnd: [], elapsedMs: 0 };
  try {
    seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
    provider.setKeyBehaviour(seed.keys.envKey, "ok");
    result.sandbox = seed.home;
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: seed.home, XDG_STATE_HOME: join(seed.home, "state"), XDG_CONFIG_HOME: join(seed.home, "config"), OPENCLAW_STATE_DIR: seed.stateDir };
    // The fake openclaw plays the sandbox's legacy version (agents.list, no compare-and-set flags).
    if (actBin && actBin === findFakeOpenClaw()) env.FAKE_OPENCLAW_VERSION = "5";
    mkdirSync(join(seed.home, "state"), { recursive: true });

    say("clawpatrol demo — a real support thread, replayed on a sandbox");
    say("");
    say(`A broken OpenClaw 2026.4.14 install is in ${seed.stateDir}:`);
    say("  • the user switched agents.defaults.model to openai-codex/gpt-5.4, but agent main pins its own model");
    say("  • OPENROUTER_API_KEY is in ~/.openclaw/.env twice, and in plain text in openclaw.json");
    say("  • a stale stored profile openrouter:default beats the valid env key, so every call gets 401");
    say(`OpenRouter is a loopback fake at ${provider.url}: it accepts the env key and rejects the stored one.`);
    say("Nothing here leaves this machine.");

    // Exactly what `clawpatrol check` does on this install: the daemon's salt (one fingerprint per
    // key in every output that follows), the default config, probes included.
    useStoredSalt(clawpatrolStateDir(env));
    const inst = await readInstallation({ env, now: Date.now() });
    const findings = await checkFindings(inst, defaultConfig(), { env, now: Date.now(), offline: false });
    result.checkExit = exitCodeFor(findings);
    say("");
    say("── clawpatrol check ──────────────────────────────────────────────");
    say(renderFindings(inst, findings).trimEnd());
    say(`(exit ${result.checkExit}, as \`clawpatrol check\` exits on this install)`);
    say("");
    say("── clawpatrol explain --agent main ───────────────────────────────");
    say(renderExplain(inst, inst.agents.filter((a) => a.id === "main")).trimEnd());
    say("");
    say("── clawpatrol probe --agent main (zero tokens) ───────────────────");
    const matrix = await runProbeMatrix(inst, { agent: "main" });
    for (const line of renderExplanations(matrix)) say(line);

    say("");
    say("── clawpatrol run (the daemon, probing every second for the demo) ─");
    daemon = new Daemon({ config: demoConfig(mailbox, actBin), configPath: "(demo)", configSource: "defaults", logger: silentLogger, env, loopMs: 250 });
    await daemon.start();
    const d = daemon;
    const snap = (): StatusSnapshot => d.snapshot();
    const down = await until(() => snap().incidents.find((i) => i.subject.agent === "main" && i.subject.provider === "openrouter" && d.tracker.stateOf(`route:main/openrouter`) === "down"), stageMs);
    if (down) {
      result.sawIncident = true;
      say(`incident ${down.id}: ${down.summary}`);
    }
    if (actBin) {
      const switched = await until(() => snap().recentActions.find((a) => a.agent === "main" && a.type === "fallback" && a.result === "ok"), stageMs);
      if (switched) {
        result.switched = true;
        result.fallbackCommand = auditCommand(join(seed.home, "state"), seed.stateDir, "fallback");
        say(`remedy (act): ran ${result.fallbackCommand ?? "(command not recorded)"}`);
        say(`  ${switched.summary}; read back, validated, audited — main now answers on the fallback.`);
        say(`  status: ${snap().agents.find((a) => a.id === "main")?.line ?? ""}`);
      } else {
        const why = snap().incidents.find((i) => i.kind.startsWith("remedy."));
        say(`remedy: no switch — ${why?.summary ?? "no verified fallback candidate yet"}`);
      }
    } else {
      const decision = await until(() => snap().recentActions.find((a) => a.agent === "main" && a.result === "observed"), stageMs);
      if (decision) {
        result.fallbackCommand = decision.summary;
        say(`remedy (observe mode): ${decision.summary}`);
        say("  with `remedy: { mode: \"act\" }` (try `clawpatrol demo --act`) clawpatrol runs that command itself, checks it applied, and switches back when OpenRouter recovers.");
      } else {
        const why = snap().incidents.find((i) => i.kind.startsWith("remedy."));
        say(`remedy: no switch — ${why?.summary ?? "no verified fallback candidate yet"} (clawpatrol never switches to a model it has not probed).`);
      }
    }
    const alerted = await until(() => subjects(mailbox).find((s) => s.includes("main")), stageMs);
    if (alerted) say(`alert sent ("${alerted}") — to ${mailbox}, any mail reader opens it.`);

    say("");
    say("── the user fixes the stored key (as `openclaw models auth … paste-api-key` would) ──");
    const profiles = authProfilesPath(join(seed.stateDir, "agents", "main", "agent"));
    const store = JSON.parse(readFileSync(profiles, "utf8")) as { profiles: Record<string, { key?: string }> };
    store.profiles["openrouter:default"]!.key = seed.keys.envKey;
    writeFileSync(profiles, JSON.stringify(store, null, 2) + "\n", { mode: 0o600 });
    const routeOk = () => snap().agents.find((a) => a.id === "main")?.routes.find((r) => r.provider === "openrouter")?.state === "ok";
    const healed = await until(() => routeOk(), stageMs);
    if (healed) {
      result.resolved = true;
      say("OpenRouter accepts the runtime's key again: two passing probes, and the route main → openrouter is healthy.");
    }
    if (actBin && result.switched) {
      const back = await until(() => snap().recentActions.find((a) => a.agent === "main" && a.type === "restore" && a.result === "ok"), stageMs);
      if (back) {
        result.switchedBack = true;
        say(`remedy (act): ran ${auditCommand(join(seed.home, "state"), seed.stateDir, "restore") ?? "(command not recorded)"}`);
        say(`  ${back.summary}`);
      }
    }
    const notice = await until(() => mails(mailbox).split(/^From /m).some((m) => /Resolved/.test(header(m, "Subject") ?? "") && (!down || m.includes(down.id))), stageMs);
    if (notice) say("resolved notice sent to the mailbox: the incident on main → openrouter is closed.");
    closing(say, snap(), down?.id ?? null, result);
    result.elapsedMs = Date.now() - started;
    say(`(the story took ${(result.elapsedMs / 1000).toFixed(1)} s)`);
    return result;
  } finally {
    await daemon?.stop().catch(() => undefined);
    await provider.close();
    await new Promise((r) => gateway.server.close(r));
    if (seed && !options.keep) seed.dispose();
    else if (seed) options.out(`sandbox kept in ${seed.home}`);
  }
}
