import { sql, type Kysely } from 'kysely';

// Picture captchas and SMS codes waiting to be answered. Only a hash of the answer is kept; a row is taken by the
// one statement that checks it (single use), and dies at `expires_at` or after too many wrong tries. `scope` keeps
// the clients apart: the XxPay console chooses its own keys, so two clients may send the same one.
const statements = [
  `create table captchas (
     scope text not null,
     key text not null,
     answer_hash text not null,
     failed_tries integer not null default 0,
     created_at timestamptz not null,
     expires_at timestamptz not null,
     primary key (scope, key)
   )`,
  `create index captchas_expires_at on captchas (expires_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
