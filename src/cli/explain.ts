// `clawpatrol explain`: for each agent, the model route it really runs (with the config path each
// value came from) and, per provider, the credential the runtime would send and what it shadows.
import { defaultsPrimary } from "../openclaw/model-defaults.js";
import { winnerUnusable } from "../openclaw/availability.js";
import type { Command } from "commander";
import { display, fail, openclawSummary, readForCli } from "./check.js";
import type { Agent, Credential, Installation, ProviderCredentials, RouteEntry } from "../openclaw/types.js";
import { redactDeep, redactText } from "../util/secret.js";
import { errorLine } from "../util/fs-error.js";
import { configProblemLine, issueLine, unreadableFiles } from "./read-problems.js";
import { addConfigOptions, loadCliConfig, type InstallFlags } from "./cli-config.js";
import { wrapLines, wrapWidth } from "../util/terminal.js";
import { versionWithVerification } from "../openclaw/verified.js";

// Home of the installation being explained, for showing paths as ~/…
const HOME: { value: string | undefined } = { value: undefined };

function originText(e: RouteEntry): string {
  const who = e.from === "agent" ? "per-agent override" : e.from === "defaults" ? "agents.defaults" : "OpenClaw built-in";
  return `${who}, ${display(e.origin.file, HOME.value)}: ${e.origin.path}`;
}

function credJson(c: Credential) {
  return {
    source: c.source.label,
    kind: c.source.kind,
    type: c.type,
    fingerprint: c.secret ? c.secret.fingerprint : null,
    ...(c.source.profileId ? { profileId: c.source.profileId } : {}),
    ...(c.source.envVar ? { envVar: c.source.envVar } : {}),
    ...(c.expiresAt !== undefined ? { expiresAt: new Date(c.expiresAt).toISOString() } : {}),
    ...(c.unresolved ? { unresolved: c.unresolved } : {}),
  };
}

function providerJson(inst: Installation, agent: Agent, pc: ProviderCredentials) {
  const ep = inst.endpoints.get(pc.provider);
  const unusable = winnerUnusable(inst, agent, pc, inst.readAt);
  return {
    provider: pc.provider,
    baseUrl: ep?.baseUrl ?? null,
    winner: pc.winner ? credJson(pc.winner) : null,
    ...(unusable ? { unusableUntil: new Date(unusable.until).toISOString(), unusableReason: unusable.reason ?? null } : {}),
    shadows: pc.others.filter((c) => c.secret).map(credJson),
    alsoConfigured: pc.others.filter((c) => !c.secret).map(credJson),
    rule: pc.rule,
  };
}

export function explainJson(inst: Installation, agents: Agent[]) {
  HOME.value = inst.paths.home;
  return {
    schema: 1,
    openclaw: openclawSummary(inst),
    rosterShape: inst.rosterShape,
    defaultAgentId: inst.defaultAgentId,
    defaultsModel: defaultsPrimary(inst.config),
    agents: agents.map((a) => ({
      id: a.id,
      name: a.name ?? null,
      isDefault: a.isDefault,
      configPath: a.configPath,
      modelShape: a.modelShape,
      route: {
        strict: a.route.strict,
        primary: a.route.primary ? { model: a.route.primary.ref.ref, from: a.route.primary.from, origin: `${display(a.route.primary.origin.file, HOME.value)}: ${a.route.primary.origin.path}` } : null,
        fallbacks: a.route.fallbacks.map((f) => ({ model: f.ref.ref, from: f.from, origin: `${display(f.origin.file, HOME.value)}: ${f.origin.path}` })),
      },
      credentials: a.credentials.map((pc) => providerJson(inst, a, pc)),
    })),
    version: { evidence: inst.version.evidence },
  };
}

export function renderExplain(inst: Installation, agents: Agent[]): string {
  HOME.value = inst.paths.home;
  const out: string[] = [];
  const v = inst.version;
  out.push(`OpenClaw ${versionWithVerification(v.version)} (from ${v.source}) · storage era ${v.era} · ${display(inst.paths.stateDir, HOME.value)}`);
  for (const e of v.evidence) out.push(`  evidence: ${e}`);
  const dp = defaultsPrimary(inst.config);
  for (const a of agents) {
    out.push("");
    out.push(`agent ${a.id}${a.name && a.name !== a.id ? ` ("${a.name}")` : ""}${a.isDefault ? " [default]" : ""} — ${a.configPath ? `configured at ${a.configPath}` : "implicit (no agents configured)"}`);
    const p = a.route.primary;
    if (p) {
      out.push(`  primary:   ${p.ref.ref}`);
      out.push(`             from ${originText(p)}`);
      if (p.from === "agent" && dp && dp !== p.ref.ref) out.push(`             (agents.defaults.model = ${dp} does not reach this agent)`);
    } else out.push("  primary:   none configured (OpenClaw's built-in default applies)");
    if (a.route.fallbacks.length) {
      for (const f of a.route.fallbacks) out.push(`  fallback:  ${f.ref.ref}   from ${originText(f)}`);
    } else out.push(`  fallbacks: none${a.route.strict ? " (the agent's own model is strict: no fallback chain)" : ""}`);
    for (const pc of a.credentials) {
      const ep = inst.endpoints.get(pc.provider);
      out.push(`  ${pc.provider}${ep ? ` → ${ep.baseUrl}` : ""}`);
      if (pc.winner) out.push(`    uses:    ${pc.winner.source.label}  ${pc.winner.secret ? pc.winner.secret.fingerprint : ""}`.trimEnd());
      else out.push(`    uses:    NOTHING — no credential found (auth.missing)`);
      const unusable = winnerUnusable(inst, a, pc, inst.readAt);
      if (unusable) out.push(`    unusable until ${new Date(unusable.until).toISOString()} (${unusable.reason ?? "cooldown"}, ${unusable.usageId}): OpenClaw counts ${pc.provider} as missing until then`);
      for (const c of pc.others) {
        const same = c.secret && pc.winner?.secret ? (c.secret.sameAs(pc.winner.secret) ? " (same key)" : " (DIFFERENT key)") : "";
        out.push(`    shadows: ${c.source.label}  ${c.secret ? c.secret.fingerprint : c.unresolved ?? ""}${same}`);
      }
      out.push(`    rule:    ${pc.rule}`);
    }
  }
  return out.join("\n") + "\n";
}

/** A wrapped "    uses:    value" line continues under its value, past the label. */
const hangUnderLabel = (line: string): number => /^[a-z]+:\s+/.exec(line.trimStart())?.[0].length ?? 2;

export function registerExplain(program: Command): void {
  addConfigOptions(program.command("explain").description("Show each agent's effective model route and which credential it really uses"))
    .option("--agent <id>", "only this agent")
    .option("--json", "print one JSON document")
    .action(async (opts: InstallFlags & { agent?: string; json?: boolean }) => {
      try {
        const inst = await readForCli(await loadCliConfig(opts));
        HOME.value = inst.paths.home;
        // A config OpenClaw refuses has no routes to explain: say why instead of inventing an agent.
        const problem = configProblemLine(inst);
        if (problem) fail(problem);
        let agents = inst.agents;
        if (opts.agent) {
          agents = agents.filter((a) => a.id === opts.agent);
          if (!agents.length) fail(`no agent "${opts.agent}" in ${display(inst.paths.configPath, HOME.value)} (agents: ${inst.agents.map((a) => a.id).join(", ") || "none"})`);
        }
        if (opts.json) process.stdout.write(JSON.stringify(redactDeep(explainJson(inst, agents)), null, 2) + "\n");
        else process.stdout.write(wrapLines(redactText(renderExplain(inst, agents)), wrapWidth(process.stdout, process.env), hangUnderLabel));
        for (const i of inst.issues) process.stderr.write(`clawpatrol: ${redactText(issueLine(i, inst))}\n`);
        // Routes shown next to a store that could not be read may name the wrong credential.
        if (unreadableFiles(inst).length) process.exitCode = 2;
      } catch (err) {
        fail(errorLine(err));
      }
    });
}
