// Writes this jest run's counts for scripts/run-tests.mjs, which prints the one closing line CI
// reads ("N passed, N failed"). A suite that fails to load counts as a failure.
const { writeFileSync } = require("node:fs");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + (results.numRuntimeErrorTestSuites || 0),
      skipped: results.numPendingTests + results.numTodoTests,
    };
    if (process.env.CLAWPATROL_SUMMARY_FILE) writeFileSync(process.env.CLAWPATROL_SUMMARY_FILE, JSON.stringify(counts));
    else process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}\n`);
  }
}
module.exports = SummaryReporter;
