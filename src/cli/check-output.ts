// How `check` speaks: the verdict first (what a person or a monitoring system reads), then the
// findings. `--short` is the Nagios plugin form: one line, verdict and counts, perfdata after "|".
import { exitCodeFor, type Finding } from "../checks/finding.js";

const VERDICT = ["OK", "WARNING", "CRITICAL", "UNKNOWN"] as const;

export function counts(findings: Finding[]): { critical: number; warning: number; info: number } {
  const n = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
  return { critical: n("critical"), warning: n("warning"), info: n("info") };
}

/** "CRITICAL — 3 finding(s): 1 critical, 2 warning, 0 info" or "OK: no findings". */
export function verdictLine(findings: Finding[]): string {
  if (!findings.length) return "OK: no findings";
  const c = counts(findings);
  return `${VERDICT[exitCodeFor(findings)]} — ${findings.length} finding(s): ${c.critical} critical, ${c.warning} warning, ${c.info} info`;
}

/** One line: "CRITICAL: 1 critical, 2 warning, 0 info; config.invalid: … | critical=1;;1;0 warning=2;1;;0 info=0;;;0". */
export function shortLine(findings: Finding[]): string {
  const c = counts(findings);
  const verdict = VERDICT[exitCodeFor(findings)];
  // The worst finding first (findings arrive sorted); "|" would start the perfdata early.
  const top = findings[0] ? `; ${findings[0].kind}: ${findings[0].summary.replace(/\|/g, "/")}` : "";
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : "";
  const text = findings.length ? `${c.critical} critical, ${c.warning} warning, ${c.info} info${top}${more}` : "no findings";
  return `${verdict}: ${text} | critical=${c.critical};;1;0 warning=${c.warning};1;;0 info=${c.info};;;0`;
}
