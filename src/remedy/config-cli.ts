// `openclaw config get|set|unset|validate` — the only way the remedy changes OpenClaw's config.
// Facts (verified on the real CLIs): 2026.9.6 has `--expect-current-json` / `--expect-current-absent`
// (compare-and-set) and honours OPENCLAW_CONFIG_READONLY; 2026.5.28 has neither flag and writes even
// with OPENCLAW_CONFIG_READONLY=1, so the caller must guard that itself.
import { execFailureText, type ExecResult } from "../util/exec.js";
import type { OpenClawCli } from "../openclaw/cli.js";
import { redactText } from "../util/secret.js";
import { ABSENT, isAbsent, type ConfigValue, type JsonValue } from "./types.js";

export type GetResult =
  | { kind: "value"; value: JsonValue }
  | { kind: "absent" }
  | { kind: "unknown-path"; message: string }
  | { kind: "error"; message: string };

export interface SetResult {
  ok: boolean;
  argv: string[];
  /** Compare-and-set refused: the value was not what we expected. */
  conflict: boolean;
  message: string;
}

export interface ValidateResult {
  valid: boolean;
  message: string;
}

function firstLine(text: string): string {
  return text.split("\n").map((l) => l.trim()).find((l) => l && !l.startsWith("OpenClaw ")) ?? "";
}

/** One line from the CLI's output, redacted (an error can echo a value it was given). */
function messageOf(r: ExecResult, bin: string): string {
  return redactText(rawMessageOf(r, bin));
}

function rawMessageOf(r: ExecResult, bin: string): string {
  const out = `${r.stdout}\n${r.stderr}`.trim();
  try {
    const parsed = JSON.parse(r.stdout) as { error?: { message?: string } };
    if (parsed?.error?.message) return parsed.error.message;
  } catch { /* not JSON */ }
  return execFailureText(bin, r, firstLine(out));
}

/** Canonical JSON (sorted keys) so two equal values compare equal. */
export function canonical(value: ConfigValue): string {
  if (isAbsent(value)) return "<absent>";
  const sort = (v: JsonValue): JsonValue =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k]!)])) : v;
  return JSON.stringify(sort(value));
}

export function sameValue(a: ConfigValue, b: ConfigValue): boolean {
  return canonical(a) === canonical(b);
}

export class OpenClawConfigCli {
  #expectFlag: boolean | null = null;
  readonly #cli: OpenClawCli;
  private readonly timeoutMs: number;
  constructor(cli: OpenClawCli, timeoutMs = 120_000) {
    this.#cli = cli;
    this.timeoutMs = timeoutMs;
  }

  get bin(): string {
    return this.#cli.entry;
  }

  /** argv as it is executed: [file, ...args]. */
  argv(args: readonly string[]): string[] {
    const [file, rest] = this.#cli.argv(args);
    return [file, ...rest];
  }

  private run(args: readonly string[]): Promise<ExecResult> {
    return this.#cli.run(args, this.timeoutMs);
  }

  async get(path: string): Promise<GetResult> {
    const r = await this.run(["config", "get", path, "--json"]);
    if (r.code === 0) {
      try {
        return { kind: "value", value: JSON.parse(r.stdout) as JsonValue };
      } catch {
        return { kind: "error", message: `openclaw config get ${path} printed no JSON: ${firstLine(r.stdout)}` };
      }
    }
    const message = messageOf(r, this.bin);
    if (/Unknown config path/i.test(message)) return { kind: "unknown-path", message };
    // 9.x: "Config path is valid but unset"; ≤7.x: "Config path not found".
    if (/valid but unset|path not found/i.test(message)) return { kind: "absent" };
    return { kind: "error", message };
  }

  /** Whether this `openclaw` supports compare-and-set (`--expect-current-json`); asked once. */
  async supportsExpectCurrent(): Promise<boolean> {
    if (this.#expectFlag === null) {
      const r = await this.run(["config", "set", "--help"]);
      this.#expectFlag = r.code === 0 && r.stdout.includes("--expect-current-json");
    }
    return this.#expectFlag;
  }

  /** The exact argv `set` would run (for dry runs and audit intent records). */
  async setArgv(path: string, value: ConfigValue, expected?: ConfigValue): Promise<string[]> {
    return this.argv(await this.#setArgs(path, value, expected));
  }

  async #setArgs(path: string, value: ConfigValue, expected?: ConfigValue): Promise<string[]> {
    if (isAbsent(value)) return ["config", "unset", path];
    const args = ["config", "set", path, JSON.stringify(value), "--strict-json"];
    if (expected !== undefined && (await this.supportsExpectCurrent())) {
      if (isAbsent(expected)) args.push("--expect-current-absent");
      else args.push("--expect-current-json", JSON.stringify(expected));
    }
    return args;
  }

  /**
   * Write `value` at `path` (ABSENT = unset). With `expected`, write only while the current value
   * equals it: natively on versions with `--expect-current-json`, else by reading right before.
   */
  async set(path: string, value: ConfigValue, expected?: ConfigValue): Promise<SetResult> {
    const args = await this.#setArgs(path, value, expected);
    const argv = this.argv(args);
    const native = args.includes("--expect-current-json") || args.includes("--expect-current-absent");
    if (expected !== undefined && !native) {
      const now = await this.get(path);
      const current: ConfigValue | null = now.kind === "value" ? now.value : now.kind === "absent" ? ABSENT : null;
      if (current === null) return { ok: false, argv, conflict: false, message: now.kind === "unknown-path" || now.kind === "error" ? now.message : "unreadable" };
      if (!sameValue(current, expected)) {
        return { ok: false, argv, conflict: true, message: `${path} is ${canonical(current)}, expected ${canonical(expected)}; nothing was changed` };
      }
    }
    const r = await this.run(args);
    const message = messageOf(r, this.bin);
    return { ok: r.code === 0, argv, conflict: r.code !== 0 && /expectation did not match|changed while this command/i.test(message), message };
  }

  async validate(): Promise<ValidateResult> {
    const r = await this.run(["config", "validate", "--json"]);
    try {
      const parsed = JSON.parse(r.stdout) as { valid?: boolean; issues?: { path?: string; message?: string }[] };
      const issue = parsed.issues?.[0];
      return { valid: parsed.valid === true && r.code === 0, message: issue ? `${issue.path ?? ""}: ${issue.message ?? ""}` : parsed.valid ? "valid" : messageOf(r, this.bin) };
    } catch {
      return { valid: false, message: messageOf(r, this.bin) };
    }
  }
}
