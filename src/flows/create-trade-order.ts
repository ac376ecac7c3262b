import { reserveStock } from '../catalog/stock-reservation.ts';
import type { AppContext } from '../context.ts';
import { allocateByLargestRemainder } from '../domain/allocation.ts';
import { AppError } from '../errors.ts';
import { recordOrderEvent } from '../orders/apply-order-transition.ts';
import { nextOrderNo } from '../orders/next-order-no.ts';
import type { AppPrincipalInfo } from '../merchants/signed-requests.ts';
import { unpaidOrderDeadline } from '../merchants/order-timeout.ts';

export interface TradeLineInput {
  /** a catalog product, or null for goods without a barcode (typed in at the till) */
  productId: number | null;
  title: string;
  spec?: string;
  /** fen each */
  listPrice: number;
  price: number;
  quantity: number;
  /** fen off this line */
  discount?: number;
}

export interface TradeOrderInput {
  /** the till's own number for the sale: the same number again returns the same trade order */
  merchantOrderNo: string;
  tradeType: 'sale' | 'recharge';
  depositMode?: boolean;
  storeId: number;
  operatorId?: number;
  memberId?: number;
  couponCode?: string;
  /** fen off the whole order (a coupon redeemed at the till) */
  orderDiscount?: number;
  subject?: string;
  /** the operator's note on the sale */
  remark?: string;
  clientIp?: string;
  device?: string;
  lines: TradeLineInput[];
  /** a recharge's rule and the bonus it promises, credited with the payment */
  rechargeBonus?: { ruleId: number; balance: number; points: number };
}

/**
 * A till (a merchant app) records a sale or a member recharge with the prices it charged: the till is the
 * merchant's own system, so its prices stand; catalog goods still have their stock reserved like any order.
 */
export async function createTradeOrder(
  ctx: AppContext,
  app: AppPrincipalInfo,
  input: TradeOrderInput,
): Promise<{ orderNo: string; created: boolean }> {
  const now = ctx.clock.now();
  const existing = await ctx.db
    .selectFrom('orders')
    .select('order_no')
    .where('app_id', '=', app.appId)
    .where('merchant_order_no', '=', input.merchantOrderNo)
    .executeTakeFirst();
  if (existing) return { orderNo: existing.order_no, created: false };
  if (input.tradeType === 'recharge' && (input.memberId === undefined || input.depositMode))
    throw new AppError('validation_failed', 'a recharge needs a member and cannot be a deposit');
  if (input.rechargeBonus && input.tradeType !== 'recharge')
    throw new AppError('validation_failed', 'only a recharge carries a recharge bonus');

  const lines = input.lines.map((l) => {
    const goods = l.price * l.quantity;
    const discount = l.discount ?? 0;
    if (discount > goods)
      throw new AppError('validation_failed', 'a line discount is larger than the line', { title: l.title });
    return { ...l, goods, discount };
  });
  const goodsAmount = lines.reduce((sum, l) => sum + l.goods, 0);
  const lineDiscounts = lines.reduce((sum, l) => sum + l.discount, 0);
  const orderDiscount = input.orderDiscount ?? 0;
  const payable = goodsAmount - lineDiscounts - orderDiscount;
  if (payable <= 0) throw new AppError('validation_failed', 'the amount to pay must be above zero');

  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const store = await trx
        .selectFrom('stores')
        .select('id')
        .where('id', '=', input.storeId)
        .where('merchant_id', '=', app.merchantId)
        .executeTakeFirst();
      if (!store) throw new AppError('validation_failed', 'unknown store', { storeId: input.storeId });
      if (input.operatorId !== undefined) {
        const operator = await trx
          .selectFrom('staff')
          .select('id')
          .where('id', '=', input.operatorId)
          .where('merchant_id', '=', app.merchantId)
          .executeTakeFirst();
        if (!operator) throw new AppError('validation_failed', 'unknown operator', { operatorId: input.operatorId });
      }
      if (input.memberId !== undefined) {
        const member = await trx
          .selectFrom('members')
          .select('id')
          .where('id', '=', input.memberId)
          .where('merchant_id', '=', app.merchantId)
          .executeTakeFirst();
        if (!member) throw new AppError('validation_failed', 'unknown member', { memberId: input.memberId });
      }
      const catalog = lines.filter((l) => l.productId !== null).map((l) => l.productId!);
      if (catalog.length) {
        const known = await trx
          .selectFrom('products')
          .select('id')
          .where('id', 'in', catalog)
          .where('merchant_id', '=', app.merchantId)
          .execute();
        const missing = catalog.find((id) => !known.some((k) => k.id === id));
        if (missing !== undefined) throw new AppError('not_found', 'product not found', { productId: missing });
        await reserveStock(
          trx,
          lines
            .filter((l) => l.productId !== null)
            .map((l) => ({ productId: l.productId!, skuId: null, quantity: l.quantity })),
        );
      }
      const orderNo = await nextOrderNo(trx, now, ctx.config.timeZone);
      const order = await trx
        .insertInto('orders')
        .values({
          order_no: orderNo,
          merchant_id: app.merchantId,
          store_id: input.storeId,
          member_id: input.memberId ?? null,
          order_type: input.tradeType === 'recharge' ? 'recharge' : 'pos',
          client: 'POS',
          operator_id: input.operatorId ?? null,
          status: 'pending_payment',
          goods_amount: goodsAmount,
          coupon_discount: orderDiscount,
          discount_amount: lineDiscounts + orderDiscount,
          shipping_fee: 0,
          payable_amount: payable,
          coupon_id: null,
          deposit_mode: input.depositMode ?? false,
          app_id: app.appId,
          merchant_order_no: input.merchantOrderNo,
          coupon_code: input.couponCode ?? '',
          subject: input.subject ?? lines[0]!.title,
          merchant_remark: input.remark ?? '',
          recharge_rule_id: input.rechargeBonus?.ruleId ?? null,
          recharge_bonus: input.rechargeBonus?.balance ?? 0,
          recharge_bonus_points: input.rechargeBonus?.points ?? 0,
          client_ip: input.clientIp ?? '',
          device: input.device ?? '',
          created_at: now,
          expires_at: unpaidOrderDeadline(now, app.merchantId),
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // the order-level discount is shared over the lines like a coupon, so refunds per line stay exact
      const shares = shareOrderDiscount(
        lines.map((l) => l.goods - l.discount),
        orderDiscount,
      );
      await trx
        .insertInto('order_lines')
        .values(
          lines.map((l, i) => ({
            order_id: order.id,
            line_no: i + 1,
            product_id: l.productId,
            options: '[]',
            title: l.title,
            spec: l.spec ?? '',
            list_price: l.listPrice,
            unit_price: l.price,
            quantity: l.quantity,
            goods_amount: l.goods,
            coupon_discount: shares[i]!,
            discount_amount: l.discount + shares[i]!,
            line_total: l.goods - l.discount - shares[i]!,
          })),
        )
        .execute();
      await recordOrderEvent(trx, order.id, 'place', {
        actor: { kind: 'app', id: app.appRowId },
        now,
        to: 'pending_payment',
        data: { merchantOrderNo: input.merchantOrderNo },
      });
      return { orderNo, created: true };
    });
  } catch (err) {
    // the same till number sent twice at once: the unique index decides, the loser returns the winner's order
    if ((err as { code?: string }).code === '23505') {
      const winner = await ctx.db
        .selectFrom('orders')
        .select('order_no')
        .where('app_id', '=', app.appId)
        .where('merchant_order_no', '=', input.merchantOrderNo)
        .executeTakeFirst();
      if (winner) return { orderNo: winner.order_no, created: false };
    }
    throw err;
  }
}

function shareOrderDiscount(lineAmounts: number[], discount: number): number[] {
  return discount === 0 ? lineAmounts.map(() => 0) : allocateByLargestRemainder(discount, lineAmounts);
}
