#!/usr/bin/env node
// The whole suite: unit + integration in parallel workers, then the e2e suite (real OpenClaw
// gateways) one file at a time. Prints one closing line "N passed, N failed" for CI.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const jest = join(process.cwd(), "node_modules", "jest", "bin", "jest.js");
const extra = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), "clawpatrol-tests-"));
// --forceExit: a test that fails half-way can leave a child process or server behind; that must fail
// the run, not hang CI until its timeout.
const phases = [
  { name: "unit+integration", args: ["--selectProjects", "unit", "integration"] },
  { name: "e2e", args: ["--selectProjects", "e2e", "--runInBand"] },
];

let passed = 0, failed = 0, skipped = 0, badExit = false;
for (const [i, phase] of phases.entries()) {
  const summary = join(dir, `${i}.json`);
  const r = spawnSync(process.execPath, ["--experimental-vm-modules", "--no-warnings=ExperimentalWarning", jest, ...phase.args, "--passWithNoTests", "--forceExit", ...extra], {
    stdio: "inherit",
    env: { ...process.env, CLAWPATROL_SUMMARY_FILE: summary },
  });
  if (existsSync(summary)) {
    const s = JSON.parse(readFileSync(summary, "utf8"));
    passed += s.passed; failed += s.failed; skipped += s.skipped;
  } else {
    failed += 1; // jest died before reporting
  }
  if (r.status !== 0) badExit = true;
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
process.exit(failed > 0 || badExit ? 1 : 0);
