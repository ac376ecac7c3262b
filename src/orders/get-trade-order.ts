import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { getOrder } from './get-order.ts';
import type { OrderView } from './order-view.ts';
import { tradeOrderExtras, type TradeOrderView } from './trade-order-view.ts';

/** A till's view of one of the caller's orders (not found outside the caller's scope). */
export async function getTradeOrder(ctx: AppContext, principal: Principal, orderNo: string): Promise<TradeOrderView> {
  return tradeOrderOf(ctx, await getOrder(ctx, principal, orderNo));
}

/** The till's view of an order already read (a page of a list). */
export async function tradeOrderOf(ctx: AppContext, order: OrderView): Promise<TradeOrderView> {
  return { order, ...(await tradeOrderExtras(ctx.db, order)) };
}
