import { categoryIdsOf } from '../catalog/product-categories.ts';
import type { AppContext } from '../context.ts';
import { walletCouponsForLines, type CheckoutWalletCoupon } from '../coupons/wallet.ts';
import type { Fen } from '../domain/money.ts';

/**
 * The member's wallet coupons against the lines of a checkout (each line's product and its goods after the grade
 * discount, as a preview prices them): which apply, what each takes off, and why the others do not.
 */
export async function usableWalletCoupons(
  ctx: AppContext,
  member: { merchantId: number; memberId: number },
  lines: readonly { productId: number; amount: Fen }[],
): Promise<CheckoutWalletCoupon[]> {
  const categories = await categoryIdsOf(
    ctx.db,
    member.merchantId,
    lines.map((l) => l.productId),
  );
  return walletCouponsForLines(
    ctx.db,
    member,
    lines.map((l) => ({ ...l, categoryId: categories.get(l.productId) ?? null })),
    ctx.clock.now(),
  );
}
