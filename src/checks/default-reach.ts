// The one time a pinned agent is worth a warning: the default was just changed (drift on
// agents.defaults.model against the accepted baseline) and some agents will not inherit it —
// the seed-000 trap, where the user set a new default and expected every agent to follow.
// Pure: this round's drift findings and the snapshot in, at most one finding out.
import { findingKey, makeFinding, type Finding } from "./finding.js";
import { defaultPrimaryOf } from "./lint.js";
import { tildify } from "../openclaw/paths.js";
import type { Installation } from "../openclaw/types.js";

const NAMED = 5;
const CHANGE = /^agents\.defaults\.model(\.primary)?: /;

function subjectFile(inst: Installation): string {
  return `${tildify(inst.paths.configPath, inst.paths.home ?? "")}#agents.defaults.model`;
}

/** The key of the finding below: the drift report covers it, the snapshot report must not. */
export function defaultReachKey(inst: Installation): string {
  return findingKey("config.shadowed-default", { file: subjectFile(inst) });
}

export function defaultReachFindings(inst: Installation, drift: readonly Finding[], now: number): Finding[] {
  const configFiles = new Set([inst.paths.configPath, ...inst.configFiles]);
  const changed = drift.some((f) => f.kind === "config.drift" && configFiles.has(f.subject.file ?? "") && ((f.evidence?.changes as string[] | undefined) ?? []).some((c) => CHANGE.test(c)));
  const dp = defaultPrimaryOf(inst);
  if (!changed || !dp) return [];
  const pinned = inst.agents.filter((a) => a.route.primary?.from === "agent" && a.route.primary.ref.ref !== dp);
  if (!pinned.length) return [];
  const names = pinned.slice(0, NAMED).map((a) => a.id).join(", ") + (pinned.length > NAMED ? ` and ${pinned.length - NAMED} more` : "");
  const first = pinned[0]!;
  return [
    makeFinding({
      kind: "config.shadowed-default",
      severity: "warning",
      subject: { file: subjectFile(inst) },
      summary: `your new default ${dp} does not reach ${names}: ${pinned.length === 1 ? "it pins its" : "they pin their"} own model`,
      detail:
        `to let an agent follow the default: openclaw config unset ${first.configPath}.model && openclaw gateway restart (same for each agent named); ` +
        `if the pins are intended: clawpatrol accept --file ${inst.paths.configPath}`,
      evidence: { defaultModel: dp, pinnedAgents: pinned.length, agents: pinned.slice(0, 50).map((a) => ({ id: a.id, model: a.route.primary!.ref.ref, path: `${a.configPath}.model` })) },
      at: now,
    }),
  ];
}
