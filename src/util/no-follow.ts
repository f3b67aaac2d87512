// clawpatrol's own files (alerts.mbox, audit.jsonl, the alert spool) are opened without following
// symlinks: a link planted in their place must not make clawpatrol append alerts or audit lines
// to another file (or leave that file world-readable). Each is also forced to mode 0600.
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, promises as fs } from "node:fs";

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

function refuse(path: string, what: string): Error {
  return Object.assign(new Error(`${path} is ${what}; clawpatrol writes its own files only as regular files (move it aside)`), { code: what === "a symlink" ? "ELOOP" : "EINVAL", path });
}

function translate(err: unknown, path: string): unknown {
  return (err as NodeJS.ErrnoException).code === "ELOOP" ? refuse(path, "a symlink") : err;
}

/** Open `path` for appending (created 0600) unless it is a symlink or not a regular file. */
export function openAppendNoFollowSync(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, APPEND, 0o600);
  } catch (err) {
    throw translate(err, path);
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw refuse(path, "not a regular file");
  }
  fchmodSync(fd, 0o600);
  return fd;
}

export async function openAppendNoFollow(path: string): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, APPEND, 0o600);
  } catch (err) {
    throw translate(err, path);
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw refuse(path, "not a regular file");
  }
  await handle.chmod(0o600);
  return handle;
}

/** Create `dir` (0700) if needed and make sure it is a real directory, not a symlink to one. */
export function ensureRealDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw refuse(dir, "a symlink");
  if (!st.isDirectory()) throw refuse(dir, "not a directory");
}
