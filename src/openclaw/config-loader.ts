// openclaw.json as OpenClaw reads it: JSON5, `$include` (deep-merge, siblings override, max depth
// 10, confined to the config dir), then `${VAR}` substitution (`$${VAR}` escapes). Problems become
// ReadIssues; nothing here throws for bad input.
import { realpathSync } from "node:fs";
import { readBoundedText } from "./bounded-read.js";
import { delimiter, dirname, isAbsolute, relative, resolve } from "node:path";
import JSON5 from "json5";
import { formatPath, isPlainObject, type PathPart } from "./config-path.js";
import type { ReadIssue } from "./types.js";

const MAX_INCLUDE_DEPTH = 10;

export interface AuthoredConfig {
  /** After $include, before ${VAR}. null when the root file could not be read or parsed. */
  authored: Record<string, unknown> | null;
  /** Root first, then every included file. */
  files: string[];
  /** Config path → file that supplied the value (the winner after merging). */
  origins: Map<string, string>;
  issues: ReadIssue[];
}

export interface ReadResult {
  ok: boolean;
  text?: string;
  issue?: ReadIssue;
}

/** Read a text file (size-capped); failures become a one-line issue naming the file. */
export function readTextFile(file: string): ReadResult {
  return readBoundedText(file);
}

export type Json5Parse = { ok: true; value: unknown } | { ok: false; message: string; line?: number; column?: number };

/** JSON5 as OpenClaw parses its config; a failure keeps the parser's message and position apart. */
export function parseJson5Text(text: string): Json5Parse {
  try {
    return { ok: true, value: JSON5.parse(text) };
  } catch (err) {
    const e = err as Error & { lineNumber?: number; columnNumber?: number };
    const message = e.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    return e.lineNumber ? { ok: false, message, line: e.lineNumber, column: e.columnNumber ?? 0 } : { ok: false, message };
  }
}

function parseJson5(file: string, text: string): { value?: unknown; issue?: ReadIssue } {
  const parsed = parseJson5Text(text);
  if (parsed.ok) return { value: parsed.value };
  const where = parsed.line ? ` at line ${parsed.line}, column ${parsed.column}` : "";
  const issue: ReadIssue = {
    kind: "config.invalid",
    file,
    message: `${file} is not valid JSON5${where}: ${parsed.message}`,
    fix: `fix the syntax${where} (openclaw config validate shows the same error), or restore ${file}.bak`,
  };
  if (parsed.line) issue.line = parsed.line;
  return { issue };
}

export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return over;
}

function includeRoots(configDir: string, env: NodeJS.ProcessEnv): string[] {
  const roots = [configDir];
  for (const r of (env.OPENCLAW_INCLUDE_ROOTS ?? "").split(delimiter)) if (r.trim()) roots.push(resolve(r.trim()));
  return roots.map((r) => {
    try {
      return realpathSync(r);
    } catch {
      return r;
    }
  });
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

interface Ctx {
  roots: string[];
  files: string[];
  issues: ReadIssue[];
  origins: Map<string, string>;
}

/** Resolve `$include` inside a parsed value that came from `file`. */
function resolveIncludes(value: unknown, file: string, path: PathPart[], depth: number, chain: string[], ctx: Ctx): unknown {
  // Calls happen in merge order (includes, then siblings), so the last file recorded wins.
  ctx.origins.set(formatPath(path), file);
  if (Array.isArray(value)) return value.map((v, i) => resolveIncludes(v, file, [...path, i], depth, chain, ctx));
  if (!isPlainObject(value)) {
    return value;
  }
  let base: unknown = undefined;
  if ("$include" in value) {
    const spec = value.$include;
    const list = typeof spec === "string" ? [spec] : Array.isArray(spec) && spec.every((s) => typeof s === "string") ? (spec as string[]) : null;
    if (!list) {
      ctx.issues.push({ kind: "config.invalid", file, path: formatPath([...path, "$include"]), message: `${file}: $include at ${formatPath([...path, "$include"]) } must be a path or a list of paths` });
    } else {
      for (const rel of list) {
        const target = resolve(dirname(file), rel);
        const included = loadIncluded(target, file, path, depth + 1, chain, ctx);
        if (included !== undefined) base = base === undefined ? included : deepMerge(base, included);
      }
    }
  }
  const siblings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "$include") continue;
    siblings[k] = resolveIncludes(v, file, [...path, k], depth, chain, ctx);
  }
  if (base === undefined) return siblings;
  return Object.keys(siblings).length ? deepMerge(base, siblings) : base;
}

function loadIncluded(target: string, from: string, path: PathPart[], depth: number, chain: string[], ctx: Ctx): unknown {
  const where = formatPath(path) || "(root)";
  if (depth > MAX_INCLUDE_DEPTH) {
    ctx.issues.push({ kind: "config.invalid", file: from, path: where, message: `${from}: $include nested deeper than ${MAX_INCLUDE_DEPTH} levels at ${where}` });
    return undefined;
  }
  let real = target;
  try {
    real = realpathSync(target);
  } catch {
    /* reported by the read below */
  }
  if (!ctx.roots.some((r) => inside(r, real))) {
    ctx.issues.push({
      kind: "config.invalid",
      file: from,
      path: where,
      message: `${from}: $include ${target} is outside the config directory (OpenClaw refuses it)`,
      fix: `move ${target} into ${ctx.roots[0]} or add its directory to OPENCLAW_INCLUDE_ROOTS`,
    });
    return undefined;
  }
  if (chain.includes(real)) {
    ctx.issues.push({ kind: "config.invalid", file: from, path: where, message: `${from}: $include cycle through ${target}` });
    return undefined;
  }
  const read = readTextFile(target);
  if (!read.ok) {
    ctx.issues.push({ ...read.issue!, kind: "config.invalid", message: `${read.issue!.message} ($include from ${from} at ${where})` });
    return undefined;
  }
  if (!ctx.files.includes(target)) ctx.files.push(target);
  const parsed = parseJson5(target, read.text!);
  if (parsed.issue) {
    ctx.issues.push(parsed.issue);
    return undefined;
  }
  return resolveIncludes(parsed.value, target, path, depth, [...chain, real], ctx);
}

export function loadAuthoredConfig(configPath: string, env: NodeJS.ProcessEnv = {}): AuthoredConfig {
  const ctx: Ctx = { roots: includeRoots(dirname(configPath), env), files: [configPath], issues: [], origins: new Map() };
  const read = readTextFile(configPath);
  if (!read.ok) {
    const issue = read.issue!;
    return { authored: null, files: ctx.files, origins: ctx.origins, issues: [issue] };
  }
  const parsed = parseJson5(configPath, read.text!);
  if (parsed.issue) return { authored: null, files: ctx.files, origins: ctx.origins, issues: [parsed.issue] };
  if (!isPlainObject(parsed.value)) {
    return {
      authored: null,
      files: ctx.files,
      origins: ctx.origins,
      issues: [{ kind: "config.invalid", file: configPath, message: `${configPath}: the top level must be an object` }],
    };
  }
  let real = configPath;
  try {
    real = realpathSync(configPath);
  } catch {
    /* keep as is */
  }
  const authored = resolveIncludes(parsed.value, configPath, [], 0, [real], ctx) as Record<string, unknown>;
  return { authored: isPlainObject(authored) ? authored : {}, files: ctx.files, origins: ctx.origins, issues: ctx.issues };
}

const VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

export interface Substituted {
  value: unknown;
  issues: ReadIssue[];
  /** Paths whose string held at least one `${VAR}` reference (resolved or not). */
  refPaths: Set<string>;
}

/**
 * `${VAR}` substitution on every string value. Missing/empty variables stay visibly unresolved (the
 * literal `${VAR}` remains) and are reported, as OpenClaw does.
 */
export function substituteVars(
  value: unknown,
  lookup: (name: string) => string | undefined,
  originOf: (path: string) => string,
): Substituted {
  const issues: ReadIssue[] = [];
  const refPaths = new Set<string>();
  const walk = (v: unknown, path: PathPart[]): unknown => {
    if (typeof v === "string") {
      if (!v.includes("${")) return v;
      const p = formatPath(path);
      return v.replace(/\$?\$\{([^}]*)\}/g, (match: string, name: string) => {
        if (match.startsWith("$$")) return match.slice(1);
        if (!VAR_NAME.test(name)) return match;
        refPaths.add(p);
        const val = lookup(name);
        if (val === undefined || val === "") {
          issues.push({
            kind: "config.missing-var",
            file: originOf(p),
            path: p,
            message: `${p} uses \${${name}} but ${name} is not set in any env source OpenClaw reads`,
            fix: `add ${name}=… to ~/.openclaw/.env (one line), or set it in the gateway service environment, then openclaw gateway restart`,
          });
          return match;
        }
        return val;
      });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return { value: walk(value, []), issues, refPaths };
}
