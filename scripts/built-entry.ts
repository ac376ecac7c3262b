import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How the npm scripts run ordo, for the tests and the benchmark that start ordo processes: node with the options of
 * the entry's npm script in package.json, on the built bundle. The first call in a process builds dist/ from the
 * current sources.
 */
const repo = join(import.meta.dirname, '..');
let built = false;

export type Entry = 'main' | 'serve' | 'ordo' | 'seed';

/** node's arguments (after the executable) that run an entry as its npm script does (`npm start`, `npm run serve`) */
export function builtEntryArgs(entry: Entry): string[] {
  if (!built) {
    execFileSync(process.execPath, [join(repo, 'scripts/build.mjs')], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    built = true;
  }
  return [...npmScriptNodeOptions(entry), join(repo, 'dist', `${entry}.js`)];
}

const SCRIPTS: Record<Entry, string> = { main: 'start', serve: 'serve', ordo: 'ordo', seed: 'seed' };

/** the node options the entry's npm script uses, read from package.json so the tests and the bench cannot drift from it */
function npmScriptNodeOptions(entry: Entry): string[] {
  const script: string = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).scripts[SCRIPTS[entry]];
  const options = new RegExp(`\\bnode ((?:--\\S+ )*)dist/${entry}\\.js\\b`).exec(script);
  if (!options) throw new Error(`package.json's ${SCRIPTS[entry]} script does not run dist/${entry}.js: ${script}`);
  return options[1]!.split(' ').filter(Boolean);
}
