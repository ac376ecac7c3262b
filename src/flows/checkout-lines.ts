import { parseOptionKey, type LineRequest } from '../catalog/resolve-lines.ts';
import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';

/** Where a checkout takes its lines from: the member's selected cart lines, or lines given directly. */
export type LineSource = { from: 'cart' } | { from: 'lines'; lines: LineRequest[] };

export async function checkoutLines(
  db: Db,
  memberId: number,
  source: LineSource,
): Promise<{ lines: LineRequest[]; cartItemIds: number[] }> {
  if (source.from === 'lines') return { lines: source.lines, cartItemIds: [] };
  const items = await db
    .selectFrom('cart_items')
    .select(['id', 'product_id', 'option_ids', 'quantity'])
    .where('member_id', '=', memberId)
    .where('selected', '=', true)
    .orderBy('id')
    .execute();
  if (items.length === 0) throw new AppError('unprocessable', 'no cart lines are selected');
  return {
    lines: items.map((i) => ({
      productId: i.product_id,
      optionIds: parseOptionKey(i.option_ids),
      quantity: i.quantity,
    })),
    cartItemIds: items.map((i) => i.id),
  };
}
