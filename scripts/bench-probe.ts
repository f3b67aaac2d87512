// Benchmark: a full probe matrix for 200 agents over 6 providers and 10 distinct credentials
// against the loopback fake provider (50 ms latency), and — when real OpenClaw 2026.9.6 is
// installed — the same installation probed by `openclaw models status --probe --json`.
//   node dist/scripts/bench-probe.js [--quick] [--runs N] [--json] [--no-openclaw]
// Target: full matrix under 2 s, requests = distinct credentials, 0 tokens.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import JSON5 from "json5";
import { buildInstallation, type FakeAgentSpec, type FakeCredentialSpec } from "../src/fake/installation.js";
import { startFakeProvider, type FakeProvider } from "../src/fake/provider.js";
import { runProbeMatrix } from "../src/probe/matrix.js";
import type { Installation } from "../src/openclaw/types.js";
import { redactText } from "../src/util/secret.js";
import { sandboxEnv } from "../src/sandbox/openclaw-cli.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const asJson = args.includes("--json");
const runsArg = args.indexOf("--runs");
const runs = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 1) : quick ? 2 : 5;
const withOpenClaw = !args.includes("--no-openclaw") && !quick;
const agentsArg = args.indexOf("--agents");
/** 200 by default; `--agents 1` gives an installation small enough for `openclaw models status --probe`. */
const AGENTS = agentsArg >= 0 ? Math.max(1, Number(args[agentsArg + 1]) || 200) : 200;
const LATENCY_MS = 50;

function runAsync(file: string, argv: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, argv, { env, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

const log = (s: string): void => {
  if (!asJson) process.stdout.write(`${s}\n`);
};

const hex = (seed: number, n: number): string => Array.from({ length: n }, (_, i) => ((seed * 7 + i * 13) % 16).toString(16)).join("");
const PROVIDERS = ["openrouter", "fakeai1", "fakeai2", "fakeai3", "fakeai4", "fakeai5"] as const;

interface CredPlan {
  provider: string;
  key: string;
  kind: "profile" | "env" | "config";
  valid: boolean;
}
// 10 distinct credentials: profile winners over config/env keys for four providers, config only for two.
const CREDS: CredPlan[] = [
  { provider: "openrouter", key: `sk-or-v1-${hex(1, 60)}04f4`, kind: "profile", valid: false },
  { provider: "openrouter", key: `sk-or-v1-${hex(2, 60)}a81c`, kind: "env", valid: true },
  ...["fakeai1", "fakeai2", "fakeai3"].flatMap((p, i): CredPlan[] => [
    { provider: p, key: `sk-fake-profile-${i}-${hex(10 + i, 32)}`, kind: "profile", valid: true },
    { provider: p, key: `sk-fake-config-${i}-${hex(20 + i, 32)}`, kind: "config", valid: true },
  ]),
  { provider: "fakeai4", key: `sk-fake-config-4-${hex(30, 32)}`, kind: "config", valid: true },
  { provider: "fakeai5", key: `sk-fake-config-5-${hex(31, 32)}`, kind: "config", valid: true },
];

function modelOf(provider: string): string {
  return provider === "openrouter" ? "openrouter/auto" : `${provider}/m1`;
}

function agentSpecs(): FakeAgentSpec[] {
  const credentials: Record<string, FakeCredentialSpec[]> = {};
  for (const c of CREDS) {
    const spec: FakeCredentialSpec =
      c.kind === "profile"
        ? { key: c.key, kind: "profile", profileId: `${c.provider}:default` }
        : c.kind === "env"
          ? { key: c.key, kind: "env", envVar: "OPENROUTER_API_KEY" }
          : { key: c.key, kind: "config" };
    (credentials[c.provider] ??= []).push(spec);
  }
  return Array.from({ length: AGENTS }, (_, i) => ({
    id: `agent${String(i).padStart(3, "0")}`,
    models: [modelOf(PROVIDERS[i % 6]!), modelOf(PROVIDERS[(i + 1) % 6]!)],
    credentials,
  }));
}

function handBuilt(fake: FakeProvider): Installation {
  const baseUrls: Record<string, string> = { openrouter: `${fake.url}/api/v1` };
  const endpoints: Record<string, { baseUrl: string; api: string; custom: boolean }> = {};
  for (const p of PROVIDERS.slice(1)) endpoints[p] = { baseUrl: `${fake.url}/v1`, api: "openai-completions", custom: true };
  return buildInstallation({ agents: agentSpecs(), baseUrls, endpoints });
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}

function openclawBin(): string | null {
  const candidates = [process.env.CLAWPATROL_OPENCLAW_BIN, join(homedir(), ".cache/clawpatrol-e2e/oc-2026.9.6/node_modules/.bin/openclaw")];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}

/** Write the same installation as a real OpenClaw 2026.9.6 state dir (config + .env + stored profiles). */
function writeOpenClawState(dir: string, fake: FakeProvider, bin: string, env: NodeJS.ProcessEnv): void {
  const stateDir = join(dir, ".openclaw");
  mkdirSync(join(stateDir, "logs"), { recursive: true });
  const providers: Record<string, unknown> = { openrouter: { baseUrl: `${fake.url}/api/v1`, models: [] } };
  for (const p of PROVIDERS.slice(1)) {
    const config = CREDS.find((c) => c.provider === p && c.kind === "config")!;
    providers[p] = { baseUrl: `${fake.url}/v1`, api: "openai-completions", apiKey: config.key, models: [{ id: "m1", name: "m1" }] };
  }
  const agents = agentSpecs();
  const configWith = (list: FakeAgentSpec[]) => {
    const entries: Record<string, unknown> = {};
    for (const a of list) entries[a.id] = { model: { primary: a.models[0], fallbacks: a.models.slice(1) } };
    return {
      gateway: { mode: "local", bind: "loopback", port: 28790, auth: { mode: "token", token: "bench-gateway-token-000000000000" } },
      logging: { file: join(stateDir, "logs", "openclaw.log") },
      tools: { web: { search: { enabled: false } } },
      models: { providers },
      // 9.6 refuses a multi-agent roster without explicit ownership.
      agents: { ownership: "explicit", entries },
    };
  };
  // Stored profiles go in while the roster has one agent (each CLI write is much slower with 200).
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(configWith(agents.slice(0, 1)), null, 2));
  writeFileSync(join(stateDir, ".env"), `OPENROUTER_API_KEY=${CREDS.find((c) => c.kind === "env")!.key}\n`);
  for (const c of CREDS.filter((x) => x.kind === "profile")) {
    const r = spawnSync(bin, ["models", "auth", "paste-api-key", "--agent", "agent000", "--provider", c.provider, "--profile-id", `${c.provider}:default`], { input: c.key, env, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0) {
      const why = redactText(`${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").slice(-3).join(" | "));
      throw new Error(`openclaw models auth paste-api-key failed for ${c.provider} (exit ${r.status}): ${why}`);
    }
  }
  // Keep what the CLI wrote (auth.profiles …) and add the other 199 agents.
  const written = JSON5.parse(readFileSync(join(stateDir, "openclaw.json"), "utf8")) as { agents?: Record<string, unknown> };
  written.agents = configWith(agents).agents;
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(written, null, 2));
}

async function main(): Promise<void> {
  const keys: Record<string, "ok"> = {};
  for (const c of CREDS) if (c.valid) keys[c.key] = "ok";
  const fake = await startFakeProvider({ keys, latencyMs: LATENCY_MS, modelIds: ["m1", "openrouter/auto"] });
  try {
    const inst = handBuilt(fake);
    const distinct = new Set(CREDS.map((c) => c.key)).size;
    log(`clawpatrol probe matrix: ${AGENTS} agents, ${PROVIDERS.length} providers, ${distinct} distinct credentials, fake latency ${LATENCY_MS} ms, ${runs} runs`);
    const walls: number[] = [];
    let requests = 0;
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      fake.reset();
      const t0 = performance.now();
      const m = await runProbeMatrix(inst);
      const wall = performance.now() - t0;
      walls.push(Math.round(wall * 10) / 10);
      requests = fake.counters.requests;
      rows = m.rows.length;
      if (fake.counters.completions !== 0) throw new Error("the probe matrix sent a completion request");
      log(`  run ${i + 1}: ${wall.toFixed(1)} ms, ${m.requestsSent} requests sent (fake saw ${fake.counters.requests}), ${m.rows.length} rows`);
    }
    const clawpatrol = { wallMs: stats(walls), requests, distinctCredentials: distinct, rows, completionRequests: 0, tokens: 0 };
    log(`  wall ${clawpatrol.wallMs.min}/${clawpatrol.wallMs.median}/${clawpatrol.wallMs.max} ms (min/median/max), requests ${requests} (target ${distinct}), tokens 0`);

    let openclaw: Record<string, unknown> | null = null;
    const bin = withOpenClaw ? openclawBin() : null;
    if (withOpenClaw && !bin) log("real OpenClaw not found (set CLAWPATROL_OPENCLAW_BIN); skipping the comparison");
    if (bin) {
      const dir = mkdtempSync(join(tmpdir(), "bench-probe-oc-"));
      const env: NodeJS.ProcessEnv = sandboxEnv({ home: dir, stateDir: join(dir, ".openclaw") }, process.env);

      try {
        log(`real OpenClaw (${bin}): writing the same installation (config, .env, 4 stored profiles)…`);
        writeOpenClawState(dir, fake, bin, env);
        fake.reset();
        const t0 = performance.now();
        // Asynchronous: the fake provider runs in this process and must keep answering OpenClaw's
        // requests (a spawnSync here froze it, so every openclaw probe timed out). With several
        // agents OpenClaw needs an owner: the probe runs from agent000's view.
        const r = await runAsync(bin, ["models", "status", "--probe", "--json", "--agent", "agent000"], env, 600_000);
        const wall = performance.now() - t0;
        let results: { provider?: string; status?: string }[] = [];
        try {
          results = (JSON.parse(r.stdout) as { auth?: { probes?: { results?: typeof results } } }).auth?.probes?.results ?? [];
        } catch {
          results = [];
        }
        if (r.status !== 0 || results.length === 0) log(`  openclaw said: ${redactText(`${r.stderr ?? ""}`.trim().split("\n").slice(-3).join(" | ")).slice(0, 400)}`);
        openclaw = {
          wallMs: Math.round(wall),
          exit: r.status,
          probed: results.length,
          results: results.map((x) => `${x.provider}:${x.status}`),
          requests: fake.counters.requests,
          completionRequests: fake.counters.completions,
          promptTokensEstimated: fake.counters.promptTokens,
          completionTokens: fake.counters.completionTokens,
          coversAgents: 1,
          timeRatio: Math.round((wall / clawpatrol.wallMs.median) * 10) / 10,
        };
        log(`  openclaw models status --probe --json: ${Math.round(wall)} ms (exit ${r.status}), ${results.length} probes [${(openclaw.results as string[]).join(", ")}]`);
        log(`  it sent ${fake.counters.completions} completion requests (~${fake.counters.promptTokens} prompt + ${fake.counters.completionTokens} completion tokens, estimated by the fake) and covered the default agent's view only`);
        log(`  time ratio openclaw / clawpatrol (median): ${openclaw.timeRatio}×`);
      } catch (e) {
        log(`  OpenClaw comparison failed: ${(e as Error).message}`);
        openclaw = { error: (e as Error).message };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const out = { bench: "probe", agents: AGENTS, providers: PROVIDERS.length, latencyMs: LATENCY_MS, runs, clawpatrol, openclaw };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await fake.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-probe: ${(e as Error).message ?? String(e)}\n`);
  process.exit(1);
});
