import type { LineRequest } from '../catalog/resolve-lines.ts';
import { parseSpecValueKey } from '../catalog/specs.ts';
import type { Db } from '../db/connect.ts';
import { AppError, notFound } from '../errors.ts';

/**
 * Where a checkout takes its lines from: the member's cart — its selected lines, or exactly the lines named by
 * `cartItemIds` (clients that keep no selection) — or lines given directly.
 */
export type LineSource = { from: 'cart'; cartItemIds?: readonly number[] } | { from: 'lines'; lines: LineRequest[] };

export async function checkoutLines(
  db: Db,
  memberId: number,
  source: LineSource,
): Promise<{ lines: LineRequest[]; cartItemIds: number[] }> {
  if (source.from === 'lines') return checkoutLinesFrom(source, []);
  const named = source.cartItemIds;
  const items = await db
    .selectFrom('cart_items')
    .select(['id', 'product_id', 'option_ids', 'quantity'])
    .where('member_id', '=', memberId)
    .$call((q) => (named ? q.where('id', 'in', named.length ? [...named] : [0]) : q.where('selected', '=', true)))
    .orderBy('id')
    .execute();
  return checkoutLinesFrom(source, items);
}

/** A cart line as checkout reads it. */
export interface CartLine {
  id: number;
  product_id: number;
  option_ids: string;
  quantity: number;
}

/** The lines of a checkout from the source and the member's cart lines it names (or selected), by id. */
export function checkoutLinesFrom(
  source: LineSource,
  items: readonly CartLine[],
): { lines: LineRequest[]; cartItemIds: number[] } {
  if (source.from === 'lines') return { lines: source.lines, cartItemIds: [] };
  const named = source.cartItemIds;
  const missing = named?.find((id) => !items.some((i) => i.id === id));
  if (missing !== undefined) throw notFound('cart item', { id: missing });
  if (items.length === 0) throw new AppError('unprocessable', 'no cart lines are selected');
  return {
    lines: items.map((i) => ({
      productId: i.product_id,
      optionIds: parseSpecValueKey(i.option_ids),
      quantity: i.quantity,
    })),
    cartItemIds: items.map((i) => i.id),
  };
}
