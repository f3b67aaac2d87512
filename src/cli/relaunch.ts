// The launcher on a Node below the floor: run the same command on the package's own Node 24
// (fitting-node.ts) as a child that owns the terminal, pass signals on, and exit as it exits.
// Without one, one line names the command that brings it (exit 3). Old-Node-safe APIs only.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundledNode, noFittingNodeLine, packageRoot } from "../util/fitting-node.js";

/** Set in the child so a bundled Node that is somehow still too old cannot loop. */
const RELAUNCHED = "CLAWPATROL_RELAUNCHED_FROM";
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"] as const;

export function relaunch(launcherUrl: string): void {
  const root = packageRoot(launcherUrl);
  const node = process.env[RELAUNCHED] ? null : bundledNode(root);
  if (!node) {
    process.stderr.write(`${noFittingNodeLine(process.versions.node, process.execPath, root)}\n`);
    process.exit(3);
  }
  const child = spawn(node.path, [...process.execArgv, fileURLToPath(launcherUrl), ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, [RELAUNCHED]: process.execPath },
  });
  // A terminal's Ctrl-C reaches both processes; a signal sent to this pid alone is passed on (the
  // daemon ignores a second SIGINT while it stops).
  for (const signal of FORWARDED) process.on(signal, () => void child.kill(signal));
  child.on("error", (err) => {
    process.stderr.write(`clawpatrol: could not start ${node.path}: ${err.message}\n`);
    process.exit(3);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      for (const s of FORWARDED) process.removeAllListeners(s);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}
