// A change is verified whole: the parsed config before and after one `openclaw config set` are
// compared leaf by leaf. The target path must be the only semantic change; whatever else OpenClaw did
// on the way is "collateral" — recorded, shown, and put back on revert where OpenClaw allows.
// Verified on 2026.9.6: `config set agents.entries.<id>.model …` also runs OpenClaw's config
// migrations, which add meta.migrations.{modelPolicyAllowlist,utilityModelSeparation},
// meta.lastTouchedVersion and agents.defaults.model.primary (= the value just written). 2026.8.2 only
// adds meta.migrations.modelPolicyAllowlist and meta.lastTouchedVersion (bookkeeping, no collateral).
import { loadAuthoredConfig } from "../openclaw/config-loader.js";
import { formatPath, getPath, isPlainObject, type PathPart } from "../openclaw/config-path.js";
import { redactDeep } from "../util/secret.js";
import { canonical } from "./config-cli.js";
import { ABSENT, isAbsent, type ConfigValue, type JsonValue } from "./types.js";

export interface DocChange {
  path: string;
  before: ConfigValue;
  after: ConfigValue;
  /** False when a value had to be redacted (a secret): recorded, never written back. */
  restorable: boolean;
  /** For an added leaf: its highest ancestor that did not exist before (unset that to undo it whole). */
  createdUnder?: string;
}

export interface WholeDiff {
  /** The change asked for (the target path, or leaves under it). */
  target: DocChange[];
  /** Everything else with meaning: shown in the alert, reverted with the switch. */
  collateral: DocChange[];
  /** OpenClaw's own bookkeeping (meta.*): recorded only; removing it would make OpenClaw redo it. */
  bookkeeping: DocChange[];
}

/** The authored document (after $include, before ${VAR}); null when it cannot be read. */
export function readDocument(configPath: string): JsonValue | null {
  const { authored } = loadAuthoredConfig(configPath);
  return authored === null ? null : (JSON.parse(JSON.stringify(authored)) as JsonValue);
}

/** `agents.list[0].model` → ["agents","list",0,"model"]; null for a path this reader does not spell. */
function parsePath(path: string): PathPart[] | null {
  const parts: PathPart[] = [];
  for (const seg of path.split(".")) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return null;
    parts.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}

/** The value at a `config get` path in a read document (ABSENT when unset); null when it cannot tell. */
export function valueInDocument(doc: JsonValue | null, path: string): ConfigValue | null {
  const parts = parsePath(path);
  if (doc === null || parts === null) return null;
  const v = getPath(doc, parts);
  return v === undefined ? ABSENT : (v as JsonValue);
}

type Leaves = Map<string, { parts: PathPart[]; value: JsonValue }>;

function leaves(value: JsonValue | null, parts: PathPart[] = [], out: Leaves = new Map()): Leaves {
  if (isPlainObject(value) && (Object.keys(value).length > 0 || parts.length === 0)) {
    for (const [k, v] of Object.entries(value)) leaves(v as JsonValue, [...parts, k], out);
  } else if (parts.length > 0) {
    out.set(formatPath(parts), { parts, value: value as JsonValue });
  }
  return out;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
}

function redactedChange(path: string, before: ConfigValue, after: ConfigValue): DocChange {
  const b = isAbsent(before) ? before : redactDeep(before);
  const a = isAbsent(after) ? after : redactDeep(after);
  const restorable = canonical(b) === canonical(before) && canonical(a) === canonical(after);
  return { path, before: b, after: a, restorable };
}

/** Leaf-level differences of two documents, split into target, collateral and bookkeeping. */
export function diffWhole(before: JsonValue | null, after: JsonValue | null, targetPath: string): WholeDiff {
  const b = leaves(before);
  const a = leaves(after);
  const out: WholeDiff = { target: [], collateral: [], bookkeeping: [] };
  for (const path of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const bv: ConfigValue = b.get(path)?.value ?? ABSENT;
    const av: ConfigValue = a.get(path)?.value ?? ABSENT;
    if (canonical(bv) === canonical(av)) continue;
    const change = redactedChange(path, bv, av);
    if (isAbsent(bv)) {
      const parts = a.get(path)!.parts;
      let top = path;
      for (let i = parts.length - 1; i >= 1; i--) {
        const ancestor = formatPath(parts.slice(0, i));
        if ([...b.keys()].some((p) => under(p, ancestor))) break;
        top = ancestor;
      }
      if (top !== path) change.createdUnder = top;
    }
    if (under(path, targetPath) || under(targetPath, path)) out.target.push(change);
    else if (under(path, "meta")) out.bookkeeping.push(change);
    else out.collateral.push(change);
  }
  return out;
}

export interface RevertStep {
  /** Path to write; `value` ABSENT means `openclaw config unset`. */
  path: string;
  value: ConfigValue;
  /** The collateral change(s) this step undoes. */
  undoes: string[];
}

/**
 * How to put collateral back, given the document now: only changes whose `after` is still in place
 * (someone else's later edit wins), restorable ones only. An added leaf goes with the ancestor it
 * created when that ancestor still holds nothing else (2026.9.6 leaves `agents.defaults.model: {}`
 * behind when only the leaf is unset).
 */
export function revertPlan(collateral: readonly DocChange[], current: JsonValue | null): RevertStep[] {
  const now = leaves(current);
  const at = (path: string): ConfigValue => now.get(path)?.value ?? ABSENT;
  const live = collateral.filter((c) => c.restorable && canonical(at(c.path)) === canonical(c.after));
  const steps: RevertStep[] = [];
  for (const c of live.filter((x) => !isAbsent(x.before))) steps.push({ path: c.path, value: c.before, undoes: [c.path] });
  const added = live.filter((c) => isAbsent(c.before));
  const addedPaths = new Set(added.map((c) => c.path));
  const done = new Set<string>();
  for (const c of added) {
    if (done.has(c.path)) continue;
    const top = c.createdUnder;
    const whole = top !== undefined && [...now.keys()].filter((p) => under(p, top)).every((p) => addedPaths.has(p));
    const unsetAt = whole ? top! : c.path;
    const covered = added.filter((x) => under(x.path, unsetAt)).map((x) => x.path);
    for (const p of covered) done.add(p);
    steps.push({ path: unsetAt, value: ABSENT, undoes: covered });
  }
  return steps;
}

/** "agents.defaults.model.primary (added "acme/mock-ok")" */
export function describeChange(c: DocChange): string {
  if (isAbsent(c.before)) return `${c.path} (added ${canonical(c.after)})`;
  if (isAbsent(c.after)) return `${c.path} (removed, was ${canonical(c.before)})`;
  return `${c.path} (${canonical(c.before)} → ${canonical(c.after)})`;
}

/** Lint kinds a collateral change under these config paths brings about (clawpatrol's doing, not the user's). */
const LINT_CAUSED_BY: Record<string, string> = { "config.shadowed-default": "agents.defaults.model" };

/** True when a lint finding exists only because of collateral a clawpatrol switch left in place. */
export function causedByCollateral(kind: string, collateralPaths: readonly string[]): boolean {
  const prefix = LINT_CAUSED_BY[kind];
  return prefix !== undefined && collateralPaths.some((p) => under(p, prefix));
}
