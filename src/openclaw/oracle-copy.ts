// A private copy of what `openclaw models status` reads, so the live oracle (`clawpatrol verify`)
// runs OpenClaw against the copy and never against the user's install. `models status` is not
// read-only: seen with the real CLI on a copy of each fixture, it records the config's health
// fingerprint in state/openclaw.sqlite (config_health_entries; 7.35, 8.2, 9.6) or
// logs/config-health.json (5.28) on every config it has not seen, and a CLI newer than the files
// migrates them (9.6 on 8.2 files: state schema 15 → 18) before it refuses. On the copy both land
// in the copy. The copy keeps the install's layout under a scratch HOME, so `~/…` paths in the
// config resolve into it; SQLite files are copied from a read-only connection with SQLite's online
// backup (a consistent snapshot, the WAL included, nothing written to the source; in the thread
// pool, so a 200 MiB agent DB — ~6 s — does not stall the daemon's event loop).
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import * as sqlite from "node:sqlite";
import { DatabaseSync } from "node:sqlite";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { agentDbPath } from "./agent-files.js";
import { isPlainObject } from "./config-path.js";
import { openclawDotenvFiles } from "./env-files.js";
import type { Installation } from "./types.js";

/** More than this to copy and the oracle does not run (it would cost the machine more than it tells). */
export const MAX_COPY_BYTES = 1024 * 1024 * 1024;
/** Files the config names by `~/…` (secret files, scripts) are copied up to this size. */
const MAX_NAMED_FILE_BYTES = 1024 * 1024;
/** A copy left behind by a killed run is removed by the next run after this long. */
const STALE_COPY_MS = 3600_000;

/** Why no copy could be made: one line naming the file or setting, and what to do. */
export class CopyRefused extends Error {}

export interface OracleCopy {
  root: string;
  /** HOME for the OpenClaw process: the install's home, mirrored. */
  home: string;
  stateDir: string;
  configPath: string;
  /** Bytes copied. */
  bytes: number;
  /** Where a path of the install lives in the copy. */
  map(path: string): string;
  /** A path OpenClaw printed from the copy, as the install's path. */
  unmap(text: string): string;
  dispose(): void;
}

const mib = (n: number): string => `${(n / 1024 ** 2).toFixed(n < 1024 ** 2 ? 2 : 0)} MiB`;
const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);

/** The agents whose `agentDir` the config sets to an absolute path: OpenClaw would read (and write) the real one. */
function absoluteAgentDirs(config: Record<string, unknown> | null): string[] {
  const agents = config && isPlainObject(config.agents) ? config.agents : null;
  if (!agents) return [];
  const out: string[] = [];
  const check = (path: string, entry: unknown) => {
    if (isPlainObject(entry) && typeof entry.agentDir === "string" && isAbsolute(entry.agentDir.trim())) out.push(`${path}.agentDir`);
  };
  if (isPlainObject(agents.entries)) for (const [id, e] of Object.entries(agents.entries)) check(`agents.entries.${id}`, e);
  if (Array.isArray(agents.list)) agents.list.forEach((e, i) => check(`agents.list[${i}]`, e));
  return out;
}

/** `~/…` strings anywhere in the config that name a small regular file (secret files, exec scripts). */
function homeFilesNamed(value: unknown, home: string, out: Set<string>): void {
  if (typeof value === "string") {
    const v = value.trim();
    if (!v.startsWith("~/")) return;
    const p = join(home, v.slice(2));
    try {
      const st = statSync(p);
      if (st.isFile() && st.size <= MAX_NAMED_FILE_BYTES) out.add(p);
    } catch {
      /* not a file: nothing to copy */
    }
  } else if (Array.isArray(value)) {
    for (const v of value) homeFilesNamed(v, home, out);
  } else if (isPlainObject(value)) {
    for (const v of Object.values(value)) homeFilesNamed(v, home, out);
  }
}

function removeStaleCopies(parent: string, now: number): void {
  try {
    for (const name of readdirSync(parent)) {
      if (!name.startsWith("copy-")) continue;
      const p = join(parent, name);
      if (now - lstatSync(p).mtimeMs > STALE_COPY_MS) rmSync(p, { recursive: true, force: true });
    }
  } catch {
    /* no parent yet */
  }
}

function sqliteSize(path: string): number {
  let n = 0;
  for (const f of [path, `${path}-wal`]) {
    try {
      n += statSync(f).size;
    } catch {
      /* no WAL */
    }
  }
  return n;
}

/**
 * Copies what `models status --agent` reads for `agentIds` (and the main agent, whose store the
 * others inherit before era E) into a new directory under `parent`. Throws CopyRefused when the
 * install cannot be copied faithfully.
 */
export async function copyForOracle(inst: Installation, agentIds: readonly string[], parent: string, now = Date.now(), maxBytes = MAX_COPY_BYTES): Promise<OracleCopy> {
  const home = inst.paths.home ?? "";
  const bad = absoluteAgentDirs(inst.config);
  if (bad.length) {
    throw new CopyRefused(
      `${bad[0]} in ${inst.paths.configPath} is an absolute path: verify runs OpenClaw on a copy of the install and cannot point it at a copy of that directory (it would write to your install); write it as ~/… or relative to the state dir`,
    );
  }
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  removeStaleCopies(parent, now);
  const root = mkdtempSync(join(parent, "copy-"));
  const copyHome = join(root, "home");
  const map = (path: string): string => (home && within(path, home) ? join(copyHome, relative(home, path)) : join(root, "fs", path));
  let bytes = 0;
  const done = new Set<string>();
  const ensureDir = (dir: string) => mkdirSync(dir, { recursive: true, mode: 0o700 });
  const copyFile = (src: string): void => {
    if (done.has(src)) return;
    done.add(src);
    const dest = map(src);
    ensureDir(dirname(dest));
    copyFileSync(src, dest);
    chmodSync(dest, statSync(src).mode & 0o777);
    bytes += statSync(dest).size;
  };
  const copySqlite = async (src: string): Promise<void> => {
    if (done.has(src)) return;
    done.add(src);
    const dest = map(src);
    ensureDir(dirname(dest));
    const db = new DatabaseSync(src, { readOnly: true, timeout: 2000 });
    try {
      // One step: a busy gateway writing between steps would restart a stepped backup.
      if (typeof sqlite.backup === "function") await sqlite.backup(db, dest, { rate: 1 << 30 });
      else db.prepare("VACUUM INTO ?").run(dest); // Node < 22.16: synchronous
    } finally {
      db.close();
    }
    chmodSync(dest, 0o600);
    bytes += statSync(dest).size;
  };
  const copyAgentDir = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // an agent that never ran has no directory: OpenClaw sees none either
    }
    for (const name of names) {
      const p = join(dir, name);
      if (/-(wal|shm|journal)$/.test(name) || !statSync(p).isFile()) continue;
      if (p === agentDbPath(dir)) await copySqlite(p);
      else copyFile(p);
    }
  };

  try {
    const agentDirs = new Set<string>();
    const ids = new Set(agentIds);
    const main = inst.agents.find((a) => a.id === "main") ?? inst.agents.find((a) => a.isDefault);
    if (main) ids.add(main.id);
    for (const a of inst.agents) if (ids.has(a.id)) agentDirs.add(a.agentDir);
    const stateDb = join(inst.paths.stateDir, "state", "openclaw.sqlite");
    const planned = [...agentDirs].reduce((n, d) => n + sqliteSize(agentDbPath(d)), existsSync(stateDb) ? sqliteSize(stateDb) : 0);
    if (planned > maxBytes) {
      throw new CopyRefused(`the OpenClaw databases verify would copy are ${mib(planned)} (limit ${mib(maxBytes)}): compare fewer agents at a time (--agent ID, verify.agentsPerRun)`);
    }
    ensureDir(map(inst.paths.stateDir));
    for (const f of inst.configFiles) if (existsSync(f)) copyFile(f);
    for (const f of openclawDotenvFiles(inst.paths.stateDir, home)) if (existsSync(f)) copyFile(f);
    if (existsSync(stateDb)) await copySqlite(stateDb);
    // Legacy OAuth credentials (state dir `credentials/`), read by every version that still knows them.
    const creds = join(inst.paths.stateDir, "credentials");
    if (existsSync(creds)) for (const n of readdirSync(creds)) if (statSync(join(creds, n)).isFile()) copyFile(join(creds, n));
    for (const d of agentDirs) await copyAgentDir(d);
    const named = new Set<string>();
    if (home) homeFilesNamed(inst.config, home, named);
    for (const f of named) copyFile(f);
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    if (err instanceof CopyRefused) throw err;
    throw new CopyRefused(`could not copy the install for OpenClaw to read: ${(err as Error).message.split("\n")[0]}`);
  }

  const pairs: [string, string][] = [[copyHome, home], [join(root, "fs"), ""]];
  return {
    root,
    home: copyHome,
    stateDir: map(inst.paths.stateDir),
    configPath: map(inst.paths.configPath),
    bytes,
    map,
    unmap: (text: string) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
