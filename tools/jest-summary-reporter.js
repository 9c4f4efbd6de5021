// Prints one plain closing line, "jest: N passed, N failed", that any CI log
// reader understands, after jest's own summary.
"use strict";
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`;
    process.stdout.write(`${line}\n`);
  }
}
module.exports = SummaryReporter;
