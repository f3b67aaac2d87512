// Installs the real OpenClaw versions the e2e suite runs against into a cache (once per machine).
// Node 24 comes from the npm `node` package in devDependencies (npm scripts put it first on PATH).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";

const VERSIONS = (process.env.CLAWPATROL_E2E_VERSIONS || "2026.9.6,2026.5.28").split(",").filter(Boolean);

export default async function globalSetup() {
  const cache = process.env.CLAWPATROL_E2E_CACHE || join(homedir(), ".cache", "clawpatrol-e2e");
  for (const version of VERSIONS) {
    const dir = join(cache, `oc-${version}`);
    if (existsSync(join(dir, "node_modules", "openclaw", "openclaw.mjs"))) continue;
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), '{"name":"oc-cache","private":true}\n');
    process.stdout.write(`\n[e2e] installing openclaw@${version} into ${dir} (first run only)…\n`);
    execFileSync("npm", ["install", `openclaw@${version}`, "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: dir,
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 15 * 60_000,
    });
  }
}
