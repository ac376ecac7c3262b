import type { AppContext } from '../context.ts';

/** An order line a member names by its id: its order's number and the line, or null outside the member's own orders. */
export async function memberOrderLine(
  ctx: AppContext,
  memberId: number,
  lineId: number,
): Promise<{ orderNo: string; lineId: number } | null> {
  const row = await ctx.db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .select(['o.order_no', 'l.id'])
    .where('l.id', '=', lineId)
    .where('o.member_id', '=', memberId)
    .executeTakeFirst();
  return row ? { orderNo: row.order_no, lineId: row.id } : null;
}
