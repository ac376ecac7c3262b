import { sql } from 'kysely';
import type { Db } from '../../src/db/connect.ts';

/**
 * What must hold in the database whatever moment ordo was killed at (DESIGN §4): no stock appears or vanishes,
 * money is settled once per paid order, payments and refunds add up to what orders say, every balance change is
 * in the ledger, and every webhook reached its receiver. Each check returns its violations as sentences.
 */

export interface Baseline {
  /** stock + reserved + sold per SKU (`product 12`, `option 34`) before the load */
  skuTotals: Record<string, number>;
  /** balance − the ledger's sum, per member, before the load (the demo member is seeded with a balance) */
  balanceOffsets: Record<number, number>;
}

export async function skuTotals(db: Db): Promise<Record<string, number>> {
  const products = await db.selectFrom('products').select(['id', 'stock', 'reserved', 'sold']).execute();
  const options = await db.selectFrom('product_options').select(['id', 'stock', 'reserved', 'sold']).execute();
  return Object.fromEntries([...products.map((p) => [`product ${p.id}`, p.stock + p.reserved + p.sold]), ...options.map((o) => [`option ${o.id}`, o.stock + o.reserved + o.sold])]);
}

export async function balanceOffsets(db: Db): Promise<Record<number, number>> {
  const { rows } = await sql<{ id: number; offset: string }>`
    select m.id, m.balance - coalesce((select sum(l.delta) from member_ledger l where l.member_id = m.id and l.account = 'balance'), 0) as offset
    from members m`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.id, Number(r.offset)]));
}

export const takeBaseline = async (db: Db): Promise<Baseline> => ({ skuTotals: await skuTotals(db), balanceOffsets: await balanceOffsets(db) });

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
  for (const r of settledPerOrder) if (Number(r.n) !== 1) violations.push(`paid order ${r.order_no} has ${r.n} settled payments`);

  const { rows: sums } = await sql<{ payments: string; refunds: string; orders: string }>`
    select
      (select coalesce(sum(amount), 0) from payments where status in (${sql.join(SETTLED)})) as payments,
      (select coalesce(sum(amount), 0) from payment_refunds where status = 'succeeded') as refunds,
      (select coalesce(sum(paid_amount - refunded_amount), 0) from orders) as orders`.execute(db);
  const { payments, refunds, orders } = sums[0]!;
  if (Number(payments) - Number(refunds) !== Number(orders)) violations.push(`payments ${payments} − refunds ${refunds} ≠ orders' paid − refunded ${orders}`);

  const offsets = await balanceOffsets(db);
  for (const [memberId, offset] of Object.entries(offsets)) {
    const expected = baseline.balanceOffsets[Number(memberId)] ?? 0;
    if (offset !== expected) violations.push(`member ${memberId}: balance differs from its ledger by ${offset}, was ${expected}`);
  }

  const deliveries = await db.selectFrom('webhook_deliveries').select(['id', 'outbox_event_id', 'status']).execute();
  for (const d of deliveries) {
    if (d.status !== 'delivered') violations.push(`webhook delivery ${d.id} is ${d.status}`);
    if (!receivedEventIds.has(d.outbox_event_id)) violations.push(`event ${d.outbox_event_id} never reached the receiver`);
  }
  return violations;
}
