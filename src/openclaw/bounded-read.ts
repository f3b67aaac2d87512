// Reads an OpenClaw text file (openclaw.json, $includes, JSON auth stores, env files, unit files)
// only when it is a regular file under a size cap. OpenClaw's own files are a few KB; a file of
// hundreds of MB is a mistake or an attack, and parsing it would take seconds and gigabytes.
// Above the cap the caller gets a one-line issue naming the file and its size — never a parse.
import { accessSync, closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { ReadIssue } from "./types.js";

/** Documented in README ("Limits"): the largest OpenClaw file clawpatrol parses. */
export const MAX_OPENCLAW_FILE_BYTES = 8 * 1024 * 1024;

export interface BoundedRead {
  ok: boolean;
  text?: string;
  issue?: ReadIssue;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

const WHY: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory, not a file",
  ENOENT: "does not exist",
  ENOTDIR: "a parent of it is a file, not a directory",
  ELOOP: "is a symlink loop",
};

function unreadable(file: string, code: string): BoundedRead {
  const issue: ReadIssue = { kind: "state.unreadable", file, message: `cannot read ${file}: ${WHY[code] ?? code}` };
  if (code === "EACCES" || code === "EPERM") issue.fix = `chmod 600 ${file} (as its owner), or run clawpatrol as the user who owns it`;
  return { ok: false, issue };
}

/** Read `file` as UTF-8 if it is a regular file of at most `capBytes`; otherwise a ReadIssue. */
export function readBoundedText(file: string, capBytes = MAX_OPENCLAW_FILE_BYTES): BoundedRead {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in place of the file must not hang the read (no effect on regular files).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return unreadable(file, (err as NodeJS.ErrnoException).code ?? "error");
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return unreadable(file, "EISDIR");
    if (!st.isFile()) return { ok: false, issue: { kind: "state.unreadable", file, message: `cannot read ${file}: not a regular file`, fix: `replace ${file} with a regular file` } };
    if (st.size > capBytes) {
      return {
        ok: false,
        issue: {
          kind: "state.unreadable",
          file,
          message: `${file} is ${mib(st.size)}, above clawpatrol's ${mib(capBytes)} read limit for OpenClaw files (not parsed)`,
          fix: `OpenClaw's own files are a few KB: restore ${file} from a backup (${file}.bak) or remove what was appended to it`,
        },
      };
    }
    // Read at most cap + 1 bytes: a file growing while it is read still cannot exceed the cap.
    const buf = Buffer.allocUnsafe(Math.min(st.size, capBytes) + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > capBytes) return { ok: false, issue: { kind: "state.unreadable", file, message: `${file} grew past clawpatrol's ${mib(capBytes)} read limit while being read (not parsed)` } };
    return { ok: true, text: buf.toString("utf8", 0, n) };
  } catch (err) {
    return unreadable(file, (err as NodeJS.ErrnoException).code ?? "error");
  } finally {
    closeSync(fd);
  }
}

/** Whether this process may list and enter `dir` (existsSync says "no such file" when it may not). */
export function dirReadable(dir: string): boolean {
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function unreadableDirIssue(dir: string): ReadIssue {
  return { kind: "state.unreadable", file: dir, message: `cannot read ${dir}: permission denied`, fix: `run clawpatrol as the user who owns ${dir} (the one OpenClaw runs as)` };
}
