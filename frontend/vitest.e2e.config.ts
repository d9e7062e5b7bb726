import { defineConfig } from 'vitest/config'

// End-to-end tests drive the real Go server with headless Chromium, one file at a time.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', './tests/summary-reporter.ts'],
  },
})
