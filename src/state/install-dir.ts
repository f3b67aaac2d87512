// clawpatrol's own state, one directory per OpenClaw install it watches:
//   <clawpatrol state>/installs/<id>/   id = installationId(OpenClaw state dir), as the drift baselines
// so switching `--state-dir` never carries incidents, queued alerts, cursors or remedy state over.
// Before this layout everything lay directly in <clawpatrol state>/; the first daemon start adopts
// those files into the install they belong to (the one the last status file names).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installationId } from "../drift/baseline-store.js";

/** Files and directories that used to lie directly in clawpatrol's state dir and are per install now. */
export const PER_INSTALL_ENTRIES = ["health.json", "run-cursors.json", "remedy-state.json", "remedy.lock", "audit.jsonl", "backups", "notify", "silences.json"] as const;

export function installStateDir(clawpatrolDir: string, openclawStateDir: string): string {
  return join(clawpatrolDir, "installs", installationId(openclawStateDir));
}

export interface PreparedInstallState {
  dir: string;
  /** Entries adopted from the old single-install layout (empty when there was nothing to adopt). */
  adopted: string[];
  /** The install the old files went to when it was not this one (they belonged to another). */
  adoptedBy?: string;
  /** How the owner of the old files was decided. */
  ownerFrom?: "status file" | "assumed";
}

export interface PrepareOptions {
  clawpatrolDir: string;
  openclawStateDir: string;
  /** The status file a pre-upgrade daemon wrote: it names the install it watched. */
  statusPath: string;
  now: number;
}

/** The install's state dir, created (0700) with an `install.json` naming the OpenClaw dir; adopts legacy files once. */
export function prepareInstallState(o: PrepareOptions): PreparedInstallState {
  const dir = installStateDir(o.clawpatrolDir, o.openclawStateDir);
  ensureInstallDir(dir, o.openclawStateDir, o.now);
  const legacy = PER_INSTALL_ENTRIES.filter((e) => existsSync(join(o.clawpatrolDir, e)));
  if (legacy.length === 0) return { dir, adopted: [] };
  const recorded = statusOwner(o.statusPath);
  const owner = recorded ?? o.openclawStateDir;
  const target = installStateDir(o.clawpatrolDir, owner);
  ensureInstallDir(target, owner, o.now);
  const adopted: string[] = [];
  for (const entry of legacy) {
    const to = join(target, entry);
    // This install already has its own copy (started before): keep it, set the old one aside.
    const dest = existsSync(to) ? `${to}.legacy-${o.now}` : to;
    renameSync(join(o.clawpatrolDir, entry), dest);
    adopted.push(entry);
  }
  return { dir, adopted, ownerFrom: recorded ? "status file" : "assumed", ...(owner !== o.openclawStateDir ? { adoptedBy: owner } : {}) };
}

function ensureInstallDir(dir: string, openclawStateDir: string, now: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const marker = join(dir, "install.json");
  if (!existsSync(marker)) writeFileSync(marker, JSON.stringify({ openclawStateDir, createdAt: new Date(now).toISOString() }) + "\n", { mode: 0o600 });
}

function statusOwner(path: string): string | null {
  try {
    const s = JSON.parse(readFileSync(path, "utf8")) as { openclaw?: { stateDir?: unknown } };
    return typeof s.openclaw?.stateDir === "string" ? s.openclaw.stateDir : null;
  } catch {
    return null;
  }
}

/** One line for the log about what the upgrade moved, or null. */
export function adoptionNote(p: PreparedInstallState, clawpatrolDir: string): string | null {
  if (p.adopted.length === 0) return null;
  const where = p.adoptedBy ? `the install ${p.adoptedBy} (named by the last status file), not this one` : `this install${p.ownerFrom === "assumed" ? " (no status file named another)" : ""}`;
  return `state kept per install now: ${p.adopted.join(", ")} from ${clawpatrolDir} adopted by ${where}`;
}

/** The daemon's entry: prepare the install's state dir and say in one log line what the upgrade adopted. */
export function openInstallState(o: PrepareOptions & { log: { info(obj: object, msg: string): void } }): string {
  const prepared = prepareInstallState(o);
  const note = adoptionNote(prepared, o.clawpatrolDir);
  if (note) o.log.info({ dir: prepared.dir, adopted: prepared.adopted }, note);
  return prepared.dir;
}
