// JSON lines to stdout (journald keeps them), written synchronously so a watchdog kill loses
// nothing; every string passes through redactText as a last line of defence.
import { pino, type Logger, type DestinationStream } from "pino";
import { redactText } from "./secret.js";

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Defaults to stdout, synchronous. Tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

export function createLogger(options: LogOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
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

/** A logger that drops everything (one-shot CLI commands that print their own output). */
export const silentLogger: Logger = pino({ level: "silent" });
