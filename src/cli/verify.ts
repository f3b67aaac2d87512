// `clawpatrol verify`: compare clawpatrol's reading of the install with the installed OpenClaw's own
// `openclaw models status --json --agent ID`, agent by agent, and print each difference with both
// answers. Exit 0 agree, 1 disagree, 3 could not run.
import { join } from "node:path";
import type { Command } from "commander";
import { askOpenClaw, OracleCannotRun } from "../openclaw/live-oracle.js";
import type { Installation } from "../openclaw/types.js";
import { renderVerify, verifyExitCode, verifyJson } from "../oracle/report.js";
import { runVerify } from "../oracle/verify.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { redactDeep, redactText } from "../util/secret.js";
import { errorLine } from "../util/fs-error.js";
import { display, fail, readForCli } from "./check.js";
import { addConfigOptions, CannotRun, loadCliConfig, type InstallFlags } from "./cli-config.js";
import { configProblemLine } from "./read-problems.js";
import type { Exec } from "../util/exec.js";
import { realExec } from "../util/exec.js";

export interface VerifyFlags extends InstallFlags {
  agent?: string;
  json?: boolean;
}

export interface VerifyResult {
  stdout: string;
  /** One line for stderr (a note), or "". */
  stderr: string;
  exitCode: 0 | 1 | 3;
}

/** More agents than this: say how long it takes and how to compare one. */
const MANY_AGENTS = 20;

export interface VerifyCommandDeps {
  env?: NodeJS.ProcessEnv;
  exec?: Exec;
  /** Tests only: alters clawpatrol's reading before it is compared, to plant a disagreement. */
  plant?: (inst: Installation) => void;
}

/** The command without printing: what `clawpatrol verify` writes and its exit code. */
export async function verifyCommand(opts: VerifyFlags, deps: VerifyCommandDeps = {}): Promise<VerifyResult> {
  const env = deps.env ?? process.env;
  const cli = await loadCliConfig(opts, env);
  const inst = await readForCli(cli, Date.now(), env);
  const problem = configProblemLine(inst);
  if (problem) throw new CannotRun(problem);
  let note = "";
  const outcome = await runVerify({
    read: async () => inst,
    agents: (i) => {
      if (!opts.agent) return i.agents.map((a) => a.id);
      if (!i.agents.some((a) => a.id === opts.agent)) throw new CannotRun(`no agent "${opts.agent}" in ${display(i.paths.configPath, i.paths.home)} (agents: ${i.agents.map((a) => a.id).join(", ") || "none"})`);
      return [opts.agent];
    },
    ask: (i, agents) => {
      if (agents.length > MANY_AGENTS) note = `clawpatrol: comparing ${agents.length} agents one at a time (a few seconds each); --agent ID compares one\n`;
      return askOpenClaw({ inst: i, agents, bin: cli.config.openclaw.bin ?? "openclaw", env, scratchParent: join(clawpatrolStateDir(env), "oracle"), exec: deps.exec ?? realExec, now: Date.now, timeoutMs: cli.config.verify.timeout });
    },
    now: Date.now,
    ...(deps.plant ? { plant: deps.plant } : {}),
  });
  const stdout = opts.json ? JSON.stringify(redactDeep(verifyJson(outcome)), null, 2) + "\n" : redactText(renderVerify(outcome, inst.paths.home));
  return { stdout, stderr: note, exitCode: verifyExitCode(outcome) };
}

export function registerVerify(program: Command): void {
  addConfigOptions(
    program.command("verify").description("Compare clawpatrol's reading with the installed OpenClaw's own `openclaw models status`, agent by agent; exit 0 agree / 1 disagree / 3 could not run"),
  )
    .option("--agent <id>", "only this agent")
    .option("--json", "print one JSON document (what to paste into a clawpatrol issue: no keys)")
    .action(async (opts: VerifyFlags) => {
      try {
        const r = await verifyCommand(opts);
        if (r.stderr) process.stderr.write(r.stderr);
        process.stdout.write(r.stdout);
        process.exitCode = r.exitCode;
      } catch (err) {
        const line = err instanceof OracleCannotRun ? `verify could not run: ${err.message} — fix: ${err.fix}` : errorLine(err);
        if (opts.json) process.stdout.write(JSON.stringify({ schema: 1, verdict: "could-not-run", reason: redactText(line) }, null, 2) + "\n");
        fail(line);
      }
    });
}
