import { statSync } from "node:fs";

/** Inode, mtime and size: changes whenever the file is replaced or rewritten; null when it is absent. */
export function fileIdentity(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  } catch {
    return null;
  }
}
