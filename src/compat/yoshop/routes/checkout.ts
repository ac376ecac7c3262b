import { createHash } from 'node:crypto';
import type { MemberPrincipal } from '../../../auth/tokens.ts';
import { defaultAddressOf } from '../../../addresses/member-address.ts';
import type { AppContext } from '../../../context.ts';
import type { LineSource } from '../../../flows/checkout-lines.ts';
import { getCart } from '../../../flows/manage-cart.ts';
import { placeOrder } from '../../../flows/place-order.ts';
import { previewCheckout } from '../../../flows/preview-checkout.ts';
import { getMemberProfile } from '../../../members/member-profile.ts';
import type { Delivery } from '../../../orders/delivery.ts';
import { toCheckoutPage } from '../checkout-mapping.ts';
import { deliveryOf, ok, yoshopTime } from '../mapping.ts';
import { bad, idList, int, optionIds, reqInt, str, type Params } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';
import { checkoutCoupons } from './checkout-coupons.ts';
import { couponRefusalZh } from '../coupon-mapping.ts';
import { getWalletCoupon } from '../../../coupons/wallet.ts';
import { refusedAs } from '../refusals.ts';

/** checkout `mode=cart` (with `cartIds`) or `mode=buyNow` (goodsId, goodsNum, goodsSkuId) as ordo lines. */
async function checkoutSource(
  ctx: AppContext,
  m: MemberPrincipal,
  p: Params,
): Promise<{ source: LineSource; cartIds: number[] }> {
  const mode = str(p, 'mode', { optional: true, max: 20 }) ?? 'cart';
  if (mode === 'buyNow') {
    return {
      source: {
        from: 'lines',
        lines: [{ productId: reqInt(p, 'goodsId'), optionIds: optionIds(p), quantity: reqInt(p, 'goodsNum', 1, 9999) }],
      },
      cartIds: [],
    };
  }
  if (mode !== 'cart') throw bad('参数 mode 无效');
  const cartIds = idList(p, 'cartIds');
  const cart = await getCart(ctx, m);
  const items = cartIds.map((id) => {
    const item = cart.items.find((i) => i.id === id);
    if (!item) throw bad('很抱歉，购物车中没有这件商品');
    return item;
  });
  return {
    source: {
      from: 'lines',
      lines: items.map((i) => ({ productId: i.productId, optionIds: i.optionIds, quantity: i.quantity })),
    },
    cartIds,
  };
}

const usePointsOf = (p: Params) => str(p, 'isUsePoints', { optional: true }) === '1';

/** `delivery`: 10 快递配送, 20 上门自提; the page sends 0 on its first load, meaning the store's default (express). */
function checkoutDelivery(p: Params): Delivery {
  const code = int(p, 'delivery', { optional: true, min: 0, max: 99 });
  const delivery = deliveryOf(code === 0 ? undefined : code);
  if (!delivery) throw bad('很抱歉，不支持该配送方式');
  return delivery;
}

/**
 * `couponId` (0: none) → the wallet coupon ordo's checkout takes: one of this member's, unused and valid now.
 * Whether it covers this order is the coupon rule's to say, in the preview and at placement.
 */
async function memberCouponIdOf(ctx: AppContext, m: MemberPrincipal, p: Params): Promise<number | undefined> {
  const couponId = int(p, 'couponId', { optional: true, min: 0 }) ?? 0;
  if (couponId === 0) return undefined;
  const coupon = await getWalletCoupon(ctx, m, couponId).catch(refusedAs('not_found', NO_SUCH_COUPON));
  const started = coupon.validFrom === null || coupon.validFrom <= ctx.clock.now();
  if (coupon.state !== 'unused' || !started) throw bad(NO_SUCH_COUPON);
  return coupon.id;
}

const NO_SUCH_COUPON = '很抱歉，该优惠券不存在或已失效';

/** The checkout page (a priced preview) and its submit (the order). */
export const checkoutRoutes: MemberRoutes = {
  'checkout/order': async ({ ctx, env, member, p, storeId }) => {
    const { source } = await checkoutSource(ctx, member, p);
    const delivery = checkoutDelivery(p);
    const usePoints = usePointsOf(p);
    const memberCouponId = await memberCouponIdOf(ctx, member, p);
    const input = {
      merchantId: member.merchantId,
      memberId: member.memberId,
      source,
      storeId,
      delivery,
      memberCouponId,
    };
    // the switch shows what points would take off even while it is off: the same checkout priced with points
    const [preview, withPoints, address, profile] = await Promise.all([
      previewCheckout(ctx, { ...input, usePoints }),
      usePoints ? null : previewCheckout(ctx, { ...input, usePoints: true }),
      defaultAddressOf(ctx, member.memberId),
      getMemberProfile(ctx, member.memberId),
    ]);
    const coupons = await checkoutCoupons(ctx, member, preview.lines);
    return ok(
      toCheckoutPage(
        {
          preview,
          withPoints: withPoints ?? preview,
          usePoints,
          delivery,
          couponId: int(p, 'couponId', { optional: true, min: 0 }) ?? 0,
          coupons,
          address,
          profile,
        },
        env,
      ),
    );
  },
  'checkout/submit': async ({ ctx, env, member, p, platform, storeId }) => {
    const { source, cartIds } = await checkoutSource(ctx, member, p);
    // 20 上门自提: collected at this store, no address; 10 快递配送 ships to the default address, which it needs
    const delivery = checkoutDelivery(p);
    const memberCouponId = await memberCouponIdOf(ctx, member, p);
    const address = delivery === 'pickup' ? null : await defaultAddressOf(ctx, member.memberId);
    const remark = str(p, 'remark', { optional: true, max: 200 }) ?? '';
    const usePoints = usePointsOf(p);
    // The client sends no idempotency key: the lines (cart ids are never reused), address, remark and points
    // choice name one checkout, so a doubled submit returns the same order.
    const lines = source.from === 'lines' ? source.lines : [];
    const fingerprint = JSON.stringify({
      cartIds,
      lines: cartIds.length ? [] : lines,
      address: address?.id ?? null,
      delivery,
      remark,
      usePoints,
      memberCouponId,
      day: cartIds.length ? '' : yoshopTime(ctx.clock.now(), env.timeZone).slice(0, 16),
    });
    const idempotencyKey = `yoshop:${member.memberId}:${createHash('sha256').update(fingerprint).digest('hex')}`;
    const order = {
      merchantId: member.merchantId,
      memberId: member.memberId,
      storeId,
      delivery,
      addressId: address?.id,
      buyerRemark: remark,
      memberCouponId,
      usePoints,
      client: platform,
      idempotencyKey,
    };
    // ordered from the cart, exactly the chosen lines are ordered and leave it
    const placed = await placeOrder(ctx, {
      ...order,
      source: cartIds.length ? { from: 'cart', cartItemIds: cartIds } : source,
    }).catch((err: unknown) => {
      const refusal = couponRefusalZh(err);
      throw refusal ? bad(refusal) : err;
    });
    return ok({ orderId: placed.orderId }, '订单提交成功');
  },
};
