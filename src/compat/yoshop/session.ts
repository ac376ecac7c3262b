import type { FastifyRequest } from 'fastify';
import { resolveToken } from '../../auth/tokens.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { MemberPrincipal } from '../../auth/tokens.ts';

/**
 * The YoShop client sends an ordo member token in its `Access-Token` header; the literal string "false" (and an
 * absent header) means logged out. A bearer token resolved by the app wins.
 */
export function accessToken(request: FastifyRequest): string | null {
  const value = request.headers['access-token'];
  const token = Array.isArray(value) ? value[0] : value;
  return token && token !== 'false' && token !== 'null' && token !== 'undefined' ? token : null;
}

export function accessTokenResolver(ctx: AppContext) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.principal) return;
    const token = accessToken(request);
    if (token) request.principal = await resolveToken(ctx.db, token, ctx.clock.now());
  };
}

export function sessionMember(request: FastifyRequest): MemberPrincipal | null {
  const p = request.principal;
  return p && p.kind === 'member' ? p : null;
}

/** The order number behind a YoShop `orderId` (ordo's order id), only among the member's own orders. */
export async function orderNoOf(ctx: AppContext, member: MemberPrincipal, orderId: number): Promise<string> {
  const row = await ctx.db.selectFrom('orders').select('order_no').where('id', '=', orderId).where('member_id', '=', member.memberId).executeTakeFirst();
  if (!row) throw new AppError('not_found', '很抱歉，订单不存在');
  return row.order_no;
}

/** The order and line behind a YoShop `orderGoodsId`, only among the member's own orders. */
export async function orderLineOf(ctx: AppContext, member: MemberPrincipal, orderGoodsId: number): Promise<{ orderNo: string; lineId: number }> {
  const row = await ctx.db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['o.order_no', 'l.id'])
    .where('l.id', '=', orderGoodsId)
    .where('o.member_id', '=', member.memberId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', '很抱歉，订单商品不存在');
  return { orderNo: row.order_no, lineId: row.id };
}

/** The payment behind an out_trade_no, only for the member's own orders. */
export async function memberPayment(ctx: AppContext, member: MemberPrincipal, outTradeNo: string) {
  const row = await ctx.db
    .selectFrom('payments as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .selectAll('p')
    .where('p.out_trade_no', '=', outTradeNo)
    .where('o.member_id', '=', member.memberId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', '很抱歉，交易记录不存在');
  return row;
}
