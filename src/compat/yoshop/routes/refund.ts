import { AppError } from '../../../errors.ts';
import { requestRefund } from '../../../flows/request-refund.ts';
import { getOrder } from '../../../orders/get-order.ts';
import { listMemberRefunds } from '../../../refunds/member-refunds.ts';
import { orderLineOf } from '../lookups.ts';
import {
  absoluteImage,
  ok,
  paginator,
  REFUND_STATES,
  REFUND_TYPE_OF,
  REFUND_TYPES,
  toOrderGoods,
  toRefundGoods,
  yoshopTime,
  yuan,
} from '../mapping.ts';
import { bad, obj, PAGE_SIZE, pageOf, reqInt, reqStr } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';

/** After-sales: the member's refund requests, the good one is about, one request, applying for one. */
export const refundRoutes: MemberRoutes = {
  'refund/list': async ({ ctx, env, member, p }) => {
    const page = pageOf(p);
    const all = await listMemberRefunds(ctx, member, { limit: 10_000 });
    const data = all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => ({
      order_refund_id: r.refundNo,
      order_no: r.orderNo,
      type: REFUND_TYPE_OF[r.kind] ?? 10,
      apply_desc: r.reason,
      refund_money: yuan(r.amount),
      ...(REFUND_STATES[r.status] ?? REFUND_STATES.requested!),
      order_goods_id: r.lines[0]?.lineId ?? 0,
      create_time: yoshopTime(r.createdAt, env.timeZone),
    }));
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
    const lineIds = new Set(r.lines.map((l) => l.lineId));
    return ok({
      detail: {
        order_refund_id: r.refundNo,
        order_id: order.id,
        order_no: r.orderNo,
        order_goods_id: r.lines[0]?.lineId ?? 0,
        type: REFUND_TYPE_OF[r.kind] ?? 10,
        apply_desc: r.reason,
        images: r.imageUrls.map((u) => ({ image_url: absoluteImage(u, env.publicUrl) })),
        refund_money: yuan(r.amount),
        refuse_desc: r.status === 'rejected' ? (r.reviewNote ?? '') : '',
        ...(REFUND_STATES[r.status] ?? REFUND_STATES.requested!),
        create_time: yoshopTime(r.createdAt, env.timeZone),
        orderGoods: toOrderGoods({ ...order, lines: order.lines.filter((l) => lineIds.has(l.id)) }, env),
      },
    });
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
