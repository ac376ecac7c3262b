import type { AppContext } from '../context.ts';
import { selectAllCartItems, updateCartItem } from './manage-cart.ts';
import { placeOrder, type PlacedOrder, type PlaceOrderInput } from './place-order.ts';

/**
 * Orders exactly these lines of the member's cart, for clients that name the lines instead of keeping a selection:
 * an order from the cart takes its selected lines (and removes them from it), so exactly the chosen ones are
 * selected first.
 */
export async function orderCartLines(
  ctx: AppContext,
  cartIds: readonly number[],
  input: Omit<PlaceOrderInput, 'source'>,
): Promise<PlacedOrder> {
  const member = { memberId: input.memberId, merchantId: input.merchantId };
  await selectAllCartItems(ctx, member, false);
  for (const id of cartIds) await updateCartItem(ctx, member, id, { selected: true });
  return placeOrder(ctx, { ...input, source: { from: 'cart' } });
}
