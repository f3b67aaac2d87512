// `clawpatrol run`: the daemon in the foreground (systemd runs it). SIGTERM/SIGINT finish in-flight
// work and exit 0 within 5 s; SIGHUP reloads the config (an invalid one is refused, the old stays).
import type { Command } from "commander";
import { loadConfig, ConfigError } from "../config/load.js";
import { withInstallFlags } from "./cli-config.js";
import { createLogger } from "../util/log.js";
import { Daemon } from "../daemon/daemon.js";
import { fsErrorLine } from "../util/fs-error.js";
import { redactText } from "../util/secret.js";
import { installHint } from "./install-hint.js";

/** systemd's unit has RestartPreventExitStatus=78: a bad config must not become a restart loop. */
const EXIT_CONFIG = 78;
const STOP_DEADLINE_MS = 4500;

interface RunOptions {
  config?: string;
  stateDir?: string;
  profile?: string;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run the watcher in the foreground (what the systemd unit starts)")
    .option("--config <file>", "clawpatrol config (default $XDG_CONFIG_HOME/clawpatrol/config.json5)")
    .option("--state-dir <dir>", "OpenClaw state dir to watch (default: what OpenClaw would use)")
    .option("--profile <name>", "OpenClaw profile (~/.openclaw-<name>)")
    .action(async (opts: RunOptions) => {
      process.exitCode = await runDaemon(opts);
    });
}

export async function runDaemon(opts: RunOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let loaded;
  try {
    loaded = loadConfig(opts.config, env);
  } catch (err) {
    process.stderr.write(`clawpatrol: ${err instanceof ConfigError ? err.message : String(err)}\n`);
    return EXIT_CONFIG;
  }
  const log = createLogger({ level: env.CLAWPATROL_LOG_LEVEL ?? loaded.config.log.level });
  const daemon = new Daemon({ config: withInstallFlags(loaded.config, opts), configPath: loaded.path, configSource: loaded.source, logger: log, env });

  process.on("uncaughtException", (err) => {
    log.fatal({ err: String(err), stack: err.stack }, "unexpected error; exiting so systemd restarts clawpatrol");
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => log.error({ err: String(reason) }, "unhandled promise rejection"));

  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping");
      const deadline = setTimeout(() => {
        log.warn("in-flight work did not finish in time; exiting anyway (state is persisted on every change)");
        resolve(0);
      }, STOP_DEADLINE_MS);
      daemon.stop().then(
        () => { clearTimeout(deadline); resolve(0); },
        (err) => { clearTimeout(deadline); log.error({ err: String(err) }, "error while stopping"); resolve(0); },
      );
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });

  process.on("SIGHUP", () => {
    try {
      const next = loadConfig(opts.config, env);
      void daemon.reload(withInstallFlags(next.config, opts)).catch((err) => log.error({ err: String(err) }, "reload failed; previous configuration stays active"));
    } catch (err) {
      log.error(`new configuration refused; previous configuration stays active: ${err instanceof ConfigError ? err.message : String(err)}`);
    }
  });

  try {
    await daemon.start();
  } catch (err) {
    // A file where clawpatrol's state directory belongs does not heal by restarting: say so once.
    const fsProblem = fsErrorLine(err);
    log.fatal({ err: redactText(fsProblem ?? String(err)) }, "could not start");
    await daemon.stop().catch(() => undefined);
    return fsProblem ? EXIT_CONFIG : 1;
  }
  const hint = installHint(daemon.installation);
  if (hint) log.warn(hint);
  const code = await stopped;
  // Timers of libraries (chokidar, cron) must not keep the process past the deadline.
  setTimeout(() => process.exit(code), 200).unref();
  return code;
}
