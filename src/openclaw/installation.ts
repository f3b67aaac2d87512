// The adapter's entry point: read an OpenClaw installation (any storage era) into one typed,
// redacted snapshot. Read-only; never throws for bad input — problems land in `issues`.
import { existsSync } from "node:fs";
import type { Exec } from "../util/exec.js";
import { readRoster } from "./agents.js";
import { emptyStore, mergeStores, type AuthStore } from "./auth-store.js";
import { readJsonAuthStore } from "./auth-store-json.js";
import { readAgentSqliteStore, readSharedSqliteStore } from "./auth-store-sqlite.js";
import { loadAuthoredConfig, readTextFile, substituteVars } from "./config-loader.js";
import { isPlainObject } from "./config-path.js";
import { configShapeIssues } from "./config-shape.js";
import { dirReadable, unreadableDirIssue } from "./bounded-read.js";
import { resolveProviderCredentials, storedProfileCredential } from "./credentials.js";
import { providerEndpoint } from "./endpoints.js";
import { envString, readEnvView } from "./env-files.js";
import { gatewayInfo } from "./gateway-info.js";
import { locateInstallation, type LocateOptions, type LocatedInstallation } from "./paths.js";
import { effectiveRoute, modelAliases, routeProviders } from "./routes.js";
import { redactConfig, scanPlaintext } from "./secrets-scan.js";
import { detectVersion, listAgentDirsOnDisk, strictAgentModels } from "./version.js";
import type { Agent, EnvView, Installation, Origin, PlaintextSecret, ProviderCredentials, ProviderEndpoint, ReadIssue, UsageState } from "./types.js";
import { authProfilesPath, modelsJsonPath } from "./agent-files.js";
import { openclawProcessEnv } from "./cli.js";

export { locateInstallation };
export type { LocateOptions, LocatedInstallation };

export interface ReadOptions extends LocateOptions {
  /** Runs `openclaw --version`; omit to skip the CLI. */
  exec?: Exec;
  now?: number;
  openclawBin?: string;
}

// Per snapshot: resolves credentials for any agent × provider (e.g. a fallback candidate that is
// not on the agent's route yet) with the same stores and env the snapshot was read with.
const resolvers = new WeakMap<Installation, (agentId: string, provider: string) => ProviderCredentials>();

/** Credentials an agent would use for `provider`, whether or not its route uses it today. */
export function credentialsFor(inst: Installation, agentId: string, provider: string): ProviderCredentials {
  const existing = inst.agents.find((a) => a.id === agentId)?.credentials.find((c) => c.provider === provider);
  if (existing) return existing;
  const resolve = resolvers.get(inst);
  if (resolve && inst.agents.some((a) => a.id === agentId)) return resolve(agentId, provider);
  return { provider, winner: null, others: [], rule: `agent ${agentId} is not in this snapshot` };
}

function emptyEnv(): EnvView {
  return { files: [], effective: new Map() };
}

export async function readInstallation(options: ReadOptions = {}): Promise<Installation> {
  const now = options.now ?? Date.now();
  const loc = locateInstallation(options);
  const issues: ReadIssue[] = [];
  const base: Installation = {
    paths: { stateDir: loc.stateDir, configPath: loc.configPath, chosenBy: loc.chosenBy, home: loc.home, ...(loc.profile ? { profile: loc.profile } : {}) },
    version: { version: null, source: "none", era: "unknown", evidence: [] },
    exists: loc.exists,
    configExists: loc.configExists,
    configValid: false,
    config: null,
    configFiles: [],
    env: emptyEnv(),
    agents: [],
    defaultAgentId: null,
    rosterShape: "implicit",
    endpoints: new Map(),
    usage: [],
    plaintextSecrets: [],
    gateway: gatewayInfo(null, emptyEnv(), loc.home, loc.stateDir, now, loc.profile),
    issues,
    readAt: now,
    notes: [...loc.notes],
  };
  if (!loc.exists) {
    issues.push({ kind: "state.unreadable", file: loc.stateDir, message: `no OpenClaw state dir at ${loc.stateDir} (chosen by ${loc.chosenBy})`, fix: "pass --state-dir DIR or --profile NAME, or run openclaw onboard" });
    return base;
  }

  // 1. Config as authored ($include resolved), 2. env sources, 3. ${VAR} substitution.
  let authored: Record<string, unknown> | null = null;
  let origins = new Map<string, string>();
  if (loc.configExists) {
    const a = loadAuthoredConfig(loc.configPath, options.env ?? process.env);
    authored = a.authored;
    origins = a.origins;
    base.configFiles = a.files;
    issues.push(...a.issues);
  } else if (!dirReadable(loc.stateDir)) {
    issues.push(unreadableDirIssue(loc.stateDir));
  } else {
    issues.push({ kind: "config.invalid", file: loc.configPath, message: `no OpenClaw config at ${loc.configPath}`, fix: "run openclaw onboard (or openclaw config set gateway.mode local) to create it" });
    base.configFiles = [];
  }
  const fileOf = (path: string): string => {
    for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, "")) {
      const f = origins.get(p);
      if (f) return f;
      if (!/(\.[^.[\]]+|\[[^\]]*\])$/.test(p)) break;
    }
    return loc.configPath;
  };
  const originOf = (path: string): Origin => ({ file: fileOf(path), path });
  if (authored) issues.push(...configShapeIssues(authored, fileOf));

  const envRead = readEnvView({ stateDir: loc.stateDir, home: loc.home, config: authored, configPath: loc.configPath, ...(loc.profile ? { profile: loc.profile } : {}) });
  base.env = envRead.view;
  issues.push(...envRead.issues);

  let config: Record<string, unknown> | null = null;
  if (authored) {
    const sub = substituteVars(authored, (name) => envString(envRead.view.effective.get(name)), fileOf);
    config = isPlainObject(sub.value) ? sub.value : null;
    issues.push(...sub.issues);
  }

  // 4. Roster, version/era, shape checks that depend on the version.
  const roster = readRoster(config, loc.stateDir, loc.home, loc.configPath, issues);
  const agentDirs = [...new Set([...roster.agents.map((a) => a.agentDir), ...listAgentDirsOnDisk(loc.stateDir)])];
  const version = await detectVersion(
    { stateDir: loc.stateDir, config, agentDirs, ...(options.exec ? { exec: options.exec } : {}), ...(options.openclawBin ? { openclawBin: options.openclawBin } : {}), env: openclawProcessEnv({ stateDir: loc.stateDir }, { ...(options.env ?? process.env), HOME: loc.home }) },
    issues,
  );
  const { storage, ...versionInfo } = version;
  base.version = versionInfo;
  if (config && (versionInfo.era === "E" || versionInfo.era === "D") && isPlainObject(config.agents) && config.agents.list !== undefined && roster.shape !== "entries") {
    issues.push({
      kind: "config.invalid",
      file: fileOf("agents.list"),
      path: "agents.list",
      message: `agents.list is not valid for OpenClaw ${versionInfo.version ?? `era ${versionInfo.era}`} (it uses agents.entries); the gateway refuses to start with: Unrecognized key "list"`,
      fix: "openclaw doctor --fix (migrates agents.list to agents.entries)",
    });
  }
  if (authored && versionInfo.era === "E" && isPlainObject(authored.env)) {
    const flat = Object.keys(authored.env).filter((k) => k !== "vars" && k !== "shellEnv");
    if (flat.length) {
      issues.push({ kind: "config.invalid", file: fileOf("env"), path: `env.${flat[0]}`, message: `env.${flat[0]} is a flat env key; OpenClaw ${versionInfo.version ?? "2026.9+"} accepts only env.vars`, fix: `move it: openclaw config unset env.${flat[0]} && openclaw config set env.vars.${flat[0]} '"…"' --strict-json (or put it in ~/.openclaw/.env)` });
    }
  }

  // 5. Auth stores for the era. On SQLite eras leftover JSON files are migration inputs only.
  const era = versionInfo.era;
  const stores = new Map<string, AuthStore | null>();
  const sqliteEra = era === "C" || era === "D" || era === "E";
  for (const a of roster.agents) {
    stores.set(a.id, sqliteEra ? readAgentSqliteStore(a.agentDir, a.id, issues) : readJsonAuthStore(a.agentDir, a.id, issues));
    if (sqliteEra && existsSync(authProfilesPath(a.agentDir))) {
      base.version.evidence.push(`${authProfilesPath(a.agentDir)} exists but is a migration leftover on era ${era} (ignored; openclaw doctor --fix imports it)`);
    }
  }
  const shared = era === "E" || storage.sharedStateDb ? readSharedSqliteStore(loc.stateDir, issues) : null;
  const mainId = roster.agents.some((a) => a.id === "main") ? "main" : roster.defaultAgentId;
  const mainAgent = roster.agents.find((a) => a.id === mainId);
  const mainStore = mainAgent ? stores.get(mainAgent.id) ?? null : null;

  const runtimeStore = (agentId: string): { store: AuthStore } => {
    const own = stores.get(agentId) ?? null;
    if (era === "E") return { store: mergeStores(shared, own, shared?.location ?? "state/openclaw.sqlite") };
    if (agentId === mainId) return { store: own ?? emptyStore("(none)") };
    return { store: mergeStores(mainStore, own, own?.location ?? mainStore?.location ?? "(none)") };
  };

  // 6. Endpoints, routes, credentials.
  const aliases = modelAliases(config);
  const strict = strictAgentModels(versionInfo.version, roster.shape);
  const endpoints = new Map<string, ProviderEndpoint>();
  const endpointFor = (p: string): ProviderEndpoint | null => {
    if (!endpoints.has(p)) {
      const ep = providerEndpoint(p, config, originOf);
      if (ep) endpoints.set(p, ep);
    }
    return endpoints.get(p) ?? null;
  };
  const resolveFor = (agentId: string, provider: string): ProviderCredentials => {
    const r = roster.agents.find((a) => a.id === agentId)!;
    return resolveProviderCredentials(provider, {
      agentId,
      home: loc.home,
      config,
      authored,
      configFile: fileOf(`models.providers.${provider}.apiKey`),
      store: runtimeStore(agentId).store,
      env: envRead.view,
      agentDir: r.agentDir,
      endpoint: endpointFor(provider),
      now,
      version: versionInfo.version,
    });
  };
  resolvers.set(base, resolveFor);
  const agents: Agent[] = roster.agents.map((r) => {
    const route = effectiveRoute(r, config, strict, { aliases, originOf });
    const credentials = routeProviders(route).map((provider) => resolveFor(r.id, provider));
    const agent: Agent = { id: r.id, isDefault: r.isDefault, agentDir: r.agentDir, configPath: r.configPath, modelShape: r.modelShape, route, credentials };
    if (r.name) agent.name = r.name;
    return agent;
  });
  const providersCfg = config && isPlainObject(config.models) && isPlainObject(config.models.providers) ? Object.keys(config.models.providers) : [];
  for (const p of providersCfg) endpointFor(p.toLowerCase());

  // 7. Usage state and plaintext secrets from every store read.
  const usage: UsageState[] = [];
  const plaintext: PlaintextSecret[] = [];
  const allStores = [shared, ...stores.values()].filter((s): s is AuthStore => !!s);
  for (const s of allStores) {
    for (const u of s.usage) if (!usage.some((x) => x.profileId === u.profileId && x.source === u.source)) usage.push(u);
    for (const p of s.plaintext) if (!plaintext.some((x) => x.file === p.file && x.path === p.path)) plaintext.push(p);
  }
  if (authored) plaintext.unshift(...scanPlaintext(authored, fileOf));
  for (const dir of agentDirs) {
    const mj = modelsJsonPath(dir);
    if (!existsSync(mj)) continue;
    const r = readTextFile(mj);
    if (!r.ok) {
      issues.push(r.issue!);
      continue;
    }
    try {
      plaintext.push(...scanPlaintext(JSON.parse(r.text!), () => mj));
    } catch {
      issues.push({ kind: "state.unreadable", file: mj, message: `${mj} is not valid JSON (OpenClaw regenerates it on the next run)` });
    }
  }

  base.storedCredentials = allStores.flatMap((s) => s.profiles.map((p) => storedProfileCredential(p, loc.home)));
  base.configValid = !!config && !issues.some((i) => i.kind === "config.invalid");
  base.config = config ? redactConfig(config) : null;
  base.agents = agents;
  base.defaultAgentId = roster.defaultAgentId;
  base.rosterShape = roster.shape;
  base.endpoints = endpoints;
  base.usage = usage;
  base.plaintextSecrets = plaintext;
  base.gateway = gatewayInfo(config, envRead.view, loc.home, loc.stateDir, now, loc.profile);
  return base;
}
