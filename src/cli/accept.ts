// `clawpatrol accept [--file F]`: move the drift baseline to the current files (all of them, or
// one), printing what is being accepted (redacted). A running daemon notices the moved baseline.
import type { Command } from "commander";
import { resolve } from "node:path";
import { readInstallation } from "../openclaw/installation.js";
import { tildify } from "../openclaw/paths.js";
import { BaselineStore } from "../drift/baseline-store.js";
import { DriftMonitor, driftScopeOf } from "../drift/monitor.js";
import { driftChangeLines, driftEvidence, type FileDiff } from "../drift/check.js";
import { redactText } from "../util/secret.js";
import type { Installation } from "../openclaw/types.js";
import { issueLine } from "./read-problems.js";
import { errorLine } from "../util/fs-error.js";
import { addConfigOptions, loadCliConfig, type InstallFlags } from "./cli-config.js";
import { installTarget } from "../config/derive.js";
import { ensureSalt } from "../daemon/salt.js";
import { clawpatrolStateDir } from "../util/paths.js";

export interface AcceptOptions extends InstallFlags {
  file?: string;
  /** clawpatrol's own state dir (tests). */
  clawpatrolStateDir?: string;
  env?: NodeJS.ProcessEnv;
  note?: string;
}

export interface AcceptResult {
  stateDir: string;
  baselinePath: string;
  accepted: FileDiff[];
  firstRun: boolean;
  /** Files (and logical stores) in the baseline now. */
  files: number;
}

/**
 * A baseline taken from files clawpatrol could not read or OpenClaw refuses would bless the
 * breakage (and later report its repair as drift): refuse, naming the file and the fix.
 */
function refuseUnreadable(inst: Installation, file: string | undefined): void {
  const blocking = inst.issues.filter((i) => (i.kind === "config.invalid" || i.kind === "state.unreadable") && (!file || i.file === file));
  const first = blocking[0];
  if (!first) return;
  throw new Error(`not accepting, nothing changed: ${issueLine(first, inst, blocking.length - 1)}`);
}

/** Accept the current state as the baseline. Throws an Error with a one-line message on bad input. */
export async function acceptBaseline(options: AcceptOptions): Promise<AcceptResult> {
  const env = options.env ?? process.env;
  // The install the daemon watches: openclaw.stateDir/profile of clawpatrol's config unless a flag names another.
  const { config, installChosenBy } = await loadCliConfig(options, env);
  // Secrets in the baseline are fingerprinted with the daemon's salt, or it would see every one as changed.
  const ownState = options.clawpatrolStateDir ?? clawpatrolStateDir(env);
  ensureSalt(ownState);
  const inst = await readInstallation({ ...installTarget(config), env });
  if (!inst.exists) throw new Error(`no OpenClaw state dir at ${inst.paths.stateDir} (chosen by ${installChosenBy ?? inst.paths.chosenBy}); pass --state-dir DIR`);
  refuseUnreadable(inst, options.file ? resolve(options.file) : undefined);
  const store = new BaselineStore({ stateDir: inst.paths.stateDir, dir: ownState, legacyStateDir: ownState });
  const firstRun = !store.initialized;
  const monitor = new DriftMonitor({ scope: driftScopeOf(inst, env), store });
  // On a first run this baselines every file (so `--file` does not leave the others "added").
  await monitor.rescan("initial");
  // The logical auth store (SQLite eras) too, so a whole `accept` also moves it.
  await monitor.observeInstallation(inst);
  const file = options.file ? resolve(options.file) : undefined;
  const accepted = await monitor.accept(file, options.note ?? "clawpatrol accept");
  return { stateDir: inst.paths.stateDir, baselinePath: store.path, accepted, firstRun, files: store.files.size };
}

export function renderAccept(result: AcceptResult, home?: string): string {
  const show = (p: string): string => (home ? tildify(p, home) : p);
  const lines: string[] = [];
  if (result.firstRun && !result.accepted.length) {
    lines.push(`Created the drift baseline from ${result.files} watched files of ${show(result.stateDir)} (${show(result.baselinePath)}).`);
  } else if (!result.accepted.length) {
    lines.push(`Nothing to accept: the watched files of ${show(result.stateDir)} match the baseline.`);
  } else {
    lines.push(`Accepted as the new baseline (${show(result.baselinePath)}):`);
    for (const d of result.accepted) {
      lines.push(`  ${show(d.file)} (${d.status})`);
      for (const c of driftChangeLines(driftEvidence(d, 20))) lines.push(`    ${c}`);
    }
  }
  return redactText(lines.join("\n")) + "\n";
}

export function registerAccept(program: Command): void {
  addConfigOptions(program.command("accept").description("Accept the current OpenClaw files as the drift baseline (all watched files, or one)"))
    .option("--file <path>", "accept only this file")
    .option("--note <text>", "why (kept with the baseline)")
    .option("--json", "print the result as JSON")
    .action(async (opts: AcceptOptions & { json?: boolean }) => {
      try {
        const result = await acceptBaseline(opts);
        if (opts.json) {
          process.stdout.write(JSON.stringify({ ...result, accepted: result.accepted.map((d) => driftEvidence(d)) }, null, 2) + "\n");
        } else {
          process.stdout.write(renderAccept(result, process.env.HOME));
        }
      } catch (err) {
        process.stderr.write(`clawpatrol: ${redactText(errorLine(err))}\n`);
        process.exit(3);
      }
    });
}
