// The command registry: one import and one call per command file.
import type { Command } from "commander";

export function registerCommands(program: Command): void {
  void program;
}
