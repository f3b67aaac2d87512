// What a command must not paper over: a config OpenClaw refuses (or clawpatrol could not read),
// and stores it could not read. Commands turn these into one line naming the file and the fix.
import type { Installation, ReadIssue } from "../openclaw/types.js";

/** The first reason the config cannot be trusted: missing, unreadable, unparseable or the wrong shape. */
export function configProblem(inst: Installation): ReadIssue | null {
  if (inst.config === null) {
    return inst.issues.find((i) => i.kind === "config.invalid" || (i.kind === "state.unreadable" && i.file === inst.paths.configPath)) ?? null;
  }
  return inst.issues.find((i) => i.kind === "config.invalid") ?? null;
}

/** Files other than the config that could not be read (auth stores, env files, databases). */
export function unreadableFiles(inst: Installation): ReadIssue[] {
  return inst.issues.filter((i) => i.kind === "state.unreadable");
}

/** One line: the issue (paths shown as ~/…), its fix, and how many more there are. */
export function issueLine(issue: ReadIssue, inst: Installation, more = 0): string {
  const home = inst.paths.home ?? "";
  const text = `${issue.message}${issue.fix ? ` — fix: ${issue.fix}` : ""}${more > 0 ? ` (+${more} more: clawpatrol check lists them)` : ""}`;
  return home ? text.split(home + "/").join("~/") : text;
}

/** One line for a config that cannot be used, or null when it can. */
export function configProblemLine(inst: Installation): string | null {
  const first = configProblem(inst);
  if (!first) return null;
  const more = inst.issues.filter((i) => i !== first && i.kind === "config.invalid").length;
  return issueLine(first, inst, more);
}
