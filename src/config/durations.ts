// Which config options are durations, read from the schema itself, so `config show` can print
// them the way the file takes them ("4h", not 14400000) — its output is a config that loads.
import type { z } from "zod";
import { formatDuration } from "../util/clock.js";
import { configSchema, duration } from "./schema.js";

/** A path into the parsed config; "*" matches any record key or array index. */
export type ConfigPath = string[];

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** `duration`, or a copy of it with checks added (`duration.refine(…)` shares its input and transform). */
function isDuration(schema: z.ZodType): boolean {
  const own = defOf(duration as unknown as z.ZodType) as Def & { in?: unknown };
  const def = defOf(schema) as Def & { in?: unknown };
  return schema === (duration as unknown as z.ZodType) || (def.type === "pipe" && def.in !== undefined && def.in === own.in);
}

export function durationPaths(schema: z.ZodType = configSchema, at: ConfigPath = []): ConfigPath[] {
  if (isDuration(schema)) return [at];
  const def = defOf(schema);
  if (def.shape) return Object.entries(def.shape).flatMap(([k, v]) => durationPaths(v, [...at, k]));
  if (def.innerType) return durationPaths(def.innerType, at);
  if (def.valueType) return durationPaths(def.valueType, [...at, "*"]);
  if (def.element) return durationPaths(def.element, [...at, "*"]);
  if (def.options) {
    const seen = new Set<string>();
    return def.options.flatMap((o) => durationPaths(o, at)).filter((p) => !seen.has(p.join(".")) && seen.add(p.join(".")));
  }
  return [];
}

/** A copy of a parsed config with every duration written with its unit. */
export function withDurationUnits<T>(config: T, paths: ConfigPath[] = durationPaths()): T {
  const copy = structuredClone(config) as unknown;
  const visit = (node: unknown, path: ConfigPath): void => {
    if (!node || typeof node !== "object") return;
    const [head, ...rest] = path;
    const rec = node as Record<string, unknown>;
    for (const key of head === "*" ? Object.keys(rec) : [head!]) {
      if (!(key in rec)) continue;
      if (rest.length === 0) {
        if (typeof rec[key] === "number") rec[key] = formatDuration(rec[key] as number);
      } else visit(rec[key], rest);
    }
  };
  for (const p of paths) visit(copy, p);
  return copy as T;
}
