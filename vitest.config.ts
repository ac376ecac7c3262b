import { defineConfig } from 'vitest/config';

// Bounds, not budgets: a test ends as soon as what it waits for happens, so these only matter when something is
// wrong — and a machine busy with other work must never reach them. A test that waits longer than this on its own
// (a process to start, jobs to catch up) sets its timeout from what it waits for.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    // set-up starts apps, browsers and processes
    hookTimeout: 300_000,
    expect: { poll: { timeout: 30_000 } },
  },
});
