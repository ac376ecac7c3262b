import { AppError } from '../../../errors.ts';
import { requestRefund } from '../../../flows/request-refund.ts';
import { listStores } from '../../../merchants/stores.ts';
import { getOrder } from '../../../orders/get-order.ts';
import { listMemberRefunds } from '../../../refunds/member-refunds.ts';
import { orderLineOf } from '../lookups.ts';
import { ok, paginator, REFUND_TYPES, toRefundGoods, yuan } from '../mapping.ts';
import { bad, int, obj, PAGE_SIZE, pageOf, reqInt, reqStr } from '../params.ts';
import { REFUND_LIST_STATES, toRefundDetail, toRefundListItem } from '../refund-mapping.ts';
import type { MemberRoutes } from '../route-table.ts';

/** After-sales: the member's refund requests, the good one is about, one request, applying for one. */
export const refundRoutes: MemberRoutes = {
  'refund/list': async ({ ctx, env, member, p }) => {
    const page = pageOf(p);
    const inState = REFUND_LIST_STATES[int(p, 'state', { optional: true, min: -1, max: 99 }) ?? -1];
    if (!inState) throw bad('参数 state 无效');
    const all = (await listMemberRefunds(ctx, member, { limit: 10_000 })).filter((r) => inState(r.status));
    const data = await Promise.all(
      all
        .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
        .map(async (r) => toRefundListItem(r, await getOrder(ctx, member, r.orderNo), env)),
    );
    return ok({ list: paginator(data, page, PAGE_SIZE, all.length) });
  },
  'refund/goods': async ({ ctx, env, member, p }) => {
    const { orderNo, lineId } = await orderLineOf(ctx, member, reqInt(p, 'orderGoodsId'));
    const order = await getOrder(ctx, member, orderNo);
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) throw bad('很抱歉，订单商品不存在');
    return ok({ goods: toRefundGoods(order, line, env) });
  },
  'refund/detail': async ({ ctx, env, member, p }) => {
    const refundNo = reqStr(p, 'orderRefundId', 64);
    const [r] = await listMemberRefunds(ctx, member, { refundNo });
    if (!r) throw new AppError('not_found', '很抱歉，售后单不存在');
    const order = await getOrder(ctx, member, r.orderNo);
    const store = (await listStores(ctx, member.merchantId)).find((s) => s.id === order.storeId);
    return ok({ detail: toRefundDetail(r, order, store, env) });
  },
  'refund/apply': async ({ ctx, member, p }) => {
    const { orderNo, lineId } = await orderLineOf(ctx, member, reqInt(p, 'orderGoodsId'));
    const form = obj(p, 'form')!;
    const type = reqInt(form, 'type', 10, 20);
    const kind = REFUND_TYPES[type];
    if (!kind) throw bad('很抱歉，暂不支持换货，请选择退货退款');
    const content = reqStr(form, 'content', 500).trim();
    if (!content) throw bad('请填写申请原因');
    const images = form.images;
    if (
      images !== undefined &&
      (!Array.isArray(images) || images.length > 9 || images.some((i) => typeof i !== 'string' || i.length > 500))
    )
      throw bad('参数 images 无效');
    const requested = await requestRefund(ctx, member, orderNo, {
      kind,
      reason: content,
      imageUrls: (images as string[] | undefined) ?? [],
      lines: [{ lineId }],
    });
    return ok({ refundNo: requested.refundNo, refund_money: yuan(requested.amount) }, '提交成功');
  },
};
