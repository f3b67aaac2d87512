#!/usr/bin/env node
// clawpatrol's command line. Each command lives in its own file and registers itself; only the
// command being run is loaded (commands.ts).
import { Command, CommanderError } from "commander";
import { registerCommands, unknownCommand } from "./commands.js";
import { VERSION } from "../version.js";
import { errorLine } from "../util/fs-error.js";
import { redactText } from "../util/secret.js";

const program = new Command();
program
  .name("clawpatrol")
  .description("Keeps an OpenClaw installation healthy: drift, route probes, empty bubbles, stuck runs, verified fallback, alerts.")
  .version(VERSION)
  .showHelpAfterError()
  // Usage errors exit 3 (UNKNOWN), not commander's 1 (which Nagios reads as WARNING). Set before
  // the commands are registered: subcommands copy it when they are created.
  .exitOverride();

// CLAWPATROL_PARSE_ONLY=1: parse and validate the command line (command, arguments, options) and
// stop before acting — how the documented-commands test checks a long-running `run` or `demo`.
if (process.env.CLAWPATROL_PARSE_ONLY) {
  program.hook("preAction", (_program, command) => {
    process.stdout.write(`parsed: ${command.parent && command.parent !== program ? `${command.parent.name()} ` : ""}${command.name()} ${JSON.stringify(command.opts())}\n`);
    process.exit(0);
  });
}

const unknown = unknownCommand(process.argv.slice(2));
if (unknown !== undefined) {
  process.stderr.write(`error: unknown command '${unknown}' (see clawpatrol --help)\n`);
  process.exit(3);
}

registerCommands(program, process.argv.slice(2))
  .then(() => program.parseAsync(process.argv))
  .catch((err: unknown) => {
    // commander has already printed its message (and the help) for usage errors.
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 3);
    process.stderr.write(`clawpatrol: ${redactText(errorLine(err))}\n`);
    process.exit(3);
  });
