import type { MemberPrincipal } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { paymentInScope } from '../../flows/payment-in-scope.ts';
import { merchantOfStore, storeById } from '../../merchants/store-by-id.ts';
import { getOrder } from '../../orders/get-order.ts';
import { memberOrderLine } from '../../orders/member-order-line.ts';
import { orderNoOfId } from '../../orders/order-no-of-id.ts';
import { bad } from './params.ts';

/**
 * What the YoShop client names by ids ordo reads by number or scope: each found among the member's own (or the
 * store's merchant's) records, and a miss answered in the client's words.
 */

/** The order number behind a YoShop `orderId` (ordo's order id), only among the member's own orders. */
export async function orderNoOf(ctx: AppContext, member: MemberPrincipal, orderId: number): Promise<string> {
  return orderNoOfId(ctx, member, orderId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'not_found' ? new AppError('not_found', '很抱歉，订单不存在') : err;
  });
}

export const orderOf = async (ctx: AppContext, member: MemberPrincipal, orderId: number) =>
  getOrder(ctx, member, await orderNoOf(ctx, member, orderId));

/** The order and line behind a YoShop `orderGoodsId`, only among the member's own orders. */
export async function orderLineOf(
  ctx: AppContext,
  member: MemberPrincipal,
  orderGoodsId: number,
): Promise<{ orderNo: string; lineId: number }> {
  const line = await memberOrderLine(ctx, member.memberId, orderGoodsId);
  if (!line) throw new AppError('not_found', '很抱歉，订单商品不存在');
  return line;
}

/** The payment behind an out_trade_no, only for the member's own orders. */
export async function paymentOf(ctx: AppContext, member: MemberPrincipal, outTradeNo: string) {
  const payment = await paymentInScope(ctx, member, outTradeNo);
  if (!payment) throw new AppError('not_found', '很抱歉，交易记录不存在');
  return payment;
}

/**
 * The store the `storeId` header names, whichever merchant's it is (the store chooses the merchant); never another
 * merchant's than the signed-in member's.
 */
export async function storeOf(ctx: AppContext, storeId: number, member: MemberPrincipal | null) {
  const store = await storeById(ctx, storeId);
  if (!store || (member && member.merchantId !== store.merchantId)) throw bad('很抱歉，商城不存在');
  return store;
}

/**
 * The signed-in member when they belong to the merchant of the store the request names, else null: a member of
 * one merchant has no session at another merchant's store and sees none of its data as theirs. A store that does
 * not exist is refused as such.
 */
export async function memberAtStore(
  ctx: AppContext,
  member: MemberPrincipal | null,
  storeId: number,
): Promise<MemberPrincipal | null> {
  if (!member) return null;
  const merchantId = await merchantOfStore(ctx, storeId);
  if (merchantId === null) throw bad('很抱歉，商城不存在');
  return merchantId === member.merchantId ? member : null;
}
