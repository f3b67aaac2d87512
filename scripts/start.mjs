#!/usr/bin/env node
// `npm start`: say at once what is happening, build dist/ only when a source is newer than it, then
// run the daemon in this process — so the one Ctrl-C (or a SIGINT/SIGTERM sent to npm, which
// passes it on) reaches the daemon itself and it stops. Plain JS: it runs before anything is built.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(root, "dist", "src", "cli", "clawpatrol.js");
const say = (line) => process.stderr.write(`clawpatrol: ${line}\n`);

function newestMtime(path) {
  let st;
  try { st = statSync(path); } catch { return 0; }
  if (!st.isDirectory()) return path.endsWith(".ts") || path.endsWith(".json") ? st.mtimeMs : 0;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** tsc writes every output on each build, so the entry point's mtime is the last build's. */
function buildIsCurrent() {
  let built;
  try { built = statSync(entry).mtimeMs; } catch { return false; }
  const sources = Math.max(...["src", "scripts", "tsconfig.json", "package.json"].map((p) => newestMtime(join(root, p))));
  return sources <= built;
}

function build() {
  const started = Date.now();
  say("building dist/ (tsc; about 30 s the first time, longer on a busy machine)…");
  const tsc = spawn(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.json")], { stdio: "inherit" });
  // Ctrl-C while building: the terminal signals tsc too; a signal sent to npm alone reaches only us.
  const stop = (signal) => void tsc.kill(signal);
  process.on("SIGINT", stop).on("SIGTERM", stop);
  return new Promise((resolve) => {
    tsc.on("exit", (code, signal) => {
      process.off("SIGINT", stop).off("SIGTERM", stop);
      if (code === 0) say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve(code === 0 ? 0 : signal ? 130 : code ?? 1);
    });
    tsc.on("error", (err) => { say(`could not run tsc: ${err.message} (run npm ci first)`); resolve(3); });
  });
}

if (buildIsCurrent()) say("dist/ is up to date");
else {
  const code = await build();
  if (code !== 0) {
    if (code !== 130) say("the build failed (see above); nothing was started");
    process.exit(code);
  }
}
say(`starting the daemon in the foreground (clawpatrol run ${process.argv.slice(2).join(" ")}); Ctrl-C stops it`.replace(" )", ")"));
process.argv = [process.argv[0], entry, "run", ...process.argv.slice(2)];
await import(entry);
