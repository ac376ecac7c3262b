import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
// the repository's own sources: not the packages the bench's peer installs into bench/peers/vendure/node_modules
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'node_modules'
        ? []
        : sources(join(dir, e.name))
      : /\.(ts|js|mjs|cjs)$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
const files = ['src', 'web', 'bench', 'scripts'].flatMap((dir) => sources(join(ROOT, dir)));

/** Documents outside the repository that comments once cited: a reader of the code cannot open them. */
const ELSEWHERE = /DESIGN(\.md| §)|PAYMENTS\.md|CLIENTS\.md|\.\.\/shared\//;

describe('comments point at what is in the repository', () => {
  it('cite no document outside it', () => {
    const offences = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (ELSEWHERE.test(line) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offences).toEqual([]);
    // the check itself finds what it looks for
    expect(['see DESIGN §4', 'PAYMENTS.md', '../shared/seeds'].every((line) => ELSEWHERE.test(line))).toBe(true);
  });

  it('name only Markdown documents that exist (docs/ARCHITECTURE.md, bench/README.md, …)', () => {
    const missing = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\b((?:docs|bench)\/[\w./-]+\.md)\b/g)]
        .map((m) => m[1]!)
        .filter((doc) => !existsSync(join(ROOT, doc)))
        .map((doc) => `${relative(ROOT, file)} names ${doc}`),
    );
    expect(missing).toEqual([]);
  });
});
