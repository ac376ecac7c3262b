import { reviewOrder } from '../../../flows/receive-and-complete.ts';
import { memberUploadPaths } from '../../../members/member-uploads.ts';
import type { OrderView } from '../../../orders/order-view.ts';
import { orderOf } from '../lookups.ts';
import { ok, toOrderGoods } from '../mapping.ts';
import { bad, reqInt, type Params } from '../params.ts';
import { refusedAs } from '../refusals.ts';
import { MAX_REVIEW_PICTURES, orderReviewOf, STARS_OF_SCORE, type GoodsReview } from '../review-mapping.ts';
import type { MemberCall, MemberRoutes } from '../route-table.ts';
import { uploadNameOf } from '../upload-mapping.ts';

/** The member's order as long as it waits for its review (received, not yet completed), else the page's refusal. */
async function orderToReview({ ctx, member, p }: MemberCall): Promise<OrderView> {
  const order = await orderOf(ctx, member, reqInt(p, 'orderId'));
  if (order.status === 'completed') throw bad('该订单已完成评价');
  if (order.status !== 'received') throw bad('该订单还未确认收货，暂不能评价');
  if (!order.lines.some((l) => l.productId !== null)) throw bad('该订单没有可评价的商品');
  return order;
}

/** One good's part of the page's form; a good without words is not reviewed (the page says 留空则不评价). */
function goodsReviewOf(item: unknown, i: number, lineIds: Set<number>): GoodsReview {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(`参数 form[${i}] 必须是对象`);
  const f = item as Params;
  const lineId = reqInt(f, 'order_goods_id');
  if (!lineIds.has(lineId)) throw bad('很抱歉，订单商品不存在');
  const score = reqInt(f, 'score', 10, 30);
  if (!STARS_OF_SCORE[score]) throw bad('参数 score 无效');
  const content = f.content ?? '';
  if (typeof content !== 'string' || content.length > 500) throw bad('评价内容不能超过500个字');
  const uploaded = f.uploaded ?? [];
  if (!Array.isArray(uploaded) || uploaded.length > MAX_REVIEW_PICTURES) throw bad('参数 uploaded 无效');
  const pictures = uploaded.map((id) => uploadNameOf(id));
  if (pictures.some((n) => n === null)) throw bad('图片不存在，请重新上传');
  return { lineId, score, content: content.trim(), pictures: pictures as string[] };
}

/**
 * Reviewing a finished order (pages/order/comment): the goods waiting for a review, and the review, which is
 * ordo's review of the order (POST /v1/orders/{orderNo}/review): it completes the order and shows on the goods pages.
 */
export const reviewRoutes: MemberRoutes = {
  'order.comment/list': async (call) => {
    const order = await orderToReview(call);
    return ok({ goodsList: toOrderGoods(order, call.env).filter((g) => g.goods_id !== 0) });
  },
  'order.comment/submit': async (call) => {
    const { ctx, member, p } = call;
    const order = await orderToReview(call);
    const form = p.form;
    if (!Array.isArray(form) || form.length === 0 || form.length > order.lines.length)
      throw bad('缺少必要的参数: form');
    const lineIds = new Set(order.lines.filter((l) => l.productId !== null).map((l) => l.id));
    const goods = form.map((item, i) => goodsReviewOf(item, i, lineIds));
    if (new Set(goods.map((g) => g.lineId)).size !== goods.length) throw bad('参数 form 有重复的商品');
    if (!goods.some((g) => g.content !== '')) throw bad('请至少填写一件商品的评价内容');
    const review = orderReviewOf(order, goods);
    if (review.pictures.length > MAX_REVIEW_PICTURES) throw bad(`一次评价最多上传${MAX_REVIEW_PICTURES}张图片`);
    const imageUrls = await memberUploadPaths(ctx, member.memberId, review.pictures).catch(
      refusedAs('not_found', '图片不存在，请重新上传'),
    );
    await reviewOrder(ctx, member, order.orderNo, { rating: review.rating, content: review.content, imageUrls }).catch(
      refusedAs('invalid_state', '该订单已完成评价'),
    );
    return ok([], '评价发表成功');
  },
};
