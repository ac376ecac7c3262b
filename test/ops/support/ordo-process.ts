import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { builtEntryArgs } from '../../../scripts/built-entry.ts';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface OrdoProcess {
  child: ChildProcess;
  base: string;
  output(): string;
  /** resolves with the exit code once the process has ended */
  exited: Promise<number | null>;
}

/**
 * ordo in a process of its own, started as `npm start` starts it (the built dist/main.js with the same node options),
 * but with no npm in between, so a signal reaches ordo itself.
 */
export async function spawnOrdo(env: Record<string, string>, port?: number): Promise<OrdoProcess> {
  port ??= await freePort(); // a restarted process keeps its port (payment notify URLs name it)
  let output = '';
  const child = spawn(process.execPath, builtEntryArgs('main'), {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/**
 * How long a start may take before a test gives up on it: a start migrates and seeds an empty database, which on a
 * machine busy with other work can take many times the few seconds it takes alone. A test's own timeout is derived
 * from it (one READY_WAIT_MS per start, plus the rest of its waits).
 */
export const READY_WAIT_MS = 180_000;

/** Waits until /readyz answers (throws with the output if the process ends or takes over READY_WAIT_MS). */
export async function waitForReady(ordo: OrdoProcess): Promise<void> {
  const deadline = Date.now() + READY_WAIT_MS;
  while (Date.now() < deadline) {
    if (ordo.child.exitCode !== null) throw new Error(`ordo exited with ${ordo.child.exitCode}:\n${ordo.output()}`);
    try {
      if ((await fetch(`${ordo.base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ordo did not become ready:\n${ordo.output()}`);
}

/** Ends the process if a test left it running. */
export async function stopOrdo(ordo: OrdoProcess): Promise<void> {
  if (ordo.child.exitCode !== null || ordo.child.signalCode !== null) return;
  ordo.child.kill('SIGKILL');
  await ordo.exited;
}
