// What the daemon and the CLI use from the remedy.
export { RemedyEngine, sameRef, shellQuote, type EvaluateResult, type ManualResult, type WatchedRoute } from "./engine.js";
export { GatewayRestarter, refusedRestartCommand, DEFAULT_RESTART_COMMAND, DEFAULT_RESTART_OPTIONS, type GatewayRestartDeps, type GatewayRestartOptions, type RestartEvaluation } from "./gateway-restart.js";
export { remedyOptionsFrom, restartOptionsFrom } from "./options.js";
export { AuditLog } from "./audit.js";
export { RemedyStore, StoreLockedError } from "./store.js";
export type { RecoveryOutcome } from "./switch.js";
export * from "./types.js";
