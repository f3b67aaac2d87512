// The agent roster in both shapes: `agents.entries{}` (2026.7.22+), `agents.list[]` (older), or the
// implicit single agent `main` when nothing is configured.
import { join } from "node:path";
import { formatPath, getObj, getStr, isPlainObject } from "./config-path.js";
import { expandHome } from "./paths.js";
import type { ReadIssue } from "./types.js";

export interface RosterEntry {
  id: string;
  name?: string;
  isDefault: boolean;
  agentDir: string;
  configPath: string | null;
  /** The agent's own `model` value, as authored. */
  model: unknown;
  modelShape: "string" | "object" | "absent";
}

export interface Roster {
  shape: "entries" | "list" | "implicit";
  agents: RosterEntry[];
  defaultAgentId: string | null;
}

function shapeOf(model: unknown): RosterEntry["modelShape"] {
  if (typeof model === "string" && model.trim()) return "string";
  if (isPlainObject(model)) return "object";
  return "absent";
}

export function readRoster(config: Record<string, unknown> | null, stateDir: string, home: string, configFile: string, issues: ReadIssue[]): Roster {
  const agentsCfg = getObj(config, "agents");
  const dirFor = (id: string, entry: Record<string, unknown>): string => {
    const d = typeof entry.agentDir === "string" && entry.agentDir.trim() ? entry.agentDir : null;
    return d ? expandHome(d, home, stateDir) : join(stateDir, "agents", id, "agent");
  };

  if (agentsCfg && isPlainObject(agentsCfg.entries) && Object.keys(agentsCfg.entries).length) {
    const ids = Object.keys(agentsCfg.entries);
    const owner = getStr(agentsCfg, "defaults", "systemAgent", "agentId") ?? getStr(agentsCfg, "defaults", "heartbeat", "agentId");
    const defaultId = owner && ids.includes(owner) ? owner : ids.includes("main") ? "main" : ids[0]!;
    const agents = ids.map((id) => {
      const e = isPlainObject(agentsCfg.entries) && isPlainObject((agentsCfg.entries as Record<string, unknown>)[id]) ? ((agentsCfg.entries as Record<string, Record<string, unknown>>)[id]!) : {};
      const r: RosterEntry = {
        id,
        isDefault: id === defaultId,
        agentDir: dirFor(id, e),
        configPath: formatPath(["agents", "entries", id]),
        model: e.model,
        modelShape: shapeOf(e.model),
      };
      if (typeof e.name === "string") r.name = e.name;
      return r;
    });
    return { shape: "entries", agents, defaultAgentId: defaultId };
  }

  if (agentsCfg && agentsCfg.list !== undefined) {
    if (!Array.isArray(agentsCfg.list)) {
      issues.push({ kind: "config.invalid", file: configFile, path: "agents.list", message: `${configFile}: agents.list must be a list of agents` });
    } else if (agentsCfg.list.length) {
      const list = agentsCfg.list as unknown[];
      const agents: RosterEntry[] = [];
      list.forEach((raw, i) => {
        if (!isPlainObject(raw) || typeof raw.id !== "string" || !raw.id.trim()) {
          issues.push({ kind: "config.invalid", file: configFile, path: `agents.list[${i}]`, message: `${configFile}: agents.list[${i}] has no "id"`, fix: `openclaw config set 'agents.list[${i}].id' '"main"' --strict-json` });
          return;
        }
        const r: RosterEntry = {
          id: raw.id,
          isDefault: false,
          agentDir: dirFor(raw.id, raw),
          configPath: `agents.list[${i}]`,
          model: raw.model,
          modelShape: shapeOf(raw.model),
        };
        if (typeof raw.name === "string") r.name = raw.name;
        agents.push(r);
      });
      const flagged = list.findIndex((a) => isPlainObject(a) && a.default === true);
      const def = flagged >= 0 && isPlainObject(list[flagged]) ? String((list[flagged] as Record<string, unknown>).id) : agents[0]?.id ?? null;
      for (const a of agents) a.isDefault = a.id === def;
      if (agents.length) return { shape: "list", agents, defaultAgentId: def };
    }
  }

  return {
    shape: "implicit",
    agents: [{ id: "main", isDefault: true, agentDir: join(stateDir, "agents", "main", "agent"), configPath: null, model: undefined, modelShape: "absent" }],
    defaultAgentId: "main",
  };
}
