// Config and env lint: pure functions over an Installation snapshot.
import { defaultsPrimary } from "../openclaw/model-defaults.js";
import { makeFinding, type Finding } from "./finding.js";
import { tildify } from "../openclaw/paths.js";
import { Secret } from "../util/secret.js";
import { unresolvedRefBlocksModelsStatus } from "../openclaw/version-rules.js";
import type { Agent, Installation, ReadIssue } from "../openclaw/types.js";

function home(inst: Installation): string {
  return inst.paths.home ?? "";
}

/** ReadIssues → findings (config.invalid, config.missing-var, state.unreadable). */
export function issueFindings(inst: Installation, now: number): Finding[] {
  const h = home(inst);
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const i of inst.issues) {
    const f = issueFinding(i, h, now, inst.version.version);
    if (seen.has(f.key + f.summary)) continue;
    seen.add(f.key + f.summary);
    out.push(f);
  }
  return out;
}

function issueFinding(i: ReadIssue, h: string, now: number, version: string | null): Finding {
  const file = tildify(i.file, h);
  const summary = i.message.split(i.file).join(file);
  const evidence: Record<string, unknown> = { file };
  if (i.path) evidence.path = i.path;
  if (i.line) evidence.line = i.line;
  const severity = i.kind === "config.missing-var" ? "warning" : "critical";
  // One finding per config path: two wrong keys in one file are two problems, not one deduplicated.
  const subject = i.kind !== "state.unreadable" && i.path ? { file: `${file}#${i.path}` } : { file };
  const blocks = i.kind === "config.missing-var" && unresolvedRefBlocksModelsStatus(version)
    ? ` (until then ${version ? `OpenClaw ${version}` : "OpenClaw"} refuses \`openclaw models status\`)`
    : "";
  const detail = i.fix ? i.fix + blocks : undefined;
  return makeFinding({ kind: i.kind, severity, subject, summary, evidence, at: now, ...(detail ? { detail } : {}) });
}

function modelValue(agent: Agent): string | null {
  const p = agent.route.primary;
  return p && p.from === "agent" ? p.ref.ref : null;
}

/** The primary of agents.defaults.model, when set. */
export function defaultPrimaryOf(inst: Installation): string | null {
  return defaultsPrimary(inst.config);
}

/** agents.defaults.model is set but an agent has its own primary, so the default never reaches it. */
export function shadowedDefaults(inst: Installation, now: number): Finding[] {
  const defaultPrimary = defaultPrimaryOf(inst);
  if (!defaultPrimary) return [];
  const out: Finding[] = [];
  for (const agent of inst.agents) {
    const own = modelValue(agent);
    if (!own || !agent.configPath) continue;
    const same = own === defaultPrimary;
    const modelPath = `${agent.configPath}.model`;
    const setPath = agent.modelShape === "object" ? `${modelPath}.primary` : modelPath;
    const loses = agent.route.strict ? " (its own model is strict: no fallbacks)" : "";
    out.push(
      makeFinding({
        kind: "config.shadowed-default",
        // A per-agent model is a normal, intended setup: info (check, digest). It becomes a warning
        // only when the default was just changed and does not reach the agent (default-reach.ts).
        severity: "info",
        subject: { agent: agent.id },
        summary: same
          ? `agent ${agent.id} pins ${own} in ${modelPath}; it matches agents.defaults.model today, but a later change to the default will not reach it`
          : `agent ${agent.id} runs ${own} from ${modelPath}, not the default ${defaultPrimary}: agents.defaults.model never reaches it${loses}`,
        detail:
          `to inherit the default: openclaw config unset ${modelPath} && openclaw gateway restart; ` +
          `or to pin it explicitly: openclaw config set ${setPath} ${defaultPrimary} && openclaw gateway restart`,
        evidence: { agentModel: own, agentModelPath: modelPath, defaultModel: defaultPrimary, origin: agent.route.primary?.origin.file ? tildify(agent.route.primary.origin.file, home(inst)) : undefined },
        at: now,
      }),
    );
  }
  return out;
}

/** A name defined more than once in one env file OpenClaw loads. */
export function duplicateEnvKeys(inst: Installation, now: number): Finding[] {
  const h = home(inst);
  const out: Finding[] = [];
  for (const f of inst.env.files) {
    for (const d of f.duplicates) {
      const file = tildify(f.path, h);
      const winner = d.lines[d.lines.length - 1]!;
      const entries = f.entries.filter((e) => e.name === d.name);
      const fps = entries.map((e) => `line ${e.origin.line}: ${e.value instanceof Secret ? e.value.fingerprint : "(set)"}`);
      const losers = d.lines.slice(0, -1);
      const isUnit = f.path.endsWith(".service") || f.path.endsWith(".conf");
      out.push(
        makeFinding({
          kind: "env.duplicate-key",
          severity: d.differ ? "warning" : "info",
          subject: { file: `${file}#${d.name}` },
          summary: `${d.name} is defined ${d.lines.length} times in ${file} (lines ${d.lines.join(", ")})${d.differ ? " with different values" : " with the same value"}; line ${winner} wins (${isUnit ? "systemd keeps the last assignment" : "dotenv keeps the last value"})`,
          detail: isUnit
            ? `remove the older Environment=${d.name}= line(s) ${losers.join(", ")} from ${file}, then systemctl --user daemon-reload && openclaw gateway restart`
            : `keep one line: sed -i '${losers.map((l) => `${l}d`).join(";")}' ${file} && openclaw gateway restart`,
          evidence: { file, name: d.name, lines: d.lines, differ: d.differ, winningLine: winner, values: fps },
          at: now,
        }),
      );
    }
  }
  return out;
}

/** Literal credentials in openclaw.json, models.json, auth stores. */
export function plaintextSecrets(inst: Installation, now: number): Finding[] {
  const h = home(inst);
  return inst.plaintextSecrets.map((p) => {
    const file = tildify(p.file, h);
    const isStore = /auth-profiles\.json$|\.sqlite$/.test(p.file);
    const isGatewayToken = p.path.startsWith("gateway.auth.");
    const envName = p.provider ? `${p.provider.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_API_KEY` : "OPENCLAW_GATEWAY_TOKEN";
    const detail = isStore
      ? `auth stores keep keys in plain text by design; to keep it out of the store use a keyRef (openclaw secrets configure) and store the key in ~/.openclaw/.env (chmod 600); check with openclaw secrets audit`
      : /models\.json$/.test(p.file)
        ? `generated file: put the key in ~/.openclaw/.env as ${envName}=… and reference it as "\${${envName}}" in openclaw.json; OpenClaw regenerates models.json on the next run (openclaw secrets configure helps)`
        : `move it out of the config: add ${envName}=… to ~/.openclaw/.env (chmod 600), then openclaw config set ${p.path} '"\${${envName}}"' --strict-json (or run openclaw secrets configure to use a SecretRef)`;
    const f = makeFinding({
      kind: "secret.plaintext",
      severity: isStore || isGatewayToken ? "info" : "warning",
      subject: { file: `${file}#${p.path}`, ...(p.provider ? { provider: p.provider } : {}) },
      summary: `${p.provider ? `${p.provider} key` : "secret"} stored in plain text in ${file} at ${p.path} (${p.fingerprint})`,
      detail,
      evidence: { file, path: p.path, fingerprint: p.fingerprint },
      at: now,
    });
    return f;
  });
}

export function lintFindings(inst: Installation, now: number): Finding[] {
  return [...issueFindings(inst, now), ...shadowedDefaults(inst, now), ...duplicateEnvKeys(inst, now), ...plaintextSecrets(inst, now)];
}
