import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { builtEntryArgs } from '../scripts/built-entry.ts';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system) a process has used so far, in ms, read from /proc: no endpoint in ordo needed. */
export function cpuMs(pid: number): number {
  try {
    // the command name (field 2) may hold spaces: count fields after its closing parenthesis
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0; // the process is gone (a backend that ended)
  }
}

/**
 * CPU of every child of `parentPid` (PostgreSQL's backends and workers under the postmaster), in ms: the ones alive
 * now, plus those that ended, which the kernel adds to the parent's cutime/cstime once it has reaped them. Without
 * the ended ones, a backend closing between two samples took its CPU out of the sum and a scenario could measure a
 * negative figure.
 */
export function childrenCpuMs(parentPid: number): number {
  let total = endedChildrenCpuMs(parentPid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parentPid)
        total += ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    } catch {
      // ended while we looked
    }
  }
  return total;
}

function endedChildrenCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident memory of a process now, in MB. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 100 ms until stopped; returns the highest seen. */
export function watchPeakRss(pid: number): () => number {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMb(pid));
  };
}

export interface Server {
  base: string;
  pid: number;
  /** ms from spawning the process to its first successful `readyPath` answer */
  startMs: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a server and waits until `readyPath` answers 200. ordo (`src/main.ts`) runs as `npm start` runs it: the
 * built dist/main.js with the start script's node options (the build happens before the clock starts, as `npm start`
 * builds before ordo starts); other scripts (the bare ceiling server) run through tsx.
 */
export async function startServer(
  script: string,
  env: Record<string, string>,
  readyPath: string,
  cwd: string,
  nodeArgs: string[] = [],
): Promise<Server> {
  const args =
    script === 'src/main.ts' ? [...nodeArgs, ...builtEntryArgs('main')] : [...nodeArgs, '--import', 'tsx', script];
  const port = await freePort();
  const started = performance.now();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    if (
      await fetch(`${base}${readyPath}`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`${script} did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    base,
    pid: child.pid!,
    startMs: performance.now() - started,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
