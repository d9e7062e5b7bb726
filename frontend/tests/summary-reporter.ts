import type { Reporter, TestModule } from 'vitest/node'

// Prints one plain closing line, "N passed, N failed[, N skipped]", that CI reads.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
      if (mod.state() === 'failed' && mod.children.size === 0) failed++
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : ''
    // Written at exit so it stays the last line, after the default reporter's summary.
    process.once('exit', () =>
      process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`),
    )
  }
}
