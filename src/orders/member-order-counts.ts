import type { MemberPrincipal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import type { OrderStatus } from '../domain/order-status.ts';
import { scopeOrders } from './order-scope.ts';

/** How many of the member's own orders are in each status (statuses without orders are absent). */
export async function memberOrderCounts(
  ctx: AppContext,
  member: MemberPrincipal,
): Promise<Partial<Record<OrderStatus, number>>> {
  const rows = await scopeOrders(ctx.db.selectFrom('orders'), member)
    .select(['orders.status', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('orders.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
