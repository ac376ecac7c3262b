import { sql, type Kysely } from 'kysely';

// Points an order gives must always be the points of what it keeps: a refund takes back down to that, by the rule
// the order was credited under, so the order keeps its rule (null until credited). Orders credited before this
// column get their merchant's rule of today, the best there is to know.
const pointsRule = [
  `alter table orders add column points_per_yuan integer check (points_per_yuan >= 0)`,
  `update orders o set points_per_yuan = m.points_per_yuan from merchants m where m.id = o.merchant_id and o.points_awarded > 0`,
];

/**
 * Every balance and points total equals the sum of its ledger: a member whose account was written directly (the demo
 * member's opening balance and points, before the demo came in through the ledger) gets one opening entry for the
 * difference. Running it again finds no difference and adds nothing.
 */
export async function addOpeningEntries(db: Kysely<any>): Promise<void> {
  for (const account of ['balance', 'points']) {
    await sql
      .raw(
        `insert into member_ledger (merchant_id, member_id, account, delta, balance_after, reason, note, created_at)
         select m.merchant_id, m.id, '${account}', m.${account} - coalesce(l.total, 0), m.${account}, 'opening', '', now()
           from members m
           left join (select member_id, sum(delta) as total from member_ledger where account = '${account}' group by member_id) l on l.member_id = m.id
          where m.${account} <> coalesce(l.total, 0)
          order by m.id`,
      )
      .execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of pointsRule) await sql.raw(statement).execute(db);
  await addOpeningEntries(db);
}
