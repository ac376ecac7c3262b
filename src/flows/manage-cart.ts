import { sql } from 'kysely';
import { resolveLines, type ResolvedLine } from '../catalog/resolve-lines.ts';
import { parseSpecValueKey, specValueKey } from '../catalog/specs.ts';
import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

export const MAX_CART_ITEMS = 100;
export const MAX_LINE_QUANTITY = 9999;

export interface CartItem extends ResolvedLine {
  id: number;
  selected: boolean;
  lineTotal: number;
}

export interface Cart {
  items: CartItem[];
  totalQuantity: number;
  selectedQuantity: number;
  selectedTotal: number;
  allSelected: boolean;
}

export async function getCart(ctx: AppContext, member: { memberId: number; merchantId: number }): Promise<Cart> {
  const rows = await ctx.db
    .selectFrom('cart_items')
    .selectAll()
    .where('member_id', '=', member.memberId)
    .orderBy('id')
    .execute();
  const resolved = await resolveLines(
    ctx.db,
    member.merchantId,
    rows.map((r) => ({ productId: r.product_id, optionIds: parseSpecValueKey(r.option_ids), quantity: r.quantity })),
  );
  const items = resolved.map((line, i) => ({
    ...line,
    id: rows[i]!.id,
    selected: rows[i]!.selected,
    lineTotal: line.unitPrice * line.quantity,
  }));
  const selected = items.filter((i) => i.selected);
  return {
    items,
    totalQuantity: items.reduce((n, i) => n + i.quantity, 0),
    selectedQuantity: selected.reduce((n, i) => n + i.quantity, 0),
    selectedTotal: selected.reduce((n, i) => n + i.lineTotal, 0),
    allSelected: items.length > 0 && selected.length === items.length,
  };
}

/** Adds to the line for the same product and SKU if there is one, as every shop cart does. */
export async function addToCart(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  input: { productId: number; optionIds: number[]; skuId?: number | null; quantity: number; selected?: boolean },
): Promise<Cart> {
  const [line] = await resolveLines(ctx.db, member.merchantId, [input]);
  if (!line!.onSale) throw new AppError('unprocessable', 'the product is not on sale', { productId: input.productId });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('members')
      .select('id')
      .where('id', '=', member.memberId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const count = await trx
      .selectFrom('cart_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('member_id', '=', member.memberId)
      .executeTakeFirstOrThrow();
    const merged = await trx
      .updateTable('cart_items')
      .set({ quantity: sql`quantity + ${input.quantity}`, selected: input.selected ?? true, updated_at: now })
      .where('member_id', '=', member.memberId)
      .where('product_id', '=', input.productId)
      .where('option_ids', '=', specValueKey(line!.optionIds))
      .where('quantity', '<=', MAX_LINE_QUANTITY - input.quantity)
      .executeTakeFirst();
    if (merged.numUpdatedRows > 0n) return;
    const exists = await trx
      .selectFrom('cart_items')
      .select('id')
      .where('member_id', '=', member.memberId)
      .where('product_id', '=', input.productId)
      .where('option_ids', '=', specValueKey(line!.optionIds))
      .executeTakeFirst();
    if (exists) throw new AppError('unprocessable', `a cart line holds at most ${MAX_LINE_QUANTITY} units`);
    if (Number(count.n) >= MAX_CART_ITEMS)
      throw new AppError('unprocessable', `a cart holds at most ${MAX_CART_ITEMS} lines`);
    await trx
      .insertInto('cart_items')
      .values({
        member_id: member.memberId,
        product_id: input.productId,
        option_ids: specValueKey(line!.optionIds),
        quantity: input.quantity,
        selected: input.selected ?? true,
      })
      .execute();
  });
  return getCart(ctx, member);
}

export async function updateCartItem(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  itemId: number,
  changes: { quantity?: number; selected?: boolean },
): Promise<Cart> {
  const result = await ctx.db
    .updateTable('cart_items')
    .set({ quantity: changes.quantity, selected: changes.selected, updated_at: ctx.clock.now() })
    .where('id', '=', itemId)
    .where('member_id', '=', member.memberId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw notFound('cart item', { id: itemId });
  return getCart(ctx, member);
}

export async function removeCartItem(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  itemId: number,
): Promise<Cart> {
  const result = await ctx.db
    .deleteFrom('cart_items')
    .where('id', '=', itemId)
    .where('member_id', '=', member.memberId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('cart item', { id: itemId });
  return getCart(ctx, member);
}

export async function selectAllCartItems(
  ctx: AppContext,
  member: { memberId: number; merchantId: number },
  selected: boolean,
): Promise<Cart> {
  await ctx.db
    .updateTable('cart_items')
    .set({ selected, updated_at: ctx.clock.now() })
    .where('member_id', '=', member.memberId)
    .execute();
  return getCart(ctx, member);
}
