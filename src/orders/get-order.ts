import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { compileOnce } from '../db/compile-once.ts';
import type { Db } from '../db/connect.ts';
import { notFound } from '../errors.ts';
import { scopeOrders } from './order-scope.ts';
import { toEventView, toOrderView, type OrderEventView, type OrderView } from './order-view.ts';

const orderDetail = (db: Db) =>
  db
    .selectFrom('orders')
    .selectAll('orders')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('order_lines')
          .selectAll()
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .orderBy('order_lines.line_no'),
      ).as('lines'),
      jsonArrayFrom(
        eb
          .selectFrom('order_events')
          .select(['at', 'actor_kind', 'actor_id', 'action', 'from_status', 'to_status', 'note'])
          .whereRef('order_events.order_id', '=', 'orders.id')
          .orderBy('order_events.id'),
      ).as('events'),
      eb
        .selectFrom('merchants')
        .select('merchants.name')
        .whereRef('merchants.id', '=', 'orders.merchant_id')
        .as('merchantName'),
      eb.selectFrom('stores').select('stores.name').whereRef('stores.id', '=', 'orders.store_id').as('storeName'),
    ]);

// built and compiled once (the most read route), in the two scopes of `scopeOrders`: the buyer's own orders, or the merchant's
const memberOrderDetail = compileOnce((db, memberId: number, merchantId: number, orderNo: string) =>
  scopeOrders(orderDetail(db), { kind: 'member', memberId, merchantId }).where('orders.order_no', '=', orderNo),
);
const merchantOrderDetail = compileOnce((db, merchantId: number, orderNo: string) =>
  scopeOrders(orderDetail(db), { kind: 'merchant', merchantId }).where('orders.order_no', '=', orderNo),
);

/**
 * The order with its timeline, and the merchant and store names a cashier page shows beside the amount. One
 * statement, one round trip: the lines and events come back as JSON arrays beside the order row (the most read
 * route; see bench/README.md).
 */
export async function getOrder(
  ctx: AppContext,
  principal: Principal,
  orderNo: string,
): Promise<OrderView & { merchantName: string; storeName: string; events: OrderEventView[] }> {
  const [order] =
    principal.kind === 'member'
      ? await memberOrderDetail(ctx.db, principal.memberId, principal.merchantId, orderNo)
      : await merchantOrderDetail(ctx.db, principal.merchantId, orderNo);
  if (!order) throw notFound('order', { orderNo });
  const { lines, events, merchantName, storeName, ...row } = order;
  return {
    ...toOrderView(row, lines),
    merchantName: merchantName ?? '',
    storeName: storeName ?? '',
    // JSON carries the event time as text
    events: events.map((e) => toEventView({ ...e, at: new Date(e.at) })),
  };
}
