import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The slow part (`npm run test:slow`): files that start real ordo processes — npm start, the CLI, backup and
 * restore, SIGTERM and SIGKILL, two processes on one database, the benchmark, every README example — drive the
 * pages in Chromium, or sweep every route with hostile input (bad input, the fuzzer, the isolation matrix).
 * Everything else is the fast part (`npm test`), which must stay within 5 minutes on a quiet 2-core machine. A new
 * test file that starts processes or a browser belongs here.
 */
const SLOW = [
  'test/crash/crash-safety.test.ts',
  'test/start.test.ts',
  'test/cli.test.ts',
  'test/readme-examples.test.ts',
  'test/ops/backup.test.ts',
  'test/ops/configuration.test.ts',
  'test/ops/one-process-per-folder.test.ts',
  'test/ops/shutdown.test.ts',
  'test/scale/**/*.test.ts',
  'test/bench/**/*.test.ts',
  'test/after-sales/refund-numbers.test.ts',
  'test/web/**/*.test.ts',
  'test/http/bad-input.test.ts',
  'test/fuzz/fuzz.test.ts',
  'test/security/isolation-matrix.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Much of a file's time is spent
    // waiting (for a browser, a child process, the database server), so one per core, at least two.
    maxWorkers: Math.max(2, availableParallelism()),
    // Bounds, not budgets: a test ends as soon as what it waits for happens, so these only matter when something is
    // wrong — and a machine busy with other work must never reach them. A test that waits longer than this on its
    // own (a process to start, jobs to catch up) sets its timeout from what it waits for.
    testTimeout: 120_000,
    // set-up starts apps, browsers and processes
    hookTimeout: 300_000,
    expect: { poll: { timeout: 30_000 } },
    projects: [
      // (a project's lists are added to the root's, so the root names no files)
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW],
          // Each worker imports ordo once for all its files instead of once per file: importing was about 3 of the
          // 7 minutes. The files share no module state (each builds its own app, database and clock), which the
          // suite passing this way keeps proving.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
