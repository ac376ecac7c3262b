import { sql, type Expression, type SqlBool } from 'kysely';
import type { AppContext } from '../context.ts';
import { localTime } from '../domain/local-time.ts';
import { AppError } from '../errors.ts';

export interface SalesDay {
  date: string;
  /** orders placed that day (any outcome) */
  orders: number;
  /** orders paid that day */
  paidOrders: number;
  /** what was paid for the orders paid that day, fen */
  gmv: number;
}

export interface SalesSummary {
  from: string;
  to: string;
  timeZone: string;
  days: SalesDay[];
  methods: { method: string; payments: number; amount: number }[];
  totals: {
    orders: number;
    paidOrders: number;
    gmv: number;
    refundedAmount: number;
    refundedOrders: number;
    refundRateBasisPoints: number;
  };
  today: SalesDay;
}

const DAY_MS = 86_400_000;
export const MAX_REPORT_DAYS = 366;
export const DEFAULT_DAYS = 7;

/** Every calendar date from `from` to `to`, both included (plain dates, no time zone involved). */
function datesBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (
    Number.isNaN(start) ||
    Number.isNaN(end) ||
    new Date(start).toISOString().slice(0, 10) !== from ||
    new Date(end).toISOString().slice(0, 10) !== to
  ) {
    throw new AppError('validation_failed', 'from and to must be real dates (yyyy-MM-dd)', { from, to });
  }
  if (end < start) throw new AppError('validation_failed', 'to is before from', { from, to });
  const count = (end - start) / DAY_MS + 1;
  if (count > MAX_REPORT_DAYS)
    throw new AppError('validation_failed', `at most ${MAX_REPORT_DAYS} days at once`, { from, to });
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}

/**
 * Sales of one merchant per local calendar day (the shop's time zone): orders placed, orders paid and what was paid
 * for them (GMV), the split of paid payments by method, and the refund rate (money refunded on the orders paid in
 * the range over their GMV). Without a range, the seven days up to today. Balance top-ups are not sales and are left out. Amounts are fen, exact.
 */
export async function summarizeSales(
  ctx: AppContext,
  merchantId: number,
  requested: { from?: string; to?: string },
): Promise<SalesSummary> {
  const tz = ctx.config.timeZone;
  const t = localTime(ctx.clock.now(), tz);
  const todayDate = `${t.year}-${t.month}-${t.day}`;
  // Without dates, the week up to the shop's today: the shop's clock, not the browser's, says what today is.
  const to = requested.to ?? todayDate;
  const toDay = Date.parse(`${to}T00:00:00Z`);
  const from =
    requested.from ??
    (Number.isNaN(toDay) ? to : new Date(toDay - (DEFAULT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10));
  const range = { from, to };
  const dates = datesBetween(range.from, range.to);
  const localDate = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone ${tz}, 'YYYY-MM-DD')`;
  // The instant window is a day wider on each side than any time zone's offset, so the index on the time column
  // narrows the rows; the local-date test then decides exactly.
  const windowStart = new Date(Date.parse(`${range.from}T00:00:00Z`) - DAY_MS);
  const windowEnd = new Date(Date.parse(`${range.to}T00:00:00Z`) + 2 * DAY_MS);
  const inRange = (column: string): Expression<SqlBool> =>
    sql<SqlBool>`${sql.ref(column)} >= ${windowStart} and ${sql.ref(column)} < ${windowEnd} and ${localDate(column)} between ${range.from} and ${range.to}`;
  const sales = ctx.db.selectFrom('orders').where('merchant_id', '=', merchantId).where('order_type', '!=', 'recharge');

  const [placed, paid, methods] = await Promise.all([
    sales
      .select([localDate('created_at').as('day'), (eb) => eb.fn.countAll<string>().as('n')])
      .where(inRange('created_at'))
      .groupBy(sql`1`)
      .execute(),
    sales
      .select([
        localDate('paid_at').as('day'),
        (eb) => eb.fn.countAll<string>().as('n'),
        (eb) => eb.fn.sum<string>('paid_amount').as('gmv'),
        (eb) => eb.fn.sum<string>('refunded_amount').as('refunded'),
        sql<string>`count(*) filter (where refunded_amount > 0)`.as('refunded_orders'),
      ])
      .where('paid_at', 'is not', null)
      .where(inRange('paid_at'))
      .groupBy(sql`1`)
      .execute(),
    ctx.db
      .selectFrom('payments')
      .innerJoin('orders', 'orders.id', 'payments.order_id')
      .select([
        'payments.method',
        (eb) => eb.fn.countAll<string>().as('n'),
        (eb) => eb.fn.sum<string>('payments.amount').as('amount'),
      ])
      .where('payments.merchant_id', '=', merchantId)
      .where('orders.order_type', '!=', 'recharge')
      .where('payments.paid_at', 'is not', null)
      .where(inRange('payments.paid_at'))
      .groupBy('payments.method')
      .orderBy('payments.method')
      .execute(),
  ]);

  const placedOn = new Map(placed.map((r) => [r.day, Number(r.n)]));
  const paidOn = new Map(paid.map((r) => [r.day, r]));
  const days = dates.map((date) => ({
    date,
    orders: placedOn.get(date) ?? 0,
    paidOrders: Number(paidOn.get(date)?.n ?? 0),
    gmv: Number(paidOn.get(date)?.gmv ?? 0),
  }));
  const sum = (pick: (r: (typeof paid)[number]) => string | null) =>
    paid.reduce((total, r) => total + Number(pick(r) ?? 0), 0);
  const gmv = sum((r) => r.gmv);
  const refundedAmount = sum((r) => r.refunded);
  const today =
    days.find((d) => d.date === todayDate) ??
    (await summarizeSales(ctx, merchantId, { from: todayDate, to: todayDate })).days[0]!;
  return {
    from: range.from,
    to: range.to,
    timeZone: tz,
    days,
    methods: methods.map((m) => ({ method: m.method, payments: Number(m.n), amount: Number(m.amount) })),
    totals: {
      orders: days.reduce((n, d) => n + d.orders, 0),
      paidOrders: days.reduce((n, d) => n + d.paidOrders, 0),
      gmv,
      refundedAmount,
      refundedOrders: sum((r) => r.refunded_orders),
      refundRateBasisPoints: gmv === 0 ? 0 : Math.round((refundedAmount * 10_000) / gmv),
    },
    today,
  };
}
