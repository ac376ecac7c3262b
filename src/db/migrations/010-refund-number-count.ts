import { sql, type Kysely } from 'kysely';

// Refund numbers are `R` + order number + the order's own count of refund numbers (001, 002, …): taken by an
// update of the order's row, so two refunds of one order at the same moment wait for each other and never share a
// number, on PGlite and PostgreSQL alike. Orders refunded before this column carry numbers with three random
// digits (and automatic refunds `R` + payment number): the count starts above every number an order already has.
const statements = [
  `alter table orders add column refund_numbers_taken integer not null default 0`,
  `update orders o set refund_numbers_taken = numbered.highest
     from (
       select order_id, max(substr(refund_no, 18)::bigint) as highest
         from (
           select r.order_id, r.refund_no from refund_requests r
           union all
           select p.order_id, p.out_refund_no from payment_refunds p
         ) taken
         join orders on orders.id = taken.order_id
        where taken.refund_no ~ '^R[0-9]{17,}$' and substr(taken.refund_no, 2, 16) = orders.order_no and length(taken.refund_no) <= 26
        group by order_id
     ) numbered
    where o.id = numbered.order_id`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
