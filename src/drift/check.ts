// config.drift: watched files against the accepted baseline, as a key-level diff with secrets
// shown only as fingerprints. Pure: baselines and snapshots in, findings out.
import { basename } from "node:path";
import { makeFinding, type Finding, type Severity } from "../checks/finding.js";
import type { FileSnapshot, FileStat, Leaves } from "./snapshot.js";
import type { WatchRole } from "../openclaw/watched-files.js";

/** The accepted state of one file. Same shape as a snapshot, plus when and why it was accepted. */
export interface FileBaseline extends FileSnapshot {
  acceptedAt: number;
  note?: string;
}

export type LeafChangeType = "added" | "removed" | "changed";

export interface LeafChange {
  path: string;
  change: LeafChangeType;
  before?: string;
  after?: string;
  secret: boolean;
}

export type FileStatus = "added" | "removed" | "changed" | "unchanged";

export interface FileDiff {
  file: string;
  role: WatchRole;
  status: FileStatus;
  leafChanges: LeafChange[];
  mode?: { before: string; after: string; loosened: boolean };
  owner?: { before: string; after: string };
  /** Semantic view unavailable on one side: compared by bytes. */
  content?: { before: string; after: string };
  parse?: { before?: string; after?: string };
  /** Bytes changed but the meaning did not (comments, whitespace, key order, volatile keys). */
  cosmetic: boolean;
}

const SENSITIVE_ROLES: ReadonlySet<WatchRole> = new Set(["auth", "credentials", "secrets", "env", "config", "include", "unit"]);

export function displayLeaf(value: string | undefined): string {
  if (value === undefined) return "(absent)";
  if (value.startsWith("secret:")) return value.slice("secret:".length);
  return value;
}

export function isSecretLeaf(value: string | undefined): boolean {
  return value !== undefined && value.startsWith("secret:");
}

export function diffLeaves(before: Leaves, after: Leaves): LeafChange[] {
  const out: LeafChange[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const path of [...keys].sort()) {
    const b = before[path];
    const a = after[path];
    if (b === a) continue;
    const secret = isSecretLeaf(b) || isSecretLeaf(a);
    if (b === undefined) out.push({ path, change: "added", after: a!, secret });
    else if (a === undefined) out.push({ path, change: "removed", before: b, secret });
    else out.push({ path, change: "changed", before: b, after: a, secret });
  }
  return out;
}

export function formatLeafChange(c: LeafChange): string {
  if (c.change === "added") return `${c.path}: added ${displayLeaf(c.after)}`;
  if (c.change === "removed") return `${c.path}: removed (was ${displayLeaf(c.before)})`;
  return `${c.path}: ${displayLeaf(c.before)} → ${displayLeaf(c.after)}`;
}

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;

function statChanges(b: FileStat, a: FileStat, role: WatchRole): Pick<FileDiff, "mode" | "owner"> {
  const out: Pick<FileDiff, "mode" | "owner"> = {};
  if (b.mode !== a.mode) {
    // Group/other bits newly granted on a file that holds secrets.
    const loosened = SENSITIVE_ROLES.has(role) && (a.mode & 0o077 & ~(b.mode & 0o077)) !== 0;
    out.mode = { before: octal(b.mode), after: octal(a.mode), loosened };
  }
  if (b.uid !== a.uid || b.gid !== a.gid) out.owner = { before: `${b.uid}:${b.gid}`, after: `${a.uid}:${a.gid}` };
  return out;
}

/** Compare one file's baseline with its current snapshot. Either side may be absent. */
export function diffFile(base: FileBaseline | FileSnapshot | undefined, cur: FileSnapshot | undefined): FileDiff {
  const file = (cur ?? base)!.path;
  const role = (cur ?? base)!.role;
  const baseExists = !!base?.stat;
  const curExists = !!cur?.stat;
  const empty: FileDiff = { file, role, status: "unchanged", leafChanges: [], cosmetic: false };
  if (!baseExists && !curExists) return empty;
  if (!baseExists) return { ...empty, status: "added", leafChanges: cur!.leaves ? diffLeaves({}, cur!.leaves) : [] };
  if (!curExists) return { ...empty, status: "removed", leafChanges: [] };
  const b = base!;
  const c = cur!;
  const diff: FileDiff = { ...empty, ...statChanges(b.stat!, c.stat!, role) };
  if (b.leaves && c.leaves) diff.leafChanges = diffLeaves(b.leaves, c.leaves);
  else if (b.semanticHash !== c.semanticHash) diff.content = { before: b.stat!.sha256.slice(0, 12), after: c.stat!.sha256.slice(0, 12) };
  if (b.parseError !== c.parseError) diff.parse = { ...(b.parseError ? { before: b.parseError } : {}), ...(c.parseError ? { after: c.parseError } : {}) };
  const semantic = diff.leafChanges.length > 0 || !!diff.content || !!diff.parse;
  if (semantic || diff.mode || diff.owner) diff.status = "changed";
  else diff.cosmetic = b.stat!.sha256 !== c.stat!.sha256;
  return diff;
}

export interface DriftCheckInput {
  /** Accepted baselines by path. */
  baseline: ReadonlyMap<string, FileBaseline>;
  /** Current snapshots by path (every watched file, including ones that vanished: stat null). */
  current: ReadonlyMap<string, FileSnapshot>;
  at: number;
  /** Evidence line cap per finding. */
  maxChanges?: number;
}

export function driftKeyFor(file: string): string {
  return `config.drift|file=${file}`;
}

function severityOf(diff: FileDiff): Severity {
  if (diff.status === "removed" && (diff.role === "config" || diff.role === "include")) return "critical";
  return "warning";
}

function summaryOf(diff: FileDiff): string {
  const name = diff.role === "include" || diff.role === "config" ? basename(diff.file) : diff.file;
  if (diff.status === "added") return `${name} appeared (not in the accepted baseline)`;
  if (diff.status === "removed") return `${name} was deleted (it is in the accepted baseline)`;
  const parts: string[] = [];
  if (diff.mode?.loosened) parts.push(`permissions loosened ${diff.mode.before} → ${diff.mode.after} (secrets readable by others)`);
  if (diff.parse?.after && !diff.parse.before) parts.push(`no longer parses (${diff.parse.after})`);
  const first = diff.leafChanges[0];
  if (first) parts.push(formatLeafChange(first) + (diff.leafChanges.length > 1 ? ` and ${diff.leafChanges.length - 1} more` : ""));
  else if (diff.content) parts.push("content changed");
  if (diff.mode && !diff.mode.loosened) parts.push(`mode ${diff.mode.before} → ${diff.mode.after}`);
  if (diff.owner) parts.push(`owner ${diff.owner.before} → ${diff.owner.after}`);
  return `${name} changed: ${parts.join("; ")}`;
}

/** The redacted evidence of one file diff (also used by `accept` to show what it accepts). */
export function driftEvidence(diff: FileDiff, maxChanges = 50): Record<string, unknown> {
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const c of diff.leafChanges) counts[c.change]++;
  const evidence: Record<string, unknown> = {
    file: diff.file,
    status: diff.status,
    counts,
    changes: diff.leafChanges.slice(0, maxChanges).map(formatLeafChange),
  };
  if (diff.leafChanges.length > maxChanges) evidence.more = diff.leafChanges.length - maxChanges;
  if (diff.mode) evidence.mode = `${diff.mode.before} → ${diff.mode.after}`;
  if (diff.owner) evidence.owner = `${diff.owner.before} → ${diff.owner.after}`;
  if (diff.content) evidence.sha256 = `${diff.content.before}… → ${diff.content.after}…`;
  if (diff.parse) evidence.parse = diff.parse;
  return evidence;
}

/** The key-level changes of drift evidence as lines (status file, `accept`): keys, then mode and owner. */
export function driftChangeLines(evidence: Record<string, unknown> | undefined): string[] {
  if (!evidence || !Array.isArray(evidence.changes)) return [];
  const lines = evidence.changes.filter((c): c is string => typeof c === "string");
  if (typeof evidence.more === "number") lines.push(`… and ${evidence.more} more`);
  if (typeof evidence.mode === "string") lines.push(`mode ${evidence.mode}`);
  if (typeof evidence.owner === "string") lines.push(`owner ${evidence.owner}`);
  return lines;
}

/**
 * The fix, as a command that works: `accept` refuses a file that does not parse, and a logical
 * store ("…/#auth-store") is no file `--file` can name — the whole `accept` moves it.
 */
function driftFix(diff: FileDiff): string {
  const file = diff.file;
  const accept = file.includes("#") ? "clawpatrol accept" : `clawpatrol accept --file ${file}`;
  if (diff.parse?.after) {
    const validate = diff.role === "config" || diff.role === "include" ? " (openclaw config validate shows where)" : "";
    return `Repair ${file}${validate}: it no longer parses, and clawpatrol accept takes a file only once it parses.`;
  }
  if (diff.mode?.loosened) return `Restore the permissions: chmod ${diff.mode.before.slice(1)} ${file}. If the change is intended: ${accept}`;
  return `Review the change. If it is intended: ${accept}`;
}

/** One `config.drift` finding per file that differs from its accepted baseline in meaning, mode or owner. */
export function checkDrift(input: DriftCheckInput): Finding[] {
  const findings: Finding[] = [];
  const paths = new Set([...input.baseline.keys(), ...input.current.keys()]);
  for (const file of [...paths].sort()) {
    const base = input.baseline.get(file);
    const cur = input.current.get(file);
    if (!cur) continue; // not observed this round: no verdict
    const diff = diffFile(base, cur);
    if (diff.status === "unchanged") continue;
    findings.push(
      makeFinding({
        kind: "config.drift",
        severity: severityOf(diff),
        subject: { file },
        summary: summaryOf(diff),
        detail: driftFix(diff),
        evidence: driftEvidence(diff, input.maxChanges),
        at: input.at,
      }),
    );
  }
  return findings;
}
