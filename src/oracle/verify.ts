// The live oracle: clawpatrol's reading of the install (the Installation `explain --json` prints)
// against what the installed OpenClaw's own `openclaw models status` says, agent by agent, with the
// comparison the differential verifier uses (openclaw/oracle-compare.ts). `clawpatrol verify` and
// the daemon both run `runVerify`; reading and asking are injected.
import { compareAgent, compareInstall, type FieldResult, type InstallField, type ModelsStatus } from "../openclaw/oracle-compare.js";
import type { OpenClawAnswers } from "../openclaw/live-oracle.js";
import { unresolvedRefBlocksModelsStatus } from "../openclaw/version-rules.js";
import type { Installation } from "../openclaw/types.js";
import { snapshotFindings } from "../sources.js";

/**
 * Install-wide fields compared live. `plaintext` is left out: before 9.x `secrets audit` counts a set
 * `${VAR}` as a stored key, which only the verifier (it wrote the config) can tell apart.
 */
const LIVE_INSTALL_FIELDS: readonly InstallField[] = ["status-refused", "unresolved-refs"];

/** Install-wide fields of the live comparison: compareInstall's, and whether OpenClaw accepts the config at all. */
export type LiveInstallField = InstallField | "config-valid";

export interface AgentOutcome {
  agent: string;
  results: FieldResult[];
  /** What OpenClaw said, without key material (masks left out): for reports. */
  openclawSaid: Record<string, unknown>;
}

export interface VerifyOutcome {
  openclaw: { bin: string; version: string | null };
  stateDir: string;
  agents: AgentOutcome[];
  install: FieldResult<LiveInstallField>[];
  /** OpenClaw refused `models status` for the whole install: its message. */
  refused: string | null;
}

export interface Disagreement {
  /** null for an install-wide field. */
  agent: string | null;
  field: string;
  openclaw: unknown;
  clawpatrol: unknown;
}

function said(s: ModelsStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {
    defaultModel: s.defaultModel,
    fallbacks: s.fallbacks,
    modelConfig: s.modelConfig,
    missingProvidersInUse: s.auth?.missingProvidersInUse,
    modelRouteIssues: s.auth?.modelRouteIssues,
    effective: s.auth?.providers?.map((p) => `${p.provider}:${p.effective?.kind ?? "?"}`),
    unusableProfiles: s.auth?.unusableProfiles?.map((p) => p.profileId),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Compares each answer OpenClaw gave with clawpatrol's reading of the same agent. Pure. */
export function compareWithOpenClaw(inst: Installation, answers: OpenClawAnswers, now: number): VerifyOutcome {
  const agents = answers.agents.map((a): AgentOutcome => {
    const agent = inst.agents.find((x) => x.id === a.agent);
    const results: FieldResult[] = agent
      ? compareAgent(inst, agent, a.status, a.window)
      : [{ field: "primary", verdict: "disagree", openclaw: a.status.defaultModel ?? null, clawpatrol: "agent not found" }];
    return { agent: a.agent, results, openclawSaid: said(a.status) };
  });
  const install: FieldResult<LiveInstallField>[] = [configValidity(inst, answers)];
  if (!answers.configRejected) {
    install.push(...compareInstall(answers.version ?? inst.version.version ?? "", snapshotFindings(inst, now), answers.refused, answers.audit, unresolvedRefBlocksModelsStatus).filter((r) => LIVE_INSTALL_FIELDS.includes(r.field)));
  }
  return { openclaw: { bin: answers.bin, version: answers.version }, stateDir: inst.paths.stateDir, agents, install, refused: answers.refused };
}

/** Does OpenClaw accept the config, as clawpatrol's config.invalid findings say it would? */
function configValidity(inst: Installation, answers: OpenClawAnswers): FieldResult<LiveInstallField> {
  const openclaw = answers.configRejected ? `rejected: ${answers.configRejected}` : "accepted";
  const clawpatrol = inst.configValid ? "accepted" : "rejected (config.invalid)";
  return { field: "config-valid", verdict: !answers.configRejected === inst.configValid ? "agree" : "disagree", openclaw, clawpatrol };
}

export function disagreements(o: VerifyOutcome): Disagreement[] {
  const out: Disagreement[] = [];
  for (const r of o.install) if (r.verdict === "disagree") out.push({ agent: null, field: r.field, openclaw: r.openclaw, clawpatrol: r.clawpatrol });
  for (const a of o.agents) for (const r of a.results) if (r.verdict === "disagree") out.push({ agent: a.agent, field: r.field, openclaw: r.openclaw, clawpatrol: r.clawpatrol });
  return out;
}

export interface VerifyDeps {
  /** clawpatrol's reading of the live install. */
  read(): Promise<Installation>;
  /** The installed OpenClaw's answers for these agents (openclaw/live-oracle.ts askOpenClaw). */
  ask(inst: Installation, agents: readonly string[]): Promise<OpenClawAnswers>;
  /** Which agents to compare (default: every agent of the reading). */
  agents?(inst: Installation): readonly string[];
  now(): number;
  /** Tests only: alters clawpatrol's reading before it is compared, to plant a disagreement. */
  plant?(inst: Installation): void;
}

/** Read, ask (OpenClaw reads a copy taken right after the read), compare. Throws OracleCannotRun. */
export async function runVerify(deps: VerifyDeps): Promise<VerifyOutcome> {
  const inst = await deps.read();
  const agents = deps.agents?.(inst) ?? inst.agents.map((a) => a.id);
  const answers = await deps.ask(inst, agents);
  deps.plant?.(inst);
  return compareWithOpenClaw(inst, answers, deps.now());
}
