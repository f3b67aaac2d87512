// Writes test/fixtures/runs/oc-<version>/failover.log with the real OpenClaw CLI (see
// src/sandbox/failover-scenario.ts) and prints what clawpatrol's run source found in the same files.
//   node dist/scripts/capture-failover-log.js [version]   (default 2026.9.6)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cachedOpenClawEntry } from "../src/sandbox/openclaw-cli.js";
import { runFailoverScenario } from "../src/sandbox/failover-scenario.js";

const version = process.argv[2] ?? "2026.9.6";
const entry = cachedOpenClawEntry(version);
if (!entry) {
  console.error(`OpenClaw ${version} is not installed under ~/.cache/clawpatrol-e2e/oc-${version}`);
  process.exit(3);
}
const r = await runFailoverScenario(entry);
console.log(`turn exit ${r.turnExitCode}; GET /api/diagnostics/prometheus → HTTP ${r.diagnosticsPrometheus.status} (${r.diagnosticsPrometheus.contentType})`);
const dir = join("test", "fixtures", "runs", `oc-${version}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "failover.log"), r.logLines.join("\n") + "\n");
console.log(`${r.logLines.length} failover lines → ${join(dir, "failover.log")}`);
for (const f of r.findings) console.log(`finding ${f.kind} ${JSON.stringify(f.subject)}: ${f.summary}`);
if (!r.findings.some((f) => f.kind === "model.failover" && f.subject.agent === "fo")) {
  console.error("no model.failover finding for agent fo");
  process.exitCode = 1;
}
