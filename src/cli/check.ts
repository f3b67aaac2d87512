// `clawpatrol check`: read the installation once, run every check, print, exit Nagios-style
// (0 ok, 1 warnings, 2 critical, 3 could not run).
import type { Command } from "commander";
import { checkSources, collectFindings } from "../sources.js";
import { summarizeRepeats } from "../checks/summarize.js";
import { exitCodeFor, type Finding } from "../checks/finding.js";
import { readInstallation } from "../openclaw/installation.js";
import { resolveHome, tildify } from "../openclaw/paths.js";
import type { Installation } from "../openclaw/types.js";
import { parseDuration } from "../util/clock.js";
import { realExec } from "../util/exec.js";
import { redactDeep, redactText } from "../util/secret.js";
import { errorLine } from "../util/fs-error.js";
import { wrapLines, wrapWidth } from "../util/terminal.js";
import { shortLine, verdictLine } from "./check-output.js";
import { addConfigOptions, CannotRun, loadCliConfig, type CliConfig, type InstallFlags } from "./cli-config.js";
import { installTarget } from "../config/derive.js";
import type { ClawpatrolConfig } from "../config/schema.js";
import { useStoredSalt } from "../daemon/salt.js";
import { clawpatrolStateDir } from "../util/paths.js";
import { versionWithVerification } from "../openclaw/verified.js";

export { CannotRun };

/** Read the installation the config (or a flag) names; a missing state dir is a one-line CannotRun. */
export async function readForCli(cli: CliConfig, now = Date.now(), env: NodeJS.ProcessEnv = process.env): Promise<Installation> {
  useStoredSalt(clawpatrolStateDir(env));
  const inst = await readInstallation({ ...installTarget(cli.config), exec: realExec, now, env });
  if (cli.installChosenBy) inst.paths.chosenBy = cli.installChosenBy;
  if (!inst.exists) {
    throw new CannotRun(`no OpenClaw state dir at ${inst.paths.stateDir} (chosen by ${inst.paths.chosenBy}); pass --state-dir DIR or --profile NAME`);
  }
  return inst;
}

/** What `clawpatrol check` finds on `inst`: the daemon's one source list, run once, repeats summarized. */
export async function checkFindings(inst: Installation, config: ClawpatrolConfig, o: { env: NodeJS.ProcessEnv; now: number; offline: boolean; sinceMs?: number }): Promise<Finding[]> {
  return summarizeRepeats(await collectFindings(inst, o.now, checkSources(config, { env: o.env }), { offline: o.offline, ...(o.sinceMs !== undefined ? { sinceMs: o.sinceMs } : {}) }));
}

function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value);
  } catch (err) {
    throw new CannotRun(`${(err as Error).message} in ${name}`);
  }
}

export function display(path: string, home?: string): string {
  return tildify(path, home ?? resolveHome({}));
}

export function fail(message: string): never {
  process.stderr.write(`clawpatrol: ${redactText(message.split("\n")[0] ?? message)}\n`);
  process.exit(3);
}

export function openclawSummary(inst: Installation): { version: string | null; era: string; stateDir: string; versionSource: string; chosenBy: string } {
  return { version: inst.version.version, era: inst.version.era, stateDir: inst.paths.stateDir, versionSource: inst.version.source, chosenBy: inst.paths.chosenBy };
}

const LABEL = { critical: "CRITICAL", warning: "WARNING ", info: "info    " } as const;

export function renderFindings(inst: Installation, findings: Finding[]): string {
  const lines: string[] = [verdictLine(findings)];
  const v = inst.version;
  lines.push(`OpenClaw ${versionWithVerification(v.version)} · storage era ${v.era} · ${display(inst.paths.stateDir, inst.paths.home)} (${inst.paths.chosenBy})`);
  for (const n of inst.notes ?? []) lines.push(`note: ${n}`);
  if (findings.length) lines.push("");
  for (const f of findings) {
    lines.push(`${LABEL[f.severity]} ${f.kind}  ${f.summary}`);
    if (f.detail) lines.push(`         fix: ${f.detail}`);
  }
  return lines.join("\n") + "\n";
}

/** Wrapped finding lines continue under the text, past the 9-column severity label. */
const hangUnderLabel = (line: string): number => (/^(CRITICAL|WARNING|info) /.test(line) ? 9 : /^\s+fix: /.test(line) ? 5 : 2);

export function registerCheck(program: Command): void {
  addConfigOptions(program.command("check").description("Check the OpenClaw installation once and exit 0 ok / 1 warning / 2 critical / 3 could not run"))
    .option("--json", "print one JSON document")
    .option("--short", "print one Nagios-style line: verdict, counts, the worst finding, perfdata")
    .option("--offline", "no network: skip probes")
    .option("--since <duration>", "look-back window for logs and transcripts; an empty reply this recent is reported (e.g. 3h)", "1h")
    .option("--stuck-after <duration>", "a run this long without progress is stuck, for every agent (default: runs.stuckAfter of the config)")
    .action(async (opts: InstallFlags & { json?: boolean; short?: boolean; offline?: boolean; since: string; stuckAfter?: string }) => {
      try {
        const sinceMs = durationFlag("--since", opts.since)!;
        const stuckAfter = durationFlag("--stuck-after", opts.stuckAfter);
        const cli = await loadCliConfig(opts);
        // One run's threshold beats the config's, per-agent ones included.
        if (stuckAfter !== undefined) cli.config = { ...cli.config, runs: { ...cli.config.runs, stuckAfter, perAgent: {} } };
        const now = Date.now();
        const inst = await readForCli(cli, now);
        const findings = await checkFindings(inst, cli.config, { env: process.env, now, offline: !!opts.offline, sinceMs });
        if (opts.json) {
          process.stdout.write(JSON.stringify(redactDeep({ schema: 1, openclaw: openclawSummary(inst), findings }), null, 2) + "\n");
        } else if (opts.short) {
          process.stdout.write(redactText(shortLine(findings)) + "\n");
        } else {
          process.stdout.write(wrapLines(redactText(renderFindings(inst, findings)), wrapWidth(process.stdout, process.env), hangUnderLabel));
        }
        process.exitCode = exitCodeFor(findings);
      } catch (err) {
        // A monitoring system reads the first stdout line of --short: it must say UNKNOWN.
        if (opts.short) process.stdout.write(`UNKNOWN: ${redactText(errorLine(err))}\n`);
        fail(errorLine(err));
      }
    });
}
