import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyDatabase, type EmptyDatabase } from './support/empty-database.ts';
import { spawnOrdo, waitForReady } from './ops/support/ordo-process.ts';

/**
 * Every shell example of the README runs here, in order and in one bash session (the examples build on each other:
 * `$TOKEN`, `$ORDER`), against ordo started with `npm start` on an empty database, so the README cannot drift from
 * what ordo does. ordo starts as `npm start` starts it (the built entry, test/ops/support/ordo-process.ts);
 * `localhost:8080` becomes the test server's address and curl fails on any HTTP error status. The
 * examples that stop-the-world (backup, restore) run after the server has stopped, as the README says to. The two
 * commands of the quick start (`npm install && npm start`, `npm test`) are what test/start.test.ts and CI run.
 */
const repo = join(import.meta.dirname, '..');
const QUICK_START = /^(npm install|npm start|npm test)\s*$/;
const NEEDS_SERVER_STOPPED = /npm run ordo -- (backup|restore)\b/;

function shellExamples(): string[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  return blocks.filter(
    (block) =>
      !block
        .trim()
        .split('\n')
        .every((line) => QUICK_START.test(line.trim())),
  );
}

// curl fails loudly on an HTTP error; a stream (-N) is read for a few seconds, then left (it never ends by itself).
// npm runs the repository's scripts from any folder, as it does for a user in the repository.
const PRELUDE = String.raw`
set -euo pipefail
trap 'echo "README example failed: $BASH_COMMAND" >&2' ERR
curl() {
  if [[ " $* " == *" -N "* ]]; then command curl --max-time 3 "$@" || [ $? -eq 28 ]; return; fi
  command curl --fail-with-body --show-error "$@"
}
npm() { command npm --prefix "$ORDO_REPO" "$@"; }
`;

function runBash(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd,
      env: { ...process.env, ...env, ORDO_REPO: repo },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 120_000);

describe('README', () => {
  // ~70 s on a quiet machine, but dozens of processes (ordo, the CLI, curl) each start in turn: a machine ten times
  // over-committed (CI beside other work) took over 10 minutes, so the bound is far above that
  it('every shell example runs as written against a fresh demo ordo', { timeout: 2_400_000 }, async () => {
    const examples = shellExamples();
    expect(examples.length).toBeGreaterThan(4);
    // `curl … | head` fails at random under pipefail: head may exit before curl's last write (curl exit 23)
    expect(examples.join('\n'), 'no README example pipes into head').not.toMatch(/\|\s*head\b/);
    const db: EmptyDatabase = await emptyDatabase('readme');
    cleanups.push(() => db.drop());
    const work = mkdtempSync(join(tmpdir(), 'ordo-readme-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const ordo = await spawnOrdo({ ...db.env, LOG_LEVEL: 'warn' });
    const stop = async () => {
      if (ordo.child.exitCode === null && ordo.child.signalCode === null) ordo.child.kill('SIGTERM');
      await ordo.exited;
    };
    cleanups.push(stop);
    await waitForReady(ordo);
    const { base } = ordo;

    const live = examples.filter((block) => !NEEDS_SERVER_STOPPED.test(block));
    const offline = examples.filter((block) => NEEDS_SERVER_STOPPED.test(block));
    const results = 'echo "RESULT ORDER=$ORDER THIRD=$THIRD MALL_ORDER=$MALL_ORDER REFUND=$REFUND"';
    const script = [
      PRELUDE,
      ...live.map((block) => block.replaceAll('http://localhost:8080', base).replaceAll('localhost:8080', base)),
      results,
    ].join('\n');
    const run = await runBash(script, work, db.env);
    // the exit code first: its message is the output's tail, where bash names the example that failed
    expect(run.code, run.output.slice(-3000)).toBe(0);
    expect(run.output.slice(-1500), 'the README examples').toMatch(/RESULT ORDER=\d{16} /);

    const found = Object.fromEntries(
      [...run.output.matchAll(/(\w+)=(\S*)/g)]
        .filter(([, k]) => ['ORDER', 'THIRD', 'MALL_ORDER', 'REFUND'].includes(k!))
        .map(([, k, v]) => [k, v]),
    );
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo123' }),
    });
    const { token } = (await login.json()) as { token: string };
    const order = async (orderNo: string) =>
      (await (
        await fetch(`${base}/v1/orders/${orderNo}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { status: string; paymentStatus: string };
    // the walkthrough's order was paid by QR, shipped, received, reviewed and partly refunded; the third paid from the balance
    expect(await order(found.ORDER!)).toMatchObject({ status: 'completed' });
    expect(await order(found.THIRD!)).toMatchObject({ paymentStatus: 'paid' });
    expect(found.REFUND).toMatch(/^R/);
    expect(found.MALL_ORDER).toMatch(/^\d+$/);

    await stop();
    if (offline.length > 0) {
      const offlineRun = await runBash([PRELUDE, ...offline].join('\n'), work, db.env);
      expect(offlineRun.code, `the README examples run with ordo stopped:\n${offlineRun.output.slice(-1500)}`).toBe(0);
      // a relative file name is relative to where the command was typed, not to the repository npm runs in
      expect(existsSync(join(work, 'backups'))).toBe(true);
    }
  });
});
