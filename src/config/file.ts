// Which config file, and its text: the explicit path, $CLAWPATROL_CONFIG, then the XDG default.
// Only the default may be absent (→ defaults); an explicit path that is missing is an error. No
// schema here: a command without a config file never loads zod.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defaultConfigPath } from "../util/paths.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly file: string;
  /** One line each: "<file>: <path>: <what is expected>". */
  readonly issues: string[];
  constructor(file: string, issues: string[]) {
    const head = issues.slice(0, 3).join("; ");
    super(issues.length > 3 ? `${head}; and ${issues.length - 3} more (run: clawpatrol config check)` : head);
    this.file = file;
    this.issues = issues;
  }
}

export interface ConfigFile {
  /** The file read, or the default path that did not exist. */
  path: string;
  /** null: no file at the default path. */
  text: string | null;
}

export function readConfigFile(path?: string, env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const explicit = path ?? env.CLAWPATROL_CONFIG;
  const file = explicit ? resolve(explicit) : defaultConfigPath(env);
  try {
    return { path: file, text: readFileSync(file, "utf8") };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !explicit) return { path: file, text: null };
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable (check its permissions)" : `cannot be read (${code ?? (err as Error).message})`;
    throw new ConfigError(file, [`${file}: ${why}${code === "ENOENT" ? " (create it from config/clawpatrol.example.json5, or drop --config to use defaults)" : ""}`]);
  }
}
