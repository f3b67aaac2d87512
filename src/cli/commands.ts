// The command registry: one import and one call per command file.
import type { Command } from "commander";
import { registerCheck } from "./check.js";
import { registerExplain } from "./explain.js";
import { registerProbe } from "./probe.js";
import { registerInstall } from "./install.js";
import { registerUninstall } from "./uninstall.js";
import { registerStatus } from "./status.js";
import { registerConfig } from "./config.js";
import { registerTestAlert } from "./test-alert.js";
import { registerFallback } from "./fallback.js";
import { registerRestore } from "./restore.js";
import { registerAccept } from "./accept.js";
import { registerRun } from "./run.js";
import { registerDemo } from "./demo.js";
import { registerLogs } from "./logs.js";
import { registerCompletion } from "./completion.js";
import { registerMute } from "./mute.js";

export function registerCommands(program: Command): void {
  void program;
  registerCheck(program);
  registerExplain(program);
  registerProbe(program);
  registerInstall(program);
  registerUninstall(program);
  registerStatus(program);
  registerConfig(program);
  registerTestAlert(program);
  registerFallback(program);
  registerRestore(program);
  registerAccept(program);
  registerRun(program);
  registerDemo(program);
  registerLogs(program);
  registerMute(program);
  registerCompletion(program);
}
