// Shape check of the parts of openclaw.json clawpatrol relies on (agents, models.providers, auth,
// env). A wrong type there makes OpenClaw refuse the whole file, so it is `config.invalid` with
// the config path — never "no findings" because the reader quietly skipped the part.
// Verified with the real `openclaw config validate --json`: on 2026.9.6 every rule below is an
// error OpenClaw reports at the same path ("agents: expected object, received string",
// "models.providers: expected record, received number", "env.vars.A: expected string", …) and a
// SecretRef apiKey is valid; on 2026.5.28 agents, auth, models.providers, env, env.vars and
// agents.list[n] ("Invalid input"). test/unit/config-shape.test.ts lists the cases.
import { formatPath, isPlainObject, type PathPart } from "./config-path.js";
import type { ReadIssue } from "./types.js";

type Want = "object" | "array" | "string" | "model" | "secret";

interface Rule {
  /** "*" matches every key of an object (or every index of an array). */
  path: readonly PathPart[];
  want: Want;
}

const RULES: readonly Rule[] = [
  { path: ["agents"], want: "object" },
  { path: ["agents", "defaults"], want: "object" },
  { path: ["agents", "defaults", "model"], want: "model" },
  { path: ["agents", "entries"], want: "object" },
  { path: ["agents", "entries", "*"], want: "object" },
  { path: ["agents", "entries", "*", "model"], want: "model" },
  { path: ["agents", "list"], want: "array" },
  { path: ["agents", "list", "*"], want: "object" },
  { path: ["agents", "list", "*", "id"], want: "string" },
  { path: ["agents", "list", "*", "model"], want: "model" },
  { path: ["models"], want: "object" },
  { path: ["models", "providers"], want: "object" },
  { path: ["models", "providers", "*"], want: "object" },
  { path: ["models", "providers", "*", "baseUrl"], want: "string" },
  { path: ["models", "providers", "*", "apiKey"], want: "secret" },
  { path: ["auth"], want: "object" },
  { path: ["auth", "profiles"], want: "object" },
  { path: ["auth", "profiles", "*"], want: "object" },
  { path: ["auth", "order"], want: "object" },
  { path: ["env"], want: "object" },
  { path: ["env", "vars"], want: "object" },
  { path: ["env", "vars", "*"], want: "string" },
];

const WANTED: Record<Want, string> = {
  object: "an object",
  array: "an array",
  string: "a string",
  model: 'a "provider/model" string or { primary, fallbacks }',
  secret: 'a string (the key or "${VAR}") or a SecretRef object',
};

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function fits(v: unknown, want: Want): boolean {
  switch (want) {
    case "object":
      return isPlainObject(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "model": // "provider/model" or { primary, fallbacks }
    case "secret": // the key itself, "${VAR}", or a SecretRef { source, … }
      return typeof v === "string" || isPlainObject(v);
  }
}

/** Every value at `pattern` (with "*" expanded), with its concrete path. Missing parts are skipped. */
function valuesAt(root: unknown, pattern: readonly PathPart[], at: PathPart[] = []): { path: PathPart[]; value: unknown }[] {
  if (!pattern.length) return [{ path: at, value: root }];
  const [head, ...rest] = pattern;
  if (head === "*") {
    if (Array.isArray(root)) return root.flatMap((v, i) => valuesAt(v, rest, [...at, i]));
    if (isPlainObject(root)) return Object.entries(root).flatMap(([k, v]) => valuesAt(v, rest, [...at, k]));
    return [];
  }
  if (!isPlainObject(root) || !(String(head) in root)) return [];
  return valuesAt(root[String(head)], rest, [...at, head!]);
}

/**
 * Wrong types in the parts clawpatrol reads, as `config.invalid` issues naming the file that
 * supplied the value and its path. A value under a wrong-typed parent is not checked again.
 */
export function configShapeIssues(authored: Record<string, unknown>, fileOf: (path: string) => string): ReadIssue[] {
  const issues: ReadIssue[] = [];
  const bad: string[] = [];
  for (const rule of RULES) {
    for (const { path, value } of valuesAt(authored, rule.path)) {
      const p = formatPath(path);
      if (bad.some((b) => p.startsWith(`${b}.`) || p.startsWith(`${b}[`))) continue;
      if (value === undefined || fits(value, rule.want)) continue;
      bad.push(p);
      const file = fileOf(p);
      const want = WANTED[rule.want];
      issues.push({
        kind: "config.invalid",
        file,
        path: p,
        message: `${file}: ${p} must be ${want}, not ${typeName(value)} (OpenClaw refuses this config)`,
        fix: `fix ${p} in ${file} (openclaw config validate lists every wrong key), or restore ${file}.bak`,
      });
    }
  }
  return issues;
}
