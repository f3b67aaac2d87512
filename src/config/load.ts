// Loads clawpatrol's config: $XDG_CONFIG_HOME/clawpatrol/config.json5 (or --config, or
// $CLAWPATROL_CONFIG). No file at the default path means safe defaults; an explicit path that
// does not exist, bad JSON5, a typo, or an inline secret is a ConfigError with one line per
// problem naming the file, the path and the expected value.
import { join } from "node:path";
import JSON5 from "json5";
import type { z } from "zod";
import { configSchema, type ClawpatrolConfig } from "./schema.js";
import { clawpatrolStateDir, homeDir } from "../util/paths.js";
import { ConfigError, readConfigFile } from "./file.js";
import { defaultConfig } from "./defaults.js";

export { ConfigError };
import { isSecretKeyName } from "../util/secret.js";

export interface LoadedConfig {
  config: ClawpatrolConfig;
  /** The file read, or the default path that did not exist. */
  path: string;
  source: "file" | "defaults";
}

type PathPart = string | number | symbol;

export function formatPath(path: readonly PathPart[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown option${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (check the spelling against config/clawpatrol.example.json5)`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("|")}`;
    case "invalid_type":
      return `expected ${issue.expected}${issue.input === undefined ? " (missing)" : `, got ${Array.isArray(issue.input) ? "array" : issue.input === null ? "null" : typeof issue.input}`}`;
    default:
      return issue.message;
  }
}

const SUFFIX_FOR: Record<string, string> = { password: "password", passwd: "password", secret: "secret", token: "token" };

/** Inline secrets anywhere in the file: rejected before the schema so the message says what to do instead. */
function inlineSecrets(value: unknown, path: PathPart[], out: string[], file: string): void {
  if (Array.isArray(value)) return value.forEach((v, i) => inlineSecrets(v, [...path, i], out, file));
  if (!value || typeof value !== "object") return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "string" && v.trim() !== "" && isSecretKeyName(key)) {
      const base = SUFFIX_FOR[key.toLowerCase()] ?? key;
      const fix = SUFFIX_FOR[key.toLowerCase()]
        ? `use ${base}Env (the name of an environment variable, e.g. set in ~/.config/clawpatrol/env) or ${base}File (a file only you can read)`
        : "reference it by environment variable or file instead (tokenEnv/tokenFile, passwordEnv/passwordFile, secretEnv/secretFile)";
      out.push(`${file}: ${formatPath([...path, key])}: secrets never go inline in the config; ${fix}`);
    } else {
      inlineSecrets(v, [...path, key], out, file);
    }
  }
}

const PATHLIKE = /(?:File|Dir|path|textfile)$/;

/** "~/x" in path-valued options means $HOME/x (the service manager does not expand it for us). */
function expandHome<T>(value: T, home: string, key = ""): T {
  if (typeof value === "string") return (PATHLIKE.test(key) && (value === "~" || value.startsWith("~/")) ? join(home, value.slice(1)) : value) as T;
  if (Array.isArray(value)) return value.map((v) => expandHome(v, home)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandHome(v, home, k)])) as T;
  }
  return value;
}

/** Parse config text; `file` is only used in messages. */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): ClawpatrolConfig {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : JSON5.parse(text);
  } catch (err) {
    const e = err as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const where = e.lineNumber ? `:${e.lineNumber}:${e.columnNumber ?? 0}` : "";
    throw new ConfigError(file, [`${file}${where}: not valid JSON5: ${e.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "")}`]);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(file, [`${file}: expected an object at the top level ({ … })`]);
  }
  const secrets: string[] = [];
  inlineSecrets(raw, [], secrets, file);
  if (secrets.length) throw new ConfigError(file, secrets);
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(file, result.error.issues.map((i) => `${file}: ${formatPath(i.path)}: ${describeIssue(i)}`));
  }
  return expandHome(result.data, homeDir(env));
}

/** clawpatrol's config (see ./file.ts for which file); no file at the default path means the defaults. */
export function loadConfig(path?: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const { path: file, text } = readConfigFile(path, env);
  if (text === null) return { config: defaultConfig(), path: file, source: "defaults" };
  return { config: parseConfigText(text, file, env), path: file, source: "file" };
}

/** Where the status file goes: status.path, else $XDG_STATE_HOME/clawpatrol/status.json. */
export function resolveStatusPath(config: Pick<ClawpatrolConfig, "status">, env: NodeJS.ProcessEnv = process.env): string {
  return config.status.path ?? join(clawpatrolStateDir(env), "status.json");
}
