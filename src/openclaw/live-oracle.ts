// The installed OpenClaw asked about a live install: `openclaw models status --json --agent ID` for
// each agent, one process at a time at low CPU priority, offline, on a private copy of the install
// (oracle-copy.ts: `models status` writes, and a newer CLI migrates), with the gateway address
// pointed at a port nothing listens on so a SecretRef is resolved locally and the running gateway
// is never called. What comes back is compared with clawpatrol's reading by oracle-compare.ts.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Exec } from "../util/exec.js";
import { OFFLINE_ENV, OpenClawCli, resolveOpenClawBin } from "./cli.js";
import { serviceProcessEnv } from "./env-files.js";
import { modelsStatusRefusal, parseCliJson, type ModelsStatus, type SecretsAudit } from "./models-status.js";
import type { CallWindow } from "./oracle-compare.js";
import { copyForOracle, CopyRefused } from "./oracle-copy.js";
import { packageVersion } from "./version.js";
import type { Installation } from "./types.js";

/** The nice value the CLI runs at: the gateway's runs come first. */
export const ORACLE_PRIORITY = 10;
/** Where the gateway client is sent: port 9 (discard), which nothing on a normal host listens on. */
const NO_GATEWAY = { OPENCLAW_GATEWAY_PORT: "9", OPENCLAW_GATEWAY_URL: "ws://127.0.0.1:9" };
/** Names of the caller's environment the CLI keeps (finding node, locale); everything else is the gateway's. */
const KEPT_ENV = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME"];

/** One line: why OpenClaw could not be asked, and what to do. */
export class OracleCannotRun extends Error {
  readonly fix: string;
  constructor(message: string, fix: string) {
    super(message);
    this.fix = fix;
  }
}

export interface AskOptions {
  /** clawpatrol's reading of the install, taken just before (the copy is made from the same files). */
  inst: Installation;
  agents: readonly string[];
  /** `openclaw` (found on PATH) or a path to the binary or its openclaw.mjs. */
  bin: string;
  /** The caller's environment (PATH and locale are kept). */
  env: NodeJS.ProcessEnv;
  /** Where the private copy is made (clawpatrol's own state dir). */
  scratchParent: string;
  exec: Exec;
  now: () => number;
  /** Per CLI call. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AgentAnswer {
  agent: string;
  status: ModelsStatus;
  /** When the call started and ended: time-dependent fields are judged at both. */
  window: CallWindow;
}

export interface OpenClawAnswers {
  /** The binary that answered (symlinks resolved) and its version. */
  bin: string;
  version: string | null;
  agents: AgentAnswer[];
  /** `models status` refused to answer for the whole install (8.2+: an unresolvable secret ref): its message. */
  refused: string | null;
  /** `secrets audit --json`, asked only after a refusal. */
  audit: SecretsAudit | null;
  /** OpenClaw rejected the config itself ("Invalid config at …: - meta: Unrecognized key …"): its words, one line. */
  configRejected: string | null;
  copiedBytes: number;
  calls: number;
  cliMs: number;
}

const firstLine = (text: string): string => text.trim().split("\n")[0]?.slice(0, 300) ?? "";

/** OpenClaw's "Invalid config at <file>:\n- <path>: <problem>…" as one line, or null for any other error. */
export function configRejection(message: string | undefined): string | null {
  if (!message || !/^Invalid config at /.test(message)) return null;
  return message.trim().split("\n").map((l) => l.trim()).filter(Boolean).join(" ").slice(0, 400);
}

export async function askOpenClaw(o: AskOptions): Promise<OpenClawAnswers> {
  const bin = resolveOpenClawBin(o.bin, o.env);
  if (!bin) {
    throw o.bin.includes("/")
      ? new OracleCannotRun(`${o.bin} (openclaw.bin) does not exist`, "point openclaw.bin in clawpatrol's config at the openclaw you run")
      : new OracleCannotRun("openclaw is not on PATH", "install OpenClaw (npm install -g openclaw) or set openclaw.bin in clawpatrol's config");
  }
  let copy;
  try {
    copy = await copyForOracle(o.inst, o.agents, o.scratchParent, o.now());
  } catch (err) {
    if (err instanceof CopyRefused) throw new OracleCannotRun(err.message, "see the message; `openclaw models status --agent ID` shows what OpenClaw says");
    throw err;
  }
  const { inst } = o;
  const kept = Object.fromEntries(KEPT_ENV.filter((k) => o.env[k] !== undefined).map((k) => [k, o.env[k]]));
  const env: NodeJS.ProcessEnv = {
    ...kept,
    ...serviceProcessEnv(inst.env, inst.paths.stateDir, inst.paths.home ?? "", inst.paths.configPath),
    ...OFFLINE_ENV,
    ...NO_GATEWAY,
    HOME: copy.home,
    OPENCLAW_STATE_DIR: copy.stateDir,
    OPENCLAW_CONFIG_PATH: copy.configPath,
    // Kept between runs: Node's compile cache for OpenClaw (~18 MB) saves ~0.5 s of CPU per call.
    TMPDIR: join(o.scratchParent, "tmp"),
  };
  const cli = new OpenClawCli(bin, env, o.exec);
  const out: OpenClawAnswers = { bin, version: null, agents: [], refused: null, audit: null, configRejected: null, copiedBytes: copy.bytes, calls: 0, cliMs: 0 };
  const call = async (args: string[]) => {
    const start = o.now();
    const r = await cli.run(args, o.timeoutMs, undefined, { cwd: copy.root, priority: ORACLE_PRIORITY, ...(o.signal ? { signal: o.signal } : {}) });
    const end = o.now();
    out.calls++;
    out.cliMs += end - start;
    if (r.error) throw new OracleCannotRun(`openclaw ${args.join(" ")}: ${r.error}`, /timed out/.test(r.error) ? "the machine is busy or OpenClaw hangs: retry later, or raise verify.timeout in clawpatrol's config" : "check that `openclaw --version` runs for this user");
    return { stdout: copy.unmap(r.stdout), stderr: copy.unmap(r.stderr), code: r.code, window: { start, end } };
  };
  try {
    mkdirSync(env.TMPDIR!, { recursive: true, mode: 0o700 });
    const printed = packageVersion(bin, o.env) ?? (await cli.version());
    out.version = printed === "unknown" ? null : printed;
    for (const agent of o.agents) {
      const args = ["models", "status", "--json", "--agent", agent];
      const r = await call(args);
      const doc = parseCliJson(r.stdout);
      const refusal = modelsStatusRefusal(doc);
      if (refusal) {
        out.refused = refusal;
        break;
      }
      const status = doc as ModelsStatus & { ok?: boolean; error?: { message?: string } } | null;
      const rejected = configRejection(status?.ok === false ? status.error?.message : undefined);
      if (rejected) {
        // The whole install: every agent would get the same answer.
        out.configRejected = rejected;
        break;
      }
      if (status?.ok === false) throw new OracleCannotRun(`openclaw ${args.join(" ")} refused: ${firstLine(status.error?.message ?? "")}`, "do what OpenClaw's message says (this is OpenClaw's own answer on a copy of your install)");
      if (!status || status.defaultModel === undefined) {
        throw new OracleCannotRun(`openclaw ${args.join(" ")} gave no model status (exit ${r.code}): ${firstLine(r.stdout || r.stderr)}`, "run it yourself to see why; report it if it is a clawpatrol problem");
      }
      out.agents.push({ agent, status, window: r.window });
    }
    if (out.refused) {
      // Exit 2 means "found something"; the JSON is the answer either way.
      const audit = parseCliJson((await call(["secrets", "audit", "--json"])).stdout) as SecretsAudit | null;
      out.audit = audit?.findings ? audit : null;
    }
    return out;
  } finally {
    copy.dispose();
  }
}
