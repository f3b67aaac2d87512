// Remedy vocabulary: what the engine needs from the rest of clawpatrol (injected), what it
// remembers (persisted state) and what it writes down (audit records).
import type { Clock } from "../util/clock.js";
import type { Exec } from "../util/exec.js";
import type { Agent } from "../openclaw/types.js";
import type { SubjectState } from "../health/types.js";
import type { DocChange } from "./collateral.js";

/** The part of the adapter's `Agent` the remedy uses. A full `Agent` satisfies it. */
export type RemedyAgent = Pick<Agent, "id" | "configPath" | "route"> & Partial<Pick<Agent, "modelShape">>;

/** A JSON value as `openclaw config get --json` prints it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Marker for "the path holds no authored value" (restored with `openclaw config unset`). */
export const ABSENT = { absent: true } as const;
export type Absent = typeof ABSENT;
export type ConfigValue = JsonValue | Absent;

export function isAbsent(v: unknown): v is Absent {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>).absent === true && Object.keys(v).length === 1;
}

export interface CandidateCheck {
  ok: boolean;
  /** Epoch ms of the probe behind this answer. Older than `verifyMaxAgeMs` counts as not verified. */
  checkedAt: number;
  /** Short reason, already redacted: "HTTP 200", "HTTP 401 invalid key", "never probed". */
  detail: string;
}

/** Steps of one switch, in order. `onStep` runs at each (tests use it to SIGKILL the process). */
export const SWITCH_STEPS = ["before-backup", "after-backup", "after-intent", "after-set", "after-readback"] as const;
export type SwitchStep = (typeof SWITCH_STEPS)[number];

export interface RemedyDeps {
  exec: Exec;
  clock: Clock;
  /** `openclaw` executable, or an `openclaw.mjs` entry (then run with this Node). */
  openclawBin: string;
  /** Environment for `openclaw` (HOME, OPENCLAW_STATE_DIR, OPENCLAW_CONFIG_PATH …). Also checked for
   *  OPENCLAW_CONFIG_READONLY=1 / OPENCLAW_NIX_MODE=1, in which case nothing is ever written. */
  env: NodeJS.ProcessEnv;
  /** clawpatrol's own state dir: remedy-state.json, audit.jsonl, backups/ live here. */
  stateDir: string;
  /** OpenClaw's config file (backed up before every change). */
  configPath: string;
  /** Current agents (the adapter's snapshot). */
  agents(): RemedyAgent[] | Promise<RemedyAgent[]>;
  /** Health state of an agent's route to one model (daemon: subject `route:<agent>/<provider>`). */
  routeState(agentId: string, ref: string): SubjectState;
  isGatewayDown(): boolean;
  /** Has `ref` passed a probe with *this agent's* credentials? May answer from the probe cache. */
  verifyCandidate(agentId: string, ref: string): Promise<CandidateCheck>;
  /** mtime (epoch ms) of the OpenClaw config, for the human-edit grace window. */
  configMtime(): number;
  configValid(): boolean;
  /** `/health` of the gateway answers ok. */
  gatewayHealthy(): Promise<boolean>;
  /** Active agent runs (gateway restart never interrupts one). */
  runsInFlight(): number;
  /** The agents.defaults primary model ref (last fallback candidate), when one is configured. */
  sharedDefault?(): string | null;
  /** Tell drift detection this change was ours (the file's content hash after it, when known), so it does not alert on it. */
  recordOwnChange?(file: string, note: string, contentSha256?: string, windowMs?: number): void;
  /** Incident/finding keys that explain why an agent is switched (default `route:<agent>/<provider>`). */
  incidentKeys?(agentId: string, ref: string): string[];
  onStep?(step: SwitchStep): void;
}

export interface RemedyOptions {
  mode: "observe" | "act";
  candidates: { global: string[]; perAgent: Record<string, string[]> };
  maxSwitchesPerAgentPerDay: number;
  maxSwitchesPerDay: number;
  minHoldMs: number;
  editGraceMs: number;
  /** A candidate's probe must be at most this old (default: one probe interval, 10 min). */
  verifyMaxAgeMs: number;
}

export const DEFAULT_REMEDY_OPTIONS: RemedyOptions = {
  mode: "observe",
  candidates: { global: [], perAgent: {} },
  maxSwitchesPerAgentPerDay: 3,
  maxSwitchesPerDay: 10,
  minHoldMs: 30 * 60_000,
  editGraceMs: 2 * 60_000,
  verifyMaxAgeMs: 10 * 60_000,
};

export type Who = "clawpatrol" | "user";
export type Op = "fallback" | "restore" | "rollback" | "gateway-restart" | "silence" | "unsilence" | "ack";

/** One line of audit.jsonl. */
export interface AuditRecord {
  /** Shared by the intent, result and recovered records of one operation. */
  opId: string;
  at: string;
  phase: "intent" | "result" | "recovered" | "dry-run";
  who: Who;
  /** How a user acted: "clawpatrol fallback", "clawpatrol restore". */
  via?: string;
  op: Op;
  agent?: string;
  /** Incident / finding keys that caused it. */
  why: string[];
  /** Config path written. */
  path?: string;
  before?: ConfigValue;
  after?: ConfigValue;
  /** Exact command, argv form. */
  argv?: string[];
  result?: "ok" | "failed" | "rolled-back" | "applied" | "not-applied" | "conflict";
  detail?: string;
  dryRun?: boolean;
  backup?: string;
  /** Everything else OpenClaw changed in the document during this op (redacted), beyond `path`. */
  collateral?: DocChange[];
  /** OpenClaw's own bookkeeping it touched meanwhile (meta.*), paths only. */
  bookkeeping?: string[];
  /** Collateral of the earlier switch this op put back (paths). */
  reverted?: string[];
}

/** An agent clawpatrol has moved off its primary. */
export interface ActiveFallback {
  agent: string;
  path: string;
  /** Value at `path` before clawpatrol touched it (what restore writes back). */
  original: ConfigValue;
  /** Value clawpatrol wrote (restore only happens while the config still holds it). */
  applied: ConfigValue;
  /** Model refs, for probing and messages. */
  originalRef: string;
  appliedRef: string;
  appliedAt: number;
  opId: string;
  why: string[];
  /** What OpenClaw also changed when clawpatrol switched (put back on restore). */
  collateral?: DocChange[];
}

/** A switch that started and has not finished; `recover()` reconciles it after a crash. */
export interface PendingOp {
  opId: string;
  op: "fallback" | "restore";
  who: Who;
  agent: string;
  path: string;
  /** Value that must be at `path` right before the write (compare-and-set). */
  before: ConfigValue;
  after: ConfigValue;
  originalRef: string;
  appliedRef: string;
  why: string[];
  startedAt: number;
  /** Confirmation failed and the before value is being written back. */
  rollingBack?: boolean;
  /** For a fallback from a fallback: the first original is kept. */
  keepOriginal?: { original: ConfigValue; originalRef: string; appliedAt: number; collateral?: DocChange[] };
  /** Restore: the collateral of the switch being undone, to be put back too. */
  revertCollateral?: DocChange[];
  /** Filled in once the write is read back: what else OpenClaw changed. */
  collateral?: DocChange[];
}

export interface RemedyState {
  version: 1;
  active: Record<string, ActiveFallback>;
  /** Epoch ms of fallback switches, per agent (rolling 24 h caps). */
  switches: Record<string, number[]>;
  gatewayRestarts: number[];
  pending: PendingOp | null;
  /** mtime of the config right after clawpatrol's own last write (not a human edit). */
  ownWriteMtime: number | null;
}

export function emptyState(): RemedyState {
  return { version: 1, active: {}, switches: {}, gatewayRestarts: [], pending: null, ownWriteMtime: null };
}
