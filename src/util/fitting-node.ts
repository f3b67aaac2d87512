// A Node that can run clawpatrol when the one that started the launcher is too old: the Node 24
// that `npm ci` puts in the package's own node_modules (the npm `node` package, a devDependency —
// so it is there in a clone, which `npm install -g .` links rather than copies). Only old-Node-safe
// APIs: the launcher loads this on whatever `node` is first on PATH.
import { accessSync, constants, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeSatisfiesFloor, NODE_FLOOR } from "./node-floor.js";

/** The package directory (the one with package.json): dist/src/util → ../../.., src/util → ../.. */
export function packageRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 4; i++) {
    try {
      if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === "clawpatrol") return dir;
    } catch { /* not here */ }
    dir = dirname(dir);
  }
  return dirname(dirname(dirname(fileURLToPath(moduleUrl))));
}

export interface FoundNode {
  path: string;
  version: string;
}

/** `<root>/node_modules/node/bin/node` when it is there, executable and new enough. */
export function bundledNode(root: string): FoundNode | null {
  const dir = join(root, "node_modules", "node");
  try {
    const version = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown }).version;
    const path = join(dir, "bin", "node");
    accessSync(path, constants.X_OK);
    return typeof version === "string" && nodeSatisfiesFloor(version) ? { path, version } : null;
  } catch {
    return null;
  }
}

/** The one command that gives this package a fitting Node (for the launcher's refusal). */
export function bundledNodeCommand(root: string): string {
  return `npm install --prefix ${/^[\w@%+=:,./-]+$/.test(root) ? root : `'${root.replace(/'/g, `'\\''`)}'`} --no-save node@24`;
}

export function noFittingNodeLine(version: string, execPath: string, root: string): string {
  const v = version.startsWith("v") ? version : `v${version}`;
  return (
    `clawpatrol needs Node ≥ ${NODE_FLOOR.join(".")} (found ${v} at ${execPath}) and none came with it in ${join(root, "node_modules", "node")}: ` +
    `run \`${bundledNodeCommand(root)}\` (Node 24 from npm, for clawpatrol only), or install Node 22 LTS or newer (https://nodejs.org/en/download)`
  );
}
