// OpenClaw falling back for real: a scratch install whose agent `fo` has primary mockbad/mock-ok
// (the loopback fake provider answers 401) and fallback mock/mock-ok, a real gateway, one real
// turn. Returns the gateway log lines OpenClaw wrote about the fallback, what clawpatrol's run
// source makes of the same files, and how the gateway answers OpenClaw's own metrics route.
// Used by scripts/capture-failover-log.ts (fixture) and test/e2e/failover.e2e.test.ts.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ScratchInstall } from "./scratch-install.js";
import { GatewayProcess } from "./gateway-process.js";
import { freePort } from "./free-port.js";
import { startFakeProvider } from "../fake/provider.js";
import { readInstallation } from "../openclaw/installation.js";
import { runFindingSource } from "../watch/run-watcher.js";
import type { Finding } from "../checks/finding.js";

export interface FailoverScenarioResult {
  turnExitCode: number | null;
  /** model_fallback_decision / embedded_run_failover_decision lines, verbatim. */
  logLines: string[];
  findings: Finding[];
  /** GET /api/diagnostics/prometheus with the gateway token. */
  diagnosticsPrometheus: { status: number; contentType: string | null };
}

const TOKEN = "e2e-token-0123456789abcdef";

export async function runFailoverScenario(entry: string): Promise<FailoverScenarioResult> {
  const GOOD = "good-key-" + "5a".repeat(16);
  const BAD = "bad-key-" + "0d".repeat(16);
  const fake = await startFakeProvider({ keys: { [GOOD]: "ok", [BAD]: "401" } });
  const port = await freePort();
  const provider = (apiKey: string) => ({ baseUrl: `${fake.url}/v1`, apiKey, api: "openai-completions", models: [{ id: "mock-ok", name: "mock-ok" }] });
  const scratch = new ScratchInstall({ entry, prefix: "clawpatrol-failover-", config: {}, envLines: [`OPENCLAW_GATEWAY_TOKEN=${TOKEN}`] });
  const logFile = join(scratch.stateDir, "logs", "openclaw.log");
  mkdirSync(join(scratch.stateDir, "logs"), { recursive: true });
  scratch.writeConfig({
    gateway: { mode: "local", bind: "loopback", port, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
    tools: { web: { search: { enabled: false } } },
    logging: { file: logFile },
    models: { providers: { mock: provider(GOOD), mockbad: provider(BAD) } },
    agents: {
      defaults: { model: { primary: "mock/mock-ok", fallbacks: [] }, heartbeat: { agentId: "fo" }, systemAgent: { agentId: "fo" } },
      ownership: "explicit",
      entries: { fo: { name: "fo", model: { primary: "mockbad/mock-ok", fallbacks: ["mock/mock-ok"] } } },
    },
  });
  const gateway = new GatewayProcess(scratch.requireCli(), { port, logPath: join(scratch.home, "gateway.out") });
  try {
    await gateway.start();
    await gateway.ready();
    const diag = await fetch(`http://127.0.0.1:${port}/api/diagnostics/prometheus`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await diag.body?.cancel();
    const turn = await scratch.requireCli().run(["agent", "--agent", "fo", "--message", "ping", "--json"], 180_000);
    const lines = () => readFileSync(logFile, "utf8").split("\n").filter((l) => /"event":"(model_fallback_decision|embedded_run_failover_decision)"/.test(l));
    // The decision line is written as the fallback answers; give the logger a moment to flush it.
    for (let i = 0; i < 20 && !lines().some((l) => l.includes('"candidate_succeeded"')); i++) await new Promise((r) => setTimeout(r, 250));
    const inst = await readInstallation({ stateDir: scratch.stateDir, env: scratch.env, now: Date.now() });
    const findings = await runFindingSource(inst, { since: Date.now() - 3_600_000, now: Date.now() });
    return { turnExitCode: turn.code, logLines: lines(), findings, diagnosticsPrometheus: { status: diag.status, contentType: diag.headers.get("content-type") } };
  } finally {
    await gateway.stop();
    await fake.close();
    scratch.dispose();
  }
}
