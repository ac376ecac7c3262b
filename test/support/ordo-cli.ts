import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { builtEntryArgs } from '../../scripts/built-entry.ts';

const run = promisify(execFile);

/** `npm run ordo -- …` as the npm script runs it (the built dist/ordo.js); resolves with the exit code whatever it is */
export async function ordoCli(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...builtEntryArgs('ordo'), ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
