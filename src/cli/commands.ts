// The command registry: one loader per command file. A one-shot command loads only its own file
// (and what that imports), so `clawpatrol check` does not pay for the daemon's watcher, mailer
// and logger; help, completion and unknown words load every command.
import type { Command } from "commander";

type Register = (program: Command) => void;

const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => (await import("./check.js")).registerCheck,
  explain: async () => (await import("./explain.js")).registerExplain,
  verify: async () => (await import("./verify.js")).registerVerify,
  probe: async () => (await import("./probe.js")).registerProbe,
  install: async () => (await import("./install.js")).registerInstall,
  uninstall: async () => (await import("./uninstall.js")).registerUninstall,
  status: async () => (await import("./status.js")).registerStatus,
  config: async () => (await import("./config.js")).registerConfig,
  "test-alert": async () => (await import("./test-alert.js")).registerTestAlert,
  fallback: async () => (await import("./fallback.js")).registerFallback,
  restore: async () => (await import("./restore.js")).registerRestore,
  accept: async () => (await import("./accept.js")).registerAccept,
  run: async () => (await import("./run.js")).registerRun,
  demo: async () => (await import("./demo.js")).registerDemo,
  logs: async () => (await import("./logs.js")).registerLogs,
  silence: async () => (await import("./mute.js")).registerMute,
  ack: async () => (await import("./mute.js")).registerMute,
  completion: async () => (await import("./completion.js")).registerCompletion,
};

/** The command named on the command line (the first word that is not an option), if it is one we know. */
export function commandNamed(argv: readonly string[]): string | undefined {
  const word = argv.find((a) => !a.startsWith("-"));
  return word !== undefined && word !== "completion" && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/**
 * The first word when it names no command (`clawpatrol frobnicate --help`): commander would print
 * the general help for it and exit 0, but an unknown command is a usage error.
 */
export function unknownCommand(argv: readonly string[]): string | undefined {
  const word = argv.find((a) => !a.startsWith("-"));
  return word !== undefined && word !== "help" && !Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/** Registers the command `argv` names, or every command (in help order) when it names none. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = commandNamed(argv);
  const names = named ? [named] : Object.keys(COMMANDS);
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  // silence and ack share one file: register it once.
  for (const register of new Set(registers)) register(program);
}
