import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/**
 * What one operator took at one store on one local day: ordo keeps no shift starts and ends, so the till's
 * handover ("交班") is read as the operator's working day, from the first payment to the last. Sales and top-ups
 * the operator recorded, paid; `cash` the part paid in cash; refunds are not subtracted (they show on the orders).
 */
export interface OperatorDayTotals {
  operatorId: number;
  operatorName: string;
  storeId: number;
  /** the local date, yyyy-MM-dd */
  day: string;
  firstPaidAt: Date;
  lastPaidAt: Date;
  orders: number;
  /** paid, fen */
  paid: number;
  /** paid in cash, fen */
  cash: number;
}

export interface OperatorDayFilters {
  operatorId?: number;
  /** part of the operator's name or username */
  operatorName?: string;
  storeId?: number;
  /** days whose last payment is at or after `from` and at or before `to` */
  from?: Date;
  to?: Date;
  page: number;
  limit: number | null;
}

/** The merchant's operator days, newest first, with the total for paging. */
export async function listOperatorDayTotals(
  ctx: AppContext,
  merchantId: number,
  filters: OperatorDayFilters,
): Promise<{ items: OperatorDayTotals[]; total: number }> {
  const zone = ctx.config.timeZone;
  const like = filters.operatorName ? `%${filters.operatorName.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const days = sql`
    select o.operator_id, s.name as operator_name, s.username, o.store_id,
           to_char(o.paid_at at time zone ${zone}, 'YYYY-MM-DD') as day,
           min(o.paid_at) as first_paid_at, max(o.paid_at) as last_paid_at,
           count(*) as orders, sum(o.paid_amount) as paid,
           coalesce(sum(o.paid_amount) filter (where exists (
             select 1 from payments p where p.order_id = o.id and p.method = 'cash' and p.paid_at is not null)), 0) as cash
      from orders o join staff s on s.id = o.operator_id
     where o.merchant_id = ${merchantId} and o.paid_at is not null
       ${filters.operatorId === undefined ? sql`` : sql`and o.operator_id = ${filters.operatorId}`}
       ${filters.storeId === undefined ? sql`` : sql`and o.store_id = ${filters.storeId}`}
       ${like === null ? sql`` : sql`and (s.name ilike ${like} or s.username ilike ${like})`}
     group by o.operator_id, s.name, s.username, o.store_id, day`;
  const window = sql`
    from (${days}) d
   where true
     ${filters.from === undefined ? sql`` : sql`and d.last_paid_at >= ${filters.from}`}
     ${filters.to === undefined ? sql`` : sql`and d.last_paid_at <= ${filters.to}`}`;
  const paging =
    filters.limit === null ? sql`` : sql`limit ${filters.limit} offset ${(filters.page - 1) * filters.limit}`;
  const [count, rows] = await Promise.all([
    sql<{ n: string }>`select count(*) as n ${window}`.execute(ctx.db),
    sql<{
      operator_id: string;
      operator_name: string;
      username: string;
      store_id: string;
      day: string;
      first_paid_at: Date;
      last_paid_at: Date;
      orders: string;
      paid: string;
      cash: string;
    }>`select d.* ${window} order by d.day desc, d.operator_id, d.store_id ${paging}`.execute(ctx.db),
  ]);
  return {
    total: Number(count.rows[0]?.n ?? 0),
    items: rows.rows.map((r) => ({
      operatorId: Number(r.operator_id),
      operatorName: r.operator_name || r.username,
      storeId: Number(r.store_id),
      day: r.day,
      firstPaidAt: new Date(r.first_paid_at),
      lastPaidAt: new Date(r.last_paid_at),
      orders: Number(r.orders),
      paid: Number(r.paid),
      cash: Number(r.cash),
    })),
  };
}
