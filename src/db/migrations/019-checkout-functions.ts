import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';

// Placing an order and paying it from the balance each write in one statement, a PL/pgSQL function whose SQL lives
// beside its flow (src/flows/place-order.sql, src/flows/pay-from-balance.sql; why: their headers), with the ledger
// and outbox writes they share beside their modules. The files are read as they are when this runs; a later change to
// one ships with a new migration that runs it again.
const FILES = [
  '../../members/ledger.sql',
  '../../events/outbox.sql',
  '../../flows/place-order.sql',
  '../../flows/pay-from-balance.sql',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const file of FILES) {
    const text = readFileSync(new URL(file, import.meta.url), 'utf8');
    // one function definition at a time (a statement sent with parameters' protocol holds one command): each ends `$$;`
    for (const definition of text.split(/^\$\$;$/m).filter((part) => part.includes('create or replace function')))
      await sql.raw(`${definition}$$`).execute(db);
  }
}
