#!/usr/bin/env node
// clawpatrol's command line. Each command lives in its own file and registers itself.
import { Command } from "commander";
import { registerCommands } from "./commands.js";
import { VERSION } from "../version.js";

const program = new Command();
program
  .name("clawpatrol")
  .description("Keeps an OpenClaw installation healthy: drift, route probes, empty bubbles, stuck runs, verified fallback, alerts.")
  .version(VERSION)
  .showHelpAfterError();

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`clawpatrol: ${message}\n`);
  process.exit(3);
});
