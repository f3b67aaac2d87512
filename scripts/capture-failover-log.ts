// Writes test/fixtures/runs/oc-<version>/failover.log with the real OpenClaw CLI: a gateway whose
// agent `fo` has primary mockbad/mock-ok (the fake provider answers 401) and fallback mock/mock-ok,
// one real turn, and the gateway log lines OpenClaw wrote about falling back. Loopback only.
//   node dist/scripts/capture-failover-log.js [version]   (default 2026.9.6)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cachedOpenClawEntry } from "../src/sandbox/openclaw-cli.js";
import { ScratchInstall } from "../src/sandbox/scratch-install.js";
import { GatewayProcess } from "../src/sandbox/gateway-process.js";
import { freePort } from "../src/sandbox/free-port.js";
import { startFakeProvider } from "../src/fake/provider.js";
import { readInstallation } from "../src/openclaw/installation.js";
import { runFindingSource } from "../src/watch/run-watcher.js";

const version = process.argv[2] ?? "2026.9.6";
const entry = cachedOpenClawEntry(version);
if (!entry) {
  console.error(`OpenClaw ${version} is not installed under ~/.cache/clawpatrol-e2e/oc-${version}`);
  process.exit(3);
}
const GOOD = "good-key-" + "5a".repeat(16);
const BAD = "bad-key-" + "0d".repeat(16);
const fake = await startFakeProvider({ keys: { [GOOD]: "ok", [BAD]: "401" } });
const port = await freePort();
const provider = (apiKey: string) => ({ baseUrl: `${fake.url}/v1`, apiKey, api: "openai-completions", models: [{ id: "mock-ok", name: "mock-ok" }] });
const scratch = new ScratchInstall({ entry, prefix: "clawpatrol-failover-", config: {}, envLines: ["OPENCLAW_GATEWAY_TOKEN=e2e-token-0123456789abcdef"] });
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
  // Does this version expose OpenClaw's own Prometheus metrics without the external plugin?
  const diag = await fetch(`http://127.0.0.1:${port}/api/diagnostics/prometheus`, { headers: { authorization: "Bearer e2e-token-0123456789abcdef" } });
  console.log(`GET /api/diagnostics/prometheus → HTTP ${diag.status} ${diag.headers.get("content-type")}: ${(await diag.text()).slice(0, 200).replace(/\s+/g, " ")}`);
  const turn = await scratch.requireCli().run(["agent", "--agent", "fo", "--message", "ping", "--json"], 180_000);
  console.log(`turn exit ${turn.code}: ${turn.stdout.slice(0, 400)}`);
  await new Promise((r) => setTimeout(r, 1500));
  const lines = readFileSync(logFile, "utf8").split("\n").filter((l) => /"event":"(model_fallback_decision|embedded_run_failover_decision)"/.test(l));
  const out = join("test", "fixtures", "runs", `oc-${version}`, "failover.log");
  mkdirSync(join("test", "fixtures", "runs", `oc-${version}`), { recursive: true });
  writeFileSync(out, lines.join("\n") + "\n");
  console.log(`${lines.length} failover lines → ${out}`);
  // The same files through clawpatrol's run source: the decision line joined to the agent's transcript.
  const inst = await readInstallation({ stateDir: scratch.stateDir, env: scratch.env, now: Date.now() });
  const findings = await runFindingSource(inst, { since: Date.now() - 3_600_000, now: Date.now() });
  for (const f of findings) console.log(`finding ${f.kind} ${JSON.stringify(f.subject)}: ${f.summary}`);
  if (!findings.some((f) => f.kind === "model.failover" && f.subject.agent === "fo")) {
    console.error("no model.failover finding for agent fo");
    process.exitCode = 1;
  }
} finally {
  await gateway.stop();
  await fake.close();
  scratch.dispose();
}
