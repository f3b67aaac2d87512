// JSON lines to stdout (journald keeps them), written synchronously so a watchdog kill loses
// nothing; every string passes through redactText as a last line of defence. On a terminal the
// same lines are shown readable (a tiny formatter, no pino-pretty), after redaction.
import { writeSync } from "node:fs";
import { pino, type Logger, type DestinationStream } from "pino";
import { redactText } from "./secret.js";
import { colorAllowed } from "./terminal.js";

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Defaults to stdout, synchronous. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
  /** Human-readable lines instead of JSON. Default: stdout is a TTY and we are not under systemd. */
  pretty?: boolean;
  /** ANSI colour in pretty mode. Default: same as the pretty default. */
  color?: boolean;
}

const stdoutSync: DestinationStream = { write: (line: string) => void writeSync(1, line) };

function wantsPretty(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.JOURNAL_STREAM && !process.env.NO_PRETTY_LOGS;
}

export function createLogger(options: LogOptions = {}): Logger {
  const pretty = options.pretty ?? (options.destination ? false : wantsPretty());
  const base = options.destination ?? (pretty ? stdoutSync : pino.destination({ dest: 1, sync: true }));
  const destination = pretty ? prettyDestination(base, options.color ?? (options.destination ? false : colorAllowed(process.stdout, process.env))) : base;
  return pino(
    {
      level: options.level ?? process.env.CLAWPATROL_LOG_LEVEL ?? "info",
      base: { name: "clawpatrol" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        streamWrite: (line) => redactText(line),
      },
    },
    destination,
  );
}

const COLOURS: Record<string, string> = { trace: "90", debug: "36", info: "32", warn: "33", error: "31", fatal: "35" };
const HIDDEN = new Set(["level", "time", "msg", "name", "pid", "hostname"]);

function fieldText(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** One pino JSON line → "07:48:02 WARN  message key=value …". Non-JSON passes through unchanged. */
export function prettyLine(line: string, color = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith("\n") ? line : line + "\n";
  }
  const level = String(rec.level ?? "info");
  const time = typeof rec.time === "string" ? rec.time.slice(11, 19) : typeof rec.time === "number" ? new Date(rec.time).toISOString().slice(11, 19) : "";
  const tag = level.toUpperCase().padEnd(5);
  const err = rec.err as { message?: string; stack?: string } | undefined;
  const fields = Object.entries(rec)
    .filter(([k]) => !HIDDEN.has(k) && k !== "err")
    .map(([k, v]) => `${k}=${fieldText(v)}`);
  const paint = (code: string | undefined, s: string) => (color && code ? `\x1b[${code}m${s}\x1b[0m` : s);
  let out = `${paint("90", time)} ${paint(COLOURS[level], tag)} ${String(rec.msg ?? "")}`;
  if (fields.length) out += " " + paint("90", fields.join(" "));
  if (err?.message) out += "\n" + (err.stack ?? err.message).split("\n").map((l) => `    ${l}`).join("\n");
  return out + "\n";
}

export function prettyDestination(target: DestinationStream, color = false): DestinationStream {
  return { write: (line: string) => target.write(prettyLine(line.trimEnd(), color)) };
}

/** A logger that drops everything (one-shot CLI commands that print their own output). */
export const silentLogger: Logger = pino({ level: "silent" });

/**
 * The log level of an incident transition: a journal filtered by priority (journalctl -p warning)
 * must show open critical and warning incidents; resolves and info findings stay at info.
 */
export function incidentLogLevel(transition: "opened" | "updated" | "resolved", severity: "info" | "warning" | "critical"): "error" | "warn" | "info" {
  if (transition === "resolved" || severity === "info") return "info";
  return severity === "critical" ? "error" : "warn";
}
