import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dialects under src/compat/ only parse their wire format, call a flow or a module read, and map the answer:
 * no SQL, no database handle, no provider code. (dependency-cruiser checks the imports of folders; this also
 * catches `ctx.db` and query builders reached through the context, which no import shows.)
 *
 * The dialect folders checked, besides the shared files directly in src/compat/. A dialect joins this list once
 * its routes read through modules and flows only.
 */
const DIALECTS_CHECKED = ['xxpay', 'wholesale', 'storefront', 'yoshop', 'mall'];

const ROOT = join(import.meta.dirname, '..', '..');
const COMPAT = join(ROOT, 'src', 'compat');

/** What a dialect file may not contain, one line at a time. */
const FORBIDDEN: { rule: string; pattern: RegExp }[] = [
  { rule: 'uses the database handle (ctx.db)', pattern: /\bctx\.db\b/ },
  { rule: 'uses a database handle (.db.)', pattern: /\.db\./ },
  { rule: 'writes SQL (sql`…`)', pattern: /\bsql`/ },
  { rule: 'builds a query (selectFrom)', pattern: /\bselectFrom\b/ },
  { rule: 'builds a query (insertInto)', pattern: /\binsertInto\b/ },
  { rule: 'builds a query (updateTable)', pattern: /\bupdateTable\b/ },
  { rule: 'imports from db/', pattern: /\bfrom\s+['"][^'"]*\bdb\/[^'"]*['"]|\bimport\(\s*['"][^'"]*\bdb\// },
  {
    rule: 'imports from providers/',
    pattern: /\bfrom\s+['"][^'"]*\bproviders\/[^'"]*['"]|\bimport\(\s*['"][^'"]*\bproviders\//,
  },
  { rule: 'imports Kysely', pattern: /\bfrom\s+['"]kysely(\/[^'"]*)?['"]/ },
];

/** Every offence in one file's text, as `path:line: rule — the line`. */
function offences(path: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const { rule, pattern } of FORBIDDEN)
      if (pattern.test(line)) found.push(`${path}:${i + 1}: ${rule} — ${line.trim()}`);
  });
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The shared files directly in src/compat/ and every file of the checked dialects. */
function checkedFiles(): string[] {
  const shared = readdirSync(COMPAT)
    .map((name) => join(COMPAT, name))
    .filter((path) => statSync(path).isFile());
  return [...shared, ...DIALECTS_CHECKED.flatMap((dialect) => filesUnder(join(COMPAT, dialect)))];
}

describe('dialects only parse, call and map', () => {
  it('the checked dialect folders exist (a renamed one must not pass by being empty)', () => {
    for (const dialect of DIALECTS_CHECKED) expect(statSync(join(COMPAT, dialect)).isDirectory(), dialect).toBe(true);
    expect(checkedFiles().length).toBeGreaterThan(DIALECTS_CHECKED.length);
  });

  it('no checked file in src/compat/ reads the database or imports db/, providers/ or Kysely', () => {
    const found = checkedFiles().flatMap((path) => offences(relative(ROOT, path), readFileSync(path, 'utf8')));
    expect(found, `dialect files that do more than parse, call and map:\n${found.join('\n')}`).toEqual([]);
  });

  it('the check itself finds each kind of offence, with its file and line', () => {
    const sample = [
      "import type { Db } from '../../db/connect.ts';",
      "import { wechatPay } from '../../providers/wechatpay/client.ts';",
      "import { jsonArrayFrom } from 'kysely/helpers/postgres';",
      'const row = await ctx.db.selectFrom("orders").executeTakeFirst();',
      'await trx.insertInto("payments").values(v).execute();',
      'await app.ctx.db.updateTable("orders").set(v).execute();',
      'await sql`select 1`.execute(db);',
      'const ok = 1;',
    ].join('\n');
    const found = offences('src/compat/sample/routes.ts', sample);
    expect(found.map((f) => f.split(' — ')[0])).toEqual([
      'src/compat/sample/routes.ts:1: imports from db/',
      'src/compat/sample/routes.ts:2: imports from providers/',
      'src/compat/sample/routes.ts:3: imports Kysely',
      'src/compat/sample/routes.ts:4: uses the database handle (ctx.db)',
      'src/compat/sample/routes.ts:4: uses a database handle (.db.)',
      'src/compat/sample/routes.ts:4: builds a query (selectFrom)',
      'src/compat/sample/routes.ts:5: builds a query (insertInto)',
      'src/compat/sample/routes.ts:6: uses the database handle (ctx.db)',
      'src/compat/sample/routes.ts:6: uses a database handle (.db.)',
      'src/compat/sample/routes.ts:6: builds a query (updateTable)',
      'src/compat/sample/routes.ts:7: writes SQL (sql`…`)',
    ]);
  });
});
