// How a comparison with OpenClaw is told: `clawpatrol verify`'s text and JSON, and the daemon's
// `clawpatrol.disagrees` findings (one per agent, one for the install), each naming the field, both
// answers and how to report it. Pure.
import { makeFinding, type Finding } from "../checks/finding.js";
import { tildify } from "../openclaw/paths.js";
import { NEWEST_VERIFIED, versionWithVerification } from "../openclaw/verified.js";
import { disagreements, type Disagreement, type VerifyOutcome } from "./verify.js";

const MAX_VALUE = 160;

/** One answer as a person reads it: JSON, shortened. */
export function answerText(v: unknown): string {
  const s = JSON.stringify(v) ?? "null";
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/** What to do about a disagreement: whom to trust meanwhile, and what to paste into an issue. */
export function reportHint(agent: string | null, fields: readonly Disagreement[] = []): string {
  const scope = agent ? ` --agent ${agent}` : "";
  if (fields.some((d) => d.field === "config-valid" && String(d.openclaw).startsWith("rejected"))) {
    return "OpenClaw rejects this config, so the gateway will not load it: fix what OpenClaw names (`openclaw config validate` lists it), then tell clawpatrol what it missed: `clawpatrol verify --json` prints what to paste into a clawpatrol issue (no keys)";
  }
  return (
    `until it is fixed, trust \`openclaw models status${scope}\` over clawpatrol${agent ? ` for agent ${agent}` : ""}; ` +
    `report it: \`clawpatrol verify${scope} --json\` prints what to paste into a clawpatrol issue (model, provider and profile names, no keys)`
  );
}

const ofAgent = (d: readonly Disagreement[], agent: string | null) => d.filter((x) => x.agent === agent);
const fieldLine = (d: Disagreement) => `${d.field}: OpenClaw says ${answerText(d.openclaw)} · clawpatrol says ${answerText(d.clawpatrol)}`;

/** `clawpatrol.disagrees` findings: one per agent read differently, one for install-wide fields. */
export function disagreementFindings(o: VerifyOutcome, now: number): Finding[] {
  const all = disagreements(o);
  const version = o.openclaw.version ?? "(version unknown)";
  const subjects = [...new Set(all.map((d) => d.agent))];
  return subjects.map((agent) => {
    const mine = ofAgent(all, agent);
    const first = mine[0]!;
    const more = mine.length > 1 ? ` (+${mine.length - 1} more field${mine.length > 2 ? "s" : ""}: ${mine.slice(1).map((d) => d.field).join(", ")})` : "";
    return makeFinding({
      kind: "clawpatrol.disagrees",
      severity: "warning",
      subject: agent ? { agent } : {},
      summary: `clawpatrol reads ${agent ? `agent ${agent}` : "this install"} differently from OpenClaw ${version}'s own models status — ${fieldLine(first)}${more}`,
      detail: reportHint(agent, mine),
      evidence: {
        openclawVersion: o.openclaw.version,
        fields: mine.map(({ field, openclaw, clawpatrol }) => ({ field, openclaw, clawpatrol })),
        ...(agent ? { openclawSaid: o.agents.find((a) => a.agent === agent)?.openclawSaid } : { refused: o.refused }),
      },
      at: now,
    });
  });
}

export function verifyExitCode(o: VerifyOutcome): 0 | 1 {
  return disagreements(o).length ? 1 : 0;
}

export function renderVerify(o: VerifyOutcome, home?: string): string {
  const all = disagreements(o);
  const version = o.openclaw.version ?? "(version unknown)";
  const lines: string[] = [];
  const agentsOff = [...new Set(all.filter((d) => d.agent).map((d) => d.agent!))];
  const installOff = ofAgent(all, null);
  const agreeing = o.agents.filter((a) => !agentsOff.includes(a.agent)).map((a) => a.agent);
  if (!all.length) {
    lines.push(
      o.refused
        ? `OK: OpenClaw ${version} refuses \`models status\` for this install, as clawpatrol predicts (config.missing-var): ${o.refused}`
        : `OK: clawpatrol reads ${o.agents.length === 1 ? "agent " + o.agents[0]!.agent : `all ${o.agents.length} agents`} as OpenClaw ${version}'s own \`openclaw models status\` does (every field it reports)`,
    );
  } else {
    const parts = [agentsOff.length ? `${agentsOff.length} of ${o.agents.length} agent${o.agents.length === 1 ? "" : "s"}` : "", installOff.length ? "the install as a whole" : ""].filter(Boolean);
    lines.push(`WARNING: clawpatrol reads ${parts.join(" and ")} differently from OpenClaw ${version}'s own \`openclaw models status\``);
  }
  lines.push(`OpenClaw ${versionWithVerification(o.openclaw.version)} (${tildify(o.openclaw.bin, home ?? "")}) · ${tildify(o.stateDir, home ?? "")} · asked on a private copy, offline, one agent at a time`);
  if (installOff.length) {
    lines.push("", "the install");
    for (const d of installOff) lines.push(`  ${fieldLine(d)}`);
    lines.push(`  ${reportHint(null, installOff)}`);
  }
  for (const agent of agentsOff) {
    lines.push("", `agent ${agent}`);
    for (const d of ofAgent(all, agent)) lines.push(`  ${fieldLine(d)}`);
    lines.push(`  ${reportHint(agent, ofAgent(all, agent))}`);
  }
  if (all.length && agreeing.length) lines.push("", `agrees: ${agreeing.join(", ")}`);
  return lines.join("\n") + "\n";
}

export function verifyJson(o: VerifyOutcome): Record<string, unknown> {
  const all = disagreements(o);
  return {
    schema: 1,
    verdict: all.length ? "disagree" : "agree",
    openclaw: { ...o.openclaw, newestVerified: NEWEST_VERIFIED.openclaw },
    stateDir: o.stateDir,
    refused: o.refused,
    install: o.install,
    agents: o.agents.map((a) => ({ agent: a.agent, verdict: a.results.some((r) => r.verdict === "disagree") ? "disagree" : "agree", fields: a.results, openclawSaid: a.openclawSaid })),
    disagreements: all,
  };
}
