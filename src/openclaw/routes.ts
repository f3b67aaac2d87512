// An agent's effective model route (primary + fallbacks) and where each value came from, following
// the inheritance rules of the installed version:
//  - before 2026.4.27: a per-agent string overrides the primary only and keeps the global fallbacks;
//  - since 2026.4.27 (and all 2026.9.x): a per-agent string/`{primary}` is strict (no fallbacks);
//    `{primary, fallbacks}` brings its own chain; `{fallbacks}` alone inherits the shared primary.
import { getObj, isPlainObject } from "./config-path.js";
import type { RosterEntry } from "./agents.js";
import type { ModelRef, ModelRoute, Origin, RouteEntry } from "./types.js";

export function parseModelRef(ref: string, aliases: Map<string, string> = new Map()): ModelRef | null {
  const t = ref.trim();
  const target = !t.includes("/") && aliases.has(t.toLowerCase()) ? aliases.get(t.toLowerCase())! : t;
  const slash = target.indexOf("/");
  if (slash <= 0 || slash === target.length - 1) return null;
  return { provider: target.slice(0, slash).toLowerCase(), model: target.slice(slash + 1), ref: t };
}

/** The provider of a `provider/model` ref, lower-cased; a ref with no slash is taken as a provider name. */
export function providerOfRef(ref: string): string {
  return parseModelRef(ref)?.provider ?? ref.trim().toLowerCase();
}

/** `agents.defaults.models["p/m"].alias` → "p/m", keyed by lower-case alias. */
export function modelAliases(config: Record<string, unknown> | null): Map<string, string> {
  const out = new Map<string, string>();
  const models = getObj(config, "agents", "defaults", "models");
  if (models) for (const [ref, v] of Object.entries(models)) if (isPlainObject(v) && typeof v.alias === "string") out.set(v.alias.toLowerCase(), ref);
  return out;
}

interface Ctx {
  aliases: Map<string, string>;
  originOf: (path: string) => Origin;
}

function entry(ref: string, role: RouteEntry["role"], from: RouteEntry["from"], path: string, ctx: Ctx): RouteEntry | null {
  const parsed = parseModelRef(ref, ctx.aliases);
  if (!parsed) return null;
  return { ref: parsed, role, from, origin: ctx.originOf(path) };
}

function list(value: unknown, from: RouteEntry["from"], base: string, ctx: Ctx): RouteEntry[] {
  if (!Array.isArray(value)) return [];
  const out: RouteEntry[] = [];
  value.forEach((v, i) => {
    if (typeof v !== "string") return;
    const e = entry(v, "fallback", from, `${base}[${i}]`, ctx);
    if (e) out.push(e);
  });
  return out;
}

export function defaultsRoute(config: Record<string, unknown> | null, ctx: Ctx): { primary: RouteEntry | null; fallbacks: RouteEntry[] } {
  const model = getObj(config, "agents", "defaults")?.model;
  if (typeof model === "string") return { primary: entry(model, "primary", "defaults", "agents.defaults.model", ctx), fallbacks: [] };
  if (isPlainObject(model)) {
    const primary = typeof model.primary === "string" ? entry(model.primary, "primary", "defaults", "agents.defaults.model.primary", ctx) : null;
    return { primary, fallbacks: list(model.fallbacks, "defaults", "agents.defaults.model.fallbacks", ctx) };
  }
  return { primary: null, fallbacks: [] };
}

export function effectiveRoute(agent: RosterEntry, config: Record<string, unknown> | null, strictSemantics: boolean, ctx: Ctx): ModelRoute {
  const defaults = defaultsRoute(config, ctx);
  const base = agent.configPath ? `${agent.configPath}.model` : null;
  const m = agent.model;
  if (base && typeof m === "string" && m.trim()) {
    const primary = entry(m, "primary", "agent", base, ctx);
    if (strictSemantics) return { primary, fallbacks: [], strict: true };
    return { primary, fallbacks: defaults.fallbacks, strict: false };
  }
  if (base && isPlainObject(m)) {
    const ownPrimary = typeof m.primary === "string" ? entry(m.primary, "primary", "agent", `${base}.primary`, ctx) : null;
    const primary = ownPrimary ?? defaults.primary;
    if (Array.isArray(m.fallbacks)) return { primary, fallbacks: list(m.fallbacks, "agent", `${base}.fallbacks`, ctx), strict: m.fallbacks.length === 0 };
    if (ownPrimary && strictSemantics) return { primary, fallbacks: [], strict: true };
    return { primary, fallbacks: defaults.fallbacks, strict: false };
  }
  return { primary: defaults.primary, fallbacks: defaults.fallbacks, strict: false };
}

/** Providers an agent's route touches, primary first, without repeats. */
export function routeProviders(route: ModelRoute): string[] {
  const out: string[] = [];
  for (const e of [route.primary, ...route.fallbacks]) if (e && !out.includes(e.ref.provider)) out.push(e.ref.provider);
  return out;
}
