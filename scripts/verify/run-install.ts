// Builds one generated install with the real OpenClaw CLI and compares every agent:
// openclaw.json written directly and proven by `openclaw config validate --json`; auth profiles
// only through `openclaw models auth --agent X paste-api-key`; then `models status --json --agent X`
// per agent against clawpatrol's reading of the same state dir (readInstallation, as explain does).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInstallation } from "../../src/openclaw/installation.js";
import type { Installation } from "../../src/openclaw/types.js";
import { OpenClawCli } from "../../src/openclaw/cli.js";
import { sandboxEnv } from "../../src/sandbox/openclaw-cli.js";
import { realExec } from "../../src/util/exec.js";
import { explainJson, renderExplain } from "../../src/cli/explain.js";
import { renderFindings } from "../../src/cli/check.js";
import { shortLine } from "../../src/cli/check-output.js";
import { collectFindings, SNAPSHOT_SOURCES } from "../../src/sources.js";
import { redactDeep } from "../../src/util/secret.js";
import { startFakeProvider } from "../../src/fake/provider.js";
import { unresolvedRefBlocksModelsStatus } from "../../src/openclaw/version-rules.js";
import { configEnvLines, parseDotenv } from "../../src/openclaw/env-files.js";
import { modelsStatusRefusal, parseCliJson } from "../../src/openclaw/models-status.js";
import { compareAgent, compareInstall, type CallWindow, type FieldResult, type InstallField, type ModelsStatus, type SecretsAudit } from "../../src/openclaw/oracle-compare.js";
import type { Scenario } from "./scenario.js";

export interface AgentOutcome {
  agent: string;
  results: FieldResult[];
  /** What `models status` said, without key material (for reproductions). */
  openclaw?: unknown;
}
export interface InstallOutcome {
  scenario: Scenario;
  /** null when the install could not be built (config rejected, CLI failed): the reason. */
  skipped: string | null;
  /** `models status` refused to run on the built install (OpenClaw's message): no per-agent answer. */
  refused: string | null;
  /** Install-wide comparisons (models status refusal, secrets audit). */
  install: FieldResult<InstallField>[];
  agents: AgentOutcome[];
  cliCalls: number;
  cliMs: number;
  /** Chat requests the fake provider saw during the failing turn (when the scenario has one). */
  turnRequests?: number;
  /** Raw keys found in clawpatrol's explain output or check findings (must stay empty). */
  leaks: string[];
}

export interface RunOptions {
  keep?: boolean;
  /** Called with clawpatrol's reading of the built install (for extra assertions in tests). */
  inspect?: (inst: Installation) => void | Promise<void>;
}

export async function runInstall(entry: string, scenario: Scenario, opts: RunOptions = {}): Promise<InstallOutcome> {
  const tmp = mkdtempSync(join(tmpdir(), `cp-verify-${scenario.id}-`));
  const home = join(tmp, "home");
  const state = join(home, ".openclaw");
  mkdirSync(state, { recursive: true });
  const env = sandboxEnv({ home, stateDir: state, extra: { npm_config_offline: "true", npm_config_cache: join(tmp, "npm-cache") } });
  const cli = new OpenClawCli(entry, env, realExec);
  const out: InstallOutcome = { scenario, skipped: null, refused: null, install: [], agents: [], cliCalls: 0, cliMs: 0, leaks: [] };
  const call = async (args: string[], input?: string) => {
    const t0 = Date.now();
    const r = await cli.run(args, 300_000, input); // 2 busy cores: a paste can take minutes
    out.cliCalls++;
    out.cliMs += Date.now() - t0;
    return r;
  };
  const fake = scenario.failingTurn ? await startFakeProvider({ host: "127.0.0.1", unknownKey: scenario.failingTurn.status, modelIds: ["mock-ok"] }) : null;
  try {
    // The failing turn's mock provider must reach the fake: same config, the fake's port.
    const config = structuredClone(scenario.config) as { models: { providers: Record<string, { baseUrl?: string }> }; logging?: { file?: string } };
    if (fake) config.models.providers.mock!.baseUrl = `${fake.url}/v1`;
    // Its own gateway log: OpenClaw's default, /tmp/openclaw/openclaw-DATE.log, is shared by every
    // OpenClaw on the host and is what `clawpatrol check` reads for any install without logging.file.
    config.logging = { ...config.logging, file: join(tmp, "openclaw.log") };
    writeFileSync(join(state, "openclaw.json"), JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
    if (scenario.dotenv) writeFileSync(join(state, ".env"), scenario.dotenv, { mode: 0o600 });
    const v = await call(["config", "validate", "--json"]);
    const validated = parseCliJson(v.stdout) as { valid?: boolean; issues?: { path: string; message: string }[] } | null;
    if (!validated?.valid) {
      out.skipped = `config validate rejected it: ${JSON.stringify(validated?.issues ?? v.stderr.slice(0, 300))}`;
      return out;
    }
    for (const p of scenario.paste) {
      const r = await call(["models", "auth", "--agent", p.agent, p.kind === "token" ? "paste-token" : "paste-api-key", "--provider", p.provider, "--profile-id", p.profileId], p.key + "\n");
      if (r.code !== 0) {
        out.skipped = `${p.kind === "token" ? "paste-token" : "paste-api-key"} for ${p.agent}/${p.provider} exited ${r.code}: ${lastLine(r.stderr)}`;
        return out;
      }
    }
    for (const o of scenario.order) {
      const r = await call(["models", "auth", "order", "set", "--agent", o.agent, "--provider", o.provider, ...o.profileIds]);
      if (r.code !== 0) {
        out.skipped = `models auth order set for ${o.agent}/${o.provider} exited ${r.code}: ${lastLine(r.stderr)}`;
        return out;
      }
    }
    if (scenario.failingTurn) {
      // Whatever the turn's outcome, OpenClaw's own bookkeeping of it is what gets compared.
      await call(["agent", "--local", "--agent", scenario.failingTurn.agent, "--message", "hi", "--json", "--timeout", "60"]);
      out.turnRequests = fake!.requests.filter((r) => r.endpoint === "chat").length;
    }
    const statuses = new Map<string, ModelsStatus>();
    const windows = new Map<string, CallWindow>();
    for (const a of scenario.agents) {
      const start = Date.now();
      const r = await call(["models", "status", "--json", "--agent", a]);
      windows.set(a, { start, end: Date.now() });
      const s = parseCliJson(r.stdout) as ModelsStatus | null;
      const refusal = modelsStatusRefusal(s);
      if (refusal) {
        // OpenClaw itself refuses to answer for this install (an unresolvable secret reference):
        // compared install-wide (status-refused, secrets audit), not counted as a per-agent answer.
        out.refused = refusal;
        break;
      }
      if (!s || s.defaultModel === undefined) {
        // An error document ({ok:false, error}) is no answer: never count it as "not reported".
        out.skipped = `models status --agent ${a} gave no model status (exit ${r.code}): ${(r.stdout.trim() || r.stderr.trim()).slice(0, 300)}`;
        return out;
      }
      statuses.set(a, s);
    }
    let audit: SecretsAudit | null = null;
    if (scenario.audit || out.refused) {
      // Exit 2 means "found something" (e.g. an unresolved ref); the JSON is the answer either way.
      const r = await call(["secrets", "audit", "--json"]);
      audit = parseCliJson(r.stdout) as SecretsAudit | null;
      if (!audit?.findings) audit = null;
    }
    const inst = await readInstallation({ stateDir: state, home, env: {} });
    // What a user sees: explain (JSON and text) and the offline check findings.
    const findings = await collectFindings(inst, Date.now(), SNAPSHOT_SOURCES, { offline: true });
    const shown = [JSON.stringify(redactDeep(explainJson(inst, inst.agents))), renderExplain(inst, inst.agents), JSON.stringify(findings), renderFindings(inst, findings), shortLine(findings)].join("\n");
    out.leaks = scenario.secrets.filter((k) => shown.includes(k));
    out.install = compareInstall(scenario.version, findings, out.refused, audit, unresolvedRefBlocksModelsStatus, setEnvRefPaths(scenario));
    await opts.inspect?.(inst);
    if (out.refused) return out;
    for (const a of scenario.agents) {
      const agent = inst.agents.find((x) => x.id === a);
      if (!agent) {
        out.agents.push({ agent: a, results: [{ field: "primary", verdict: "disagree", openclaw: a, clawpatrol: "agent not found" }] });
        continue;
      }
      const st = statuses.get(a)!;
      out.agents.push({ agent: a, results: compareAgent(inst, agent, st, windows.get(a)), openclaw: { defaultModel: st.defaultModel, fallbacks: st.fallbacks, modelConfig: st.modelConfig, missingProvidersInUse: st.auth?.missingProvidersInUse, modelRouteIssues: st.auth?.modelRouteIssues, effective: st.auth?.providers?.map((p) => `${p.provider}:${p.effective?.kind}`) } });
    }
    return out;
  } finally {
    await fake?.close();
    if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.slice(0, 200) ?? "";
}

/** Provider keys the scenario writes as exactly `${VAR}` with VAR set (non-empty) in its .env or the config's env.vars. */
function setEnvRefPaths(scenario: Scenario): string[] {
  const config = scenario.config as { models?: { providers?: Record<string, { apiKey?: unknown }> } };
  const providers = config.models?.providers ?? {};
  const set = new Set([...parseDotenv(scenario.dotenv), ...configEnvLines(scenario.config)].filter((l) => l.value.trim()).map((l) => l.name));
  return Object.entries(providers)
    .filter(([, p]) => typeof p.apiKey === "string" && set.has(/^\$\{([A-Z0-9_]+)\}$/.exec(p.apiKey)?.[1] ?? ""))
    .map(([id]) => `models.providers.${id}.apiKey`)
    .sort();
}
