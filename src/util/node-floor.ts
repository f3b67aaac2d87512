// The oldest Node clawpatrol runs on (package.json "engines"): node:sqlite without a flag and
// the fs/stream APIs it uses. Kept free of imports so the launcher can load it on any Node.
export const NODE_FLOOR = [22, 14] as const;

/** True when `version` ("v22.14.0" or "22.14.0") is at least NODE_FLOOR. */
export function nodeSatisfiesFloor(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1]);
}

/** One line for a Node below the floor, or null when `version` is fine. */
export function nodeFloorProblem(version: string, nodePath: string): string | null {
  if (nodeSatisfiesFloor(version)) return null;
  const v = version.startsWith("v") ? version : `v${version}`;
  return (
    `clawpatrol needs Node ≥ ${NODE_FLOOR.join(".")} (found ${v} at ${nodePath}): ` +
    `install Node 22 LTS or newer (https://nodejs.org/en/download, or: nvm install 22) and run clawpatrol with it`
  );
}
