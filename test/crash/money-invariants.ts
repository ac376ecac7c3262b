import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';

/**
 * What must hold in the database whatever moment ordo was killed at: no stock appears or vanishes, money is settled
 * once per paid order, payments and refunds add up to what orders say, every member's balance and points equal the
 * sum of their ledger (the demo member's opening amounts included), and every webhook reached its receiver. Each
 * check returns its violations as sentences.
 */

export interface Baseline {
  /** stock + reserved + sold per product and SKU (`product 12`, `sku 34`) before the load */
  skuTotals: Record<string, number>;
}

export async function skuTotals(db: Db): Promise<Record<string, number>> {
  const products = await db.selectFrom('products').select(['id', 'stock', 'reserved', 'sold']).execute();
  const skus = await db.selectFrom('product_skus').select(['id', 'stock', 'reserved', 'sold']).execute();
  return Object.fromEntries([
    ...products.map((p) => [`product ${p.id}`, p.stock + p.reserved + p.sold]),
    ...skus.map((s) => [`sku ${s.id}`, s.stock + s.reserved + s.sold]),
  ]);
}

/** Sentences for every member whose balance or points differ from the sum of that account's ledger. */
export async function ledgerViolations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ id: number; account: string; total: string; ledger: string }>`
    select m.id, a.account, a.total, coalesce((select sum(l.delta) from member_ledger l where l.member_id = m.id and l.account = a.account), 0) as ledger
    from members m cross join lateral (values ('balance', m.balance), ('points', m.points)) a(account, total)
    order by m.id, a.account`.execute(db);
  return rows
    .filter((r) => Number(r.total) !== Number(r.ledger))
    .map((r) => `member ${r.id}: ${r.account} ${r.total} ≠ its ledger's sum ${r.ledger}`);
}

export const takeBaseline = async (db: Db): Promise<Baseline> => ({ skuTotals: await skuTotals(db) });

const SETTLED = ['paid', 'partially_refunded', 'refunded'];

export async function moneyViolations(db: Db, baseline: Baseline, receivedEventIds: Set<number>): Promise<string[]> {
  const violations: string[] = [];

  const totals = await skuTotals(db);
  for (const [sku, initial] of Object.entries(baseline.skuTotals)) {
    if (totals[sku] !== initial) violations.push(`${sku}: stock + reserved + sold = ${totals[sku]}, was ${initial}`);
  }

  const { rows: settledPerOrder } = await sql<{ order_no: string; n: string }>`
    select o.order_no, (select count(*) from payments p where p.order_id = o.id and p.status in (${sql.join(SETTLED)})) as n
    from orders o where o.paid_amount > 0`.execute(db);
  for (const r of settledPerOrder)
    if (Number(r.n) !== 1) violations.push(`paid order ${r.order_no} has ${r.n} settled payments`);

  const { rows: sums } = await sql<{ payments: string; refunds: string; orders: string }>`
    select
      (select coalesce(sum(amount), 0) from payments where status in (${sql.join(SETTLED)})) as payments,
      (select coalesce(sum(amount), 0) from payment_refunds where status = 'succeeded') as refunds,
      (select coalesce(sum(paid_amount - refunded_amount), 0) from orders) as orders`.execute(db);
  const { payments, refunds, orders } = sums[0]!;
  if (Number(payments) - Number(refunds) !== Number(orders))
    violations.push(`payments ${payments} − refunds ${refunds} ≠ orders' paid − refunded ${orders}`);

  violations.push(...(await ledgerViolations(db)));

  const deliveries = await db.selectFrom('webhook_deliveries').select(['id', 'outbox_event_id', 'status']).execute();
  for (const d of deliveries) {
    if (d.status !== 'delivered') violations.push(`webhook delivery ${d.id} is ${d.status}`);
    if (!receivedEventIds.has(d.outbox_event_id))
      violations.push(`event ${d.outbox_event_id} never reached the receiver`);
  }
  return violations;
}
