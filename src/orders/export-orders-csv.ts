import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { localDateTime } from '../domain/local-time.ts';
import { csvFile } from '../domain/csv.ts';
import { fenToYuanString } from '../domain/money.ts';
import { listOrders, type OrderFilters } from './list-orders.ts';
import type { OrderView } from './order-view.ts';

/** A spreadsheet export is for a day's or a month's work, not a database dump: past this, narrow the filters. */
export const MAX_EXPORT_ROWS = 10_000;
const PAGE = 100;

const COLUMNS: [string, (o: OrderView, tz: string) => string | number][] = [
  ['order_no', (o) => o.orderNo],
  ['created_at', (o, tz) => localDateTime(o.createdAt, tz)],
  ['status', (o) => o.status],
  ['payment_status', (o) => o.paymentStatus],
  ['refund_status', (o) => o.refundStatus],
  ['store_id', (o) => o.storeId],
  ['member_id', (o) => o.memberId ?? ''],
  ['client', (o) => o.client],
  // express (shipped to the receiver), pickup (collected at the store, no receiver), empty for till sales and top-ups
  ['delivery', (o) => o.delivery ?? ''],
  ['receiver_name', (o) => o.address?.receiverName ?? ''],
  ['receiver_mobile', (o) => o.address?.mobile ?? ''],
  ['items', (o) => o.lines.map((l) => `${l.title}${l.spec ? ` ${l.spec}` : ''} ×${l.quantity}`).join('; ')],
  ['goods_yuan', (o) => fenToYuanString(o.goodsAmount)],
  ['discount_yuan', (o) => fenToYuanString(o.discountAmount)],
  ['shipping_yuan', (o) => fenToYuanString(o.shippingFee)],
  ['payable_yuan', (o) => fenToYuanString(o.payableAmount)],
  ['paid_yuan', (o) => fenToYuanString(o.paidAmount)],
  ['refunded_yuan', (o) => fenToYuanString(o.refundedAmount)],
  ['paid_at', (o, tz) => (o.paidAt ? localDateTime(o.paidAt, tz) : '')],
  ['buyer_remark', (o) => o.buyerRemark],
  ['merchant_remark', (o) => o.merchantRemark],
];

/**
 * The orders the filters select, newest first, as CSV (UTF-8 with a byte-order mark so spreadsheet programs read
 * Chinese text right; times in the shop's time zone; amounts in yuan with two decimals, exact from fen). It pages
 * through the same listing the API serves, so it sees exactly what the order list shows.
 */
export async function exportOrdersCsv(
  ctx: AppContext,
  principal: Principal,
  filters: Omit<OrderFilters, 'limit' | 'cursor'>,
): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const tz = ctx.config.timeZone;
  const lines: (string | number)[][] = [COLUMNS.map(([name]) => name)];
  let cursor: string | undefined;
  let rows = 0;
  do {
    const page = await listOrders(ctx, principal, {
      ...filters,
      limit: Math.min(PAGE, MAX_EXPORT_ROWS - rows),
      cursor,
    });
    for (const order of page.items) lines.push(COLUMNS.map(([, pick]) => pick(order, tz)));
    rows += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows < MAX_EXPORT_ROWS);
  return { csv: csvFile(lines), rows, truncated: cursor !== undefined };
}
