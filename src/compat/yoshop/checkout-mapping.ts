import type { Address } from '../../domain/address.ts';
import type { MemberProfile } from '../../members/member-profile.ts';
import type { Delivery } from '../../orders/delivery.ts';
import { COUPON_REASON_ZH } from './coupon-mapping.ts';
import {
  absoluteImage,
  DELIVERY_TYPE,
  goodsSkuIdOf,
  toYoshopAddress,
  yoshopTime,
  yuan,
  type MappingEnv,
} from './mapping.ts';

/**
 * The checkout page (pages/checkout/index.vue) as YoShop's checkout service answers it: `order` with `goodsList`,
 * the coupon popup's `couponList`, the points switch, the totals; `personal` and `setting`. Money is yuan strings.
 */

/** order_type: every ordo order is physical goods (10 实物订单); the page shows the address block only for those. */
export const ORDER_TYPE_PHYSICAL = 10;

/** coupon_type: 10 满减券 (an amount off), 20 折扣券 (a discount, shown as 折: 9.0 is 10 % off). */
const COUPON_TYPE = { fixed: 10, percent: 20 } as const;

/** A coupon the member could use at this checkout, as the checkout's coupon source gives it. */
export interface CheckoutCoupon {
  /** what the page sends back as `couponId` */
  id: number;
  title: string;
  kind: 'fixed' | 'percent';
  amountOff: number;
  percentOff: number;
  minSpend: number;
  startsAt: Date | null;
  endsAt: Date | null;
  /** why the coupon does not apply to this order (ordo's coupon rule decided it); null: it applies */
  notApplying: 'min_spend_not_met' | 'not_in_scope' | null;
}

/** Why a coupon does not apply, as the popup toasts it when the coupon is tapped. */
const notApplyInfo = (c: CheckoutCoupon): string =>
  c.notApplying === 'min_spend_not_met'
    ? `订单金额未满${yuan(c.minSpend)}元，不能使用该优惠券`
    : c.notApplying === 'not_in_scope'
      ? COUPON_REASON_ZH.not_in_scope
      : '';

/** The coupon popup's items: `is_apply` says whether the coupon applies to this order. */
export function toCouponList(coupons: CheckoutCoupon[], env: MappingEnv) {
  return coupons.map((c) => {
    const applies = c.notApplying === null;
    return {
      user_coupon_id: c.id,
      name: c.title,
      coupon_type: COUPON_TYPE[c.kind],
      reduce_price: yuan(c.amountOff),
      discount: ((100 - c.percentOff) / 10).toFixed(1),
      min_price: yuan(c.minSpend),
      start_time: yoshopTime(c.startsAt, env.timeZone).slice(0, 10),
      end_time: yoshopTime(c.endsAt, env.timeZone).slice(0, 10),
      is_apply: applies,
      not_apply_info: notApplyInfo(c),
    };
  });
}

interface CheckoutLineLike {
  productId: number;
  optionIds: number[];
  options: { group?: string; title: string }[];
  title: string;
  imageUrl: string;
  unitPrice: number;
  listPrice: number;
  quantity: number;
  stock: number;
  inStock: boolean;
}

export interface CheckoutPreviewLike {
  lines: CheckoutLineLike[];
  goodsAmount: number;
  gradeDiscount: number;
  couponDiscount: number;
  pointsDiscount: number;
  pointsUsed: number;
  shippingFee: number;
  payableAmount: number;
  couponApplied: boolean;
  couponProblem: string | null;
}

export interface CheckoutPage {
  preview: CheckoutPreviewLike;
  /** the same checkout priced with points, for the figure beside the switch while it is off */
  withPoints: CheckoutPreviewLike;
  usePoints: boolean;
  delivery: Delivery;
  couponId: number;
  coupons: CheckoutCoupon[];
  address: Address | null;
  profile: MemberProfile;
}

const goodsProps = (options: CheckoutLineLike['options']) =>
  options.map((o) => ({ group: { name: o.group ?? '规格' }, value: { name: o.title } }));

export function toCheckoutPage(page: CheckoutPage, env: MappingEnv) {
  const { preview: p, withPoints } = page;
  const outOfStock = p.lines.some((l) => !l.inStock);
  const chosen = page.coupons.find((c) => c.id === page.couponId);
  const couponError =
    page.couponId > 0 && !p.couponApplied ? (chosen && notApplyInfo(chosen)) || '很抱歉，该优惠券不能使用' : '';
  return {
    order: {
      orderType: ORDER_TYPE_PHYSICAL,
      delivery: DELIVERY_TYPE[page.delivery],
      goodsList: p.lines.map((l) => {
        const skuId = goodsSkuIdOf(l.optionIds);
        return {
          goods_id: l.productId,
          goods_name: l.title,
          goods_image: absoluteImage(l.imageUrl, env.publicUrl),
          goods_sku_id: skuId,
          goods_price: yuan(l.unitPrice),
          line_price: yuan(l.listPrice),
          total_num: l.quantity,
          total_price: yuan(l.unitPrice * l.quantity),
          is_user_grade: false,
          skuInfo: {
            goods_sku_id: skuId,
            goods_price: yuan(l.unitPrice),
            line_price: yuan(l.listPrice),
            stock_num: l.stock,
            goods_props: goodsProps(l.options),
          },
        };
      }),
      orderTotalNum: p.lines.reduce((n, l) => n + l.quantity, 0),
      orderTotalPrice: yuan(p.goodsAmount),
      couponList: toCouponList(page.coupons, env),
      couponId: p.couponApplied ? page.couponId : 0,
      couponMoney: yuan(p.couponDiscount),
      isAllowPoints: withPoints.pointsDiscount > 0,
      isUsePoints: page.usePoints && p.pointsUsed > 0,
      pointsMoney: yuan(withPoints.pointsDiscount),
      pointsNum: withPoints.pointsUsed,
      pointsBonus: 0,
      expressPrice: yuan(p.shippingFee),
      orderPayPrice: yuan(p.payableAmount),
      existAddress: page.address !== null,
      address: page.address ? toYoshopAddress(page.address) : null,
      isIntraRegion: true,
      hasError: outOfStock || couponError !== '',
      errorMsg: outOfStock ? '很抱歉，商品库存不足' : couponError,
    },
    personal: {
      user_id: page.profile.id,
      balance: yuan(page.profile.balance),
      points: page.profile.points,
      address_id: page.address?.id ?? 0,
    },
    // ordo ships (快递配送, 10) by default; the page offers a tab only when there is more than one way
    setting: { deliveryType: [DELIVERY_TYPE.express], points_name: '积分', points_describe: POINTS_DESCRIBE },
  };
}

const POINTS_DESCRIBE = '下单时可用积分抵扣部分商品金额，每单最多可抵扣的比例由商城设置。';
