// The README's install lines on a clean machine: a fresh clone of this checkout's HEAD, an empty
// HOME, only the system Node (Debian's 20 here) on PATH. Runs every line of "Install as a service"
// literally — `npm ci` and the build included — then `clawpatrol check` on a real OpenClaw fixture
// and `clawpatrol install --dry-run`, and says what a new user would have hit.
//   node dist/scripts/try-readme-install.js [--fresh-cache] [--keep]
// --fresh-cache: an empty npm cache (everything from the registry) instead of ~/.npm.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { execStart, installSandbox, readmeInstallLines, runLine, systemdCalls } from "./readme-install.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "clawpatrol-readme-install-"));
const clone = join(dir, "clawpatrol");
const fail: string[] = [];

const git = spawnSync("git", ["clone", "--quiet", "--no-hardlinks", REPO, clone], { encoding: "utf8" });
if (git.status !== 0) throw new Error(`git clone failed: ${git.stderr}`);
const head = spawnSync("git", ["-C", clone, "log", "--oneline", "-1"], { encoding: "utf8" }).stdout.trim();
const sandbox = installSandbox(dir, args.includes("--fresh-cache") ? join(dir, "npm-cache") : join(homedir(), ".npm"));
const node = spawnSync("/bin/sh", ["-c", "command -v node && node --version"], { env: sandbox.env, encoding: "utf8" }).stdout.trim().replace("\n", " ");
console.log(`fresh clone of ${head}\nHOME=${sandbox.home}\nnode on PATH: ${node}\n`);

const lines = readmeInstallLines(readFileSync(join(clone, "README.md"), "utf8"));
for (const line of lines) {
  const r = runLine(line, clone, sandbox.env);
  console.log(`$ ${line}   → exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
  if (r.code !== 0) {
    console.log(r.output.trimEnd().split("\n").slice(-15).map((l) => `  | ${l}`).join("\n"));
    fail.push(`${line}: exit ${r.code}`);
    break;
  }
}
console.log(`systemd calls: ${systemdCalls(sandbox).join("; ") || "none"}\n`);

// What the installed command does on a real OpenClaw 2026.9.6 install (written by its real CLI).
cpSync(join(clone, "test", "fixtures", "2026.9.6", "home", ".openclaw"), join(sandbox.home, ".openclaw"), { recursive: true });
const check = runLine("clawpatrol check --offline", sandbox.home, sandbox.env);
console.log(`$ clawpatrol check --offline   → exit ${check.code}\n  ${check.output.split("\n")[0]}`);
if (check.code === null || check.code > 2 || !/^(OK|WARNING|CRITICAL)/.test(check.output)) fail.push(`clawpatrol check: exit ${check.code}: ${check.output.split("\n")[0]}`);
const dry = runLine("clawpatrol install --dry-run", sandbox.home, sandbox.env);
const [unitNode, unitMain] = execStart(/^would write [\s\S]*?(?=^would run)/m.exec(dry.output)?.[0] ?? "");
const unitNodeVersion = unitNode ? spawnSync(unitNode, ["--version"], { encoding: "utf8" }).stdout.trim() : "";
console.log(`$ clawpatrol install --dry-run   → exit ${dry.code}\n  ExecStart node: ${unitNode} (${unitNodeVersion}), main: ${unitMain}`);
if (dry.code !== 0) fail.push(`clawpatrol install --dry-run: exit ${dry.code}: ${dry.output.trim().split("\n").at(-1)}`);
if (!/^v(2[2-9]|[3-9]\d)\./.test(unitNodeVersion)) fail.push(`the unit would start clawpatrol on ${unitNode} ${unitNodeVersion}`);

if (args.includes("--keep")) console.log(`\nkept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
console.log(fail.length ? `\nFAILED:\n${fail.map((f) => `  ${f}`).join("\n")}` : "\nOK: every README install line worked as written");
process.exit(fail.length ? 1 : 0);
