// The command registry: one import and one call per command file.
import type { Command } from "commander";
import { registerProbe } from "./probe.js";
import { registerInstall } from "./install.js";
import { registerUninstall } from "./uninstall.js";
import { registerStatus } from "./status.js";
import { registerConfig } from "./config.js";
import { registerTestAlert } from "./test-alert.js";

export function registerCommands(program: Command): void {
  void program;
  registerProbe(program);
  registerInstall(program);
  registerUninstall(program);
  registerStatus(program);
  registerConfig(program);
  registerTestAlert(program);
}
