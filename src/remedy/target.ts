// Where an agent's model lives in the config, and which value to write there so its shape is kept:
// a string model is replaced by a string; an object model gets only `.primary` changed; an agent
// without a model of its own inherits `agents.defaults.model` (string, or `.primary` of the object).
import type { OpenClawConfigCli } from "./config-cli.js";
import { ABSENT, type ConfigValue, type RemedyAgent } from "./types.js";

export interface ModelTarget {
  /** Config path that is read and written (always holds a model ref string, or is absent). */
  path: string;
  current: ConfigValue;
  /** "agent" = the agent's own model; "defaults" = inherited, the switch affects every inheriting agent. */
  scope: "agent" | "defaults";
  shape: "string" | "object" | "absent";
}

export type TargetResult = { ok: true; target: ModelTarget } | { ok: false; message: string };

/** Paths that may hold the agent's entry, most specific first. 9.x refuses `agents.list[i]` paths
 *  for reading (verified 2026.9.6) even when the file still has a legacy list, so both are tried. */
export function entryPaths(agent: RemedyAgent): string[] {
  const paths: string[] = [];
  if (agent.configPath) paths.push(agent.configPath);
  const entries = `agents.entries.${agent.id}`;
  if (!paths.includes(entries)) paths.push(entries);
  return paths;
}

async function modelAt(cli: OpenClawConfigCli, base: string, scope: ModelTarget["scope"]): Promise<TargetResult | "absent" | "unknown"> {
  const r = await cli.get(`${base}.model`);
  if (r.kind === "unknown-path") return "unknown";
  if (r.kind === "absent") return "absent";
  if (r.kind === "error") return { ok: false, message: r.message };
  const v = r.value;
  if (typeof v === "string") return { ok: true, target: { path: `${base}.model`, current: v, scope, shape: "string" } };
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const primary = (v as Record<string, unknown>).primary;
    if (typeof primary === "string") return { ok: true, target: { path: `${base}.model.primary`, current: primary, scope, shape: "object" } };
    // `{fallbacks:[…]}` without primary inherits the shared primary (9.x).
    return "absent";
  }
  return { ok: false, message: `${base}.model holds ${JSON.stringify(v)}, which is not a model ref; fix it with openclaw config set ${base}.model '"provider/model"' --strict-json` };
}

export async function resolveTarget(cli: OpenClawConfigCli, agent: RemedyAgent): Promise<TargetResult> {
  for (const base of entryPaths(agent)) {
    const r = await modelAt(cli, base, "agent");
    if (r === "unknown") continue;
    if (r === "absent") break;
    return r;
  }
  const d = await modelAt(cli, "agents.defaults", "defaults");
  if (d === "unknown") return { ok: false, message: "this openclaw does not know agents.defaults.model" };
  if (d === "absent") return { ok: true, target: { path: "agents.defaults.model.primary", current: ABSENT, scope: "defaults", shape: "absent" } };
  return d;
}

/**
 * Where the agent's model lives according to the adapter's snapshot, for observe mode on a host
 * where the `openclaw` CLI cannot run: the command is still exact, only not read back from the CLI.
 */
export function snapshotTarget(agent: RemedyAgent): ModelTarget | null {
  const primary = agent.route.primary;
  if (!primary) return null;
  const current = primary.ref.ref;
  if (primary.from === "agent" && agent.configPath) {
    return agent.modelShape === "object"
      ? { path: `${agent.configPath}.model.primary`, current, scope: "agent", shape: "object" }
      : { path: `${agent.configPath}.model`, current, scope: "agent", shape: "string" };
  }
  const objectDefault = primary.origin.path.endsWith(".primary");
  return objectDefault
    ? { path: "agents.defaults.model.primary", current, scope: "defaults", shape: "object" }
    : { path: "agents.defaults.model", current, scope: "defaults", shape: "string" };
}
