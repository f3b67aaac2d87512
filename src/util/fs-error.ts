// A file-system error as one line a person can act on. Node's own text ("ENOTDIR: not a
// directory, mkdir '/x/y/z'") names neither which part is wrong nor what to do.
import { lstatSync } from "node:fs";
import { dirname } from "node:path";

/** The nearest ancestor of `path` that exists and is not a directory (the cause of ENOTDIR). */
function fileInTheWay(path: string): string | null {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    try {
      if (!lstatSync(p).isDirectory()) return p;
      return null;
    } catch {
      /* does not exist: look further up */
    }
  }
  return null;
}

/** One line for a Node fs error (code + path), or null when `err` is not one. */
export function fsErrorLine(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException | null;
  if (!e || typeof e.code !== "string" || typeof e.path !== "string") return null;
  const p = e.path;
  switch (e.code) {
    case "ENOTDIR": {
      const blocker = fileInTheWay(p) ?? dirname(p);
      return `cannot use ${p}: ${blocker} is a file, not a directory — move ${blocker} aside, or point XDG_STATE_HOME (clawpatrol's state) or --state-dir (OpenClaw's) elsewhere`;
    }
    case "EACCES":
    case "EPERM":
      return `cannot use ${p}: permission denied — run clawpatrol as the user who owns it, or fix its mode`;
    case "ENOENT":
      return `cannot use ${p}: it does not exist`;
    case "EISDIR":
      return `cannot use ${p}: it is a directory where a file belongs — move it aside`;
    case "ENOSPC":
      return `cannot write ${p}: the disk is full — free space, then retry`;
    case "EROFS":
      return `cannot write ${p}: the file system is read-only — point XDG_STATE_HOME at a writable directory`;
    case "ELOOP":
      return `cannot use ${p}: it is a symlink (clawpatrol does not follow symlinks for its own files) — replace it with a regular file`;
    default:
      return `cannot use ${p}: ${e.code}`;
  }
}

/** fsErrorLine, else the error's first line. */
export function errorLine(err: unknown): string {
  return fsErrorLine(err) ?? (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}
