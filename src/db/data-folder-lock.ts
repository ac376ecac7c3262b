import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * One process per PGlite data folder. PGlite is PostgreSQL compiled into the process: two processes on one folder
 * each keep their own shared buffers and sequences, and silently overwrite each other's pages (duplicate ids,
 * broken unique indexes). So every process that opens a folder first creates `<folder>.lock`, holding its pid and
 * start time, and refuses when a live process holds it.
 */
export interface LockHolder {
  pid: number;
  /** the kernel's start time of the process (Linux /proc), so a reused pid is not taken for the holder */
  startTime: string | null;
  /** what the holder runs, for the message: `dist/main.js`, `dist/ordo.js staff create` */
  command: string;
  since: string;
}

export class DataFolderInUse extends Error {
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
  ) {
    const who =
      holder.pid === process.pid
        ? 'this same process'
        : `another process: pid ${holder.pid} (${holder.command}, since ${holder.since})`;
    super(`the data folder ${folder} is in use by ${who}`);
    this.name = 'DataFolderInUse';
  }
}

export interface DataFolderLock {
  folder: string;
  release(): void;
}

const hasProc = existsSync('/proc/self/stat');

/** The start time of a live process, null when the system cannot tell (no /proc), undefined when there is no such live process. */
function startTimeOf(pid: number): string | null | undefined {
  if (hasProc) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // "pid (comm) state ppid … starttime …": comm may hold spaces and parentheses, so count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // a zombie has exited: its parent has not reaped it yet
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19] ?? null;
  }
  try {
    process.kill(pid, 0);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? null : undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  const startTime = startTimeOf(holder.pid);
  if (startTime === undefined) return false;
  return startTime === null || holder.startTime === null || startTime === holder.startTime;
}

function readLock(path: string): { text: string; holder: LockHolder | null } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return { text, holder: Number.isInteger(holder.pid) && holder.pid > 0 ? holder : null };
  } catch {
    return { text, holder: null };
  }
}

/** Creates `path` holding `text`, atomically: it never exists half-written, and never replaces a file already there. */
function createWith(path: string, text: string): boolean {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, text, { mode: 0o644 });
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(draft);
  }
}

function unlinkIfUnchanged(path: string, text: string): void {
  if (readLock(path)?.text !== text) return;
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Removes a lock whose holder is dead. Two processes may find the same stale lock at once: only the one that
 * creates `<lock>.breaking` removes it, and only if it is still the stale one it read (the other may already have
 * removed it and taken the folder).
 */
function breakStaleLock(path: string, stale: string, me: string): void {
  const breaker = `${path}.breaking`;
  if (!createWith(breaker, me)) {
    const other = readLock(breaker);
    // its holder died in the instant between creating and removing it
    if (other && !(other.holder && isAlive(other.holder))) unlinkIfUnchanged(breaker, other.text);
    else pause(20);
    return;
  }
  try {
    unlinkIfUnchanged(path, stale);
  } finally {
    unlinkIfUnchanged(breaker, me);
  }
}

const held = new Map<string, string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function releaseAll(): void {
  for (const [path, text] of held) unlinkIfUnchanged(path, text);
  held.clear();
}

/**
 * On a signal nobody else handles (a CLI command interrupted with Ctrl-C), release the locks and die of the signal
 * as before. A process that handles the signal itself (the server's graceful shutdown) releases them when it
 * closes the database, or at exit.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  releaseAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

function watchProcessEnd(): void {
  if (held.size > 0) return;
  process.on('exit', releaseAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unwatchProcessEnd(): void {
  if (held.size > 0) return;
  process.removeListener('exit', releaseAll);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

/** Takes the folder for this process, or throws DataFolderInUse naming the live process that holds it. Touches nothing else. */
export function lockDataFolder(folder: string): DataFolderLock {
  const path = `${folder}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const me = JSON.stringify({
    pid: process.pid,
    startTime: startTimeOf(process.pid) ?? null,
    command: [basename(process.argv[1] ?? 'node'), ...process.argv.slice(2, 4)].join(' '),
    since: new Date().toISOString(),
  } satisfies LockHolder);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createWith(path, me)) {
      watchProcessEnd();
      held.set(path, me);
      let released = false;
      return {
        folder,
        release() {
          if (released) return;
          released = true;
          unlinkIfUnchanged(path, me);
          held.delete(path);
          unwatchProcessEnd();
        },
      };
    }
    const current = readLock(path);
    if (!current) continue; // released meanwhile
    if (current.holder && isAlive(current.holder)) throw new DataFolderInUse(folder, current.holder);
    breakStaleLock(path, current.text, me);
  }
  throw new Error(`could not lock the data folder ${folder}: its lock file ${path} keeps changing`);
}

/** Who holds the folder now, if a live process does. */
export function dataFolderHolder(folder: string): LockHolder | null {
  const current = readLock(`${folder}.lock`);
  return current?.holder && isAlive(current.holder) ? current.holder : null;
}

/** Whether this process holds the folder (the server then lets the CLI reach it: src/http/routes/local-admin.ts). */
export const holdsDataFolder = (folder: string): boolean => held.has(`${folder}.lock`);
