import type { RefundRequestStatus } from '../../domain/refund-request-status.ts';
import type { Store } from '../../merchants/stores.ts';
import type { OrderView } from '../../orders/order-view.ts';
import { absoluteImage, REFUND_TYPE_OF, toOrderGoods, yoshopTime, yuan, type MappingEnv } from './mapping.ts';

/**
 * The after-sales pages (pages/refund/index.vue, detail.vue): each request with the one order good it is about,
 * its review (`audit_status`: 0 待审核, 10 已同意, 20 已拒绝) and progress (`status`: 0 进行中, 10 已拒绝, 20 已完成,
 * 30 已取消), and the text the page shows for the pair.
 */

interface RefundState {
  audit_status: number;
  status: number;
  state_text: string;
}

/** Every ordo refund request status, so a new one cannot fall through to "waiting". */
export const REFUND_STATES: Record<RefundRequestStatus, RefundState> = {
  requested: { audit_status: 0, status: 0, state_text: '等待审核中' },
  refunding: { audit_status: 10, status: 0, state_text: '已同意，退款处理中' },
  refunded: { audit_status: 10, status: 20, state_text: '已退款' },
  rejected: { audit_status: 20, status: 10, state_text: '已拒绝' },
  // the provider could not send the money back: final in ordo, staff settle it with the buyer
  failed: { audit_status: 10, status: 0, state_text: '退款失败，请联系商家' },
};

/** refund/list `state`: -1 every request, 0 the ones still in progress (进行中). */
export const REFUND_LIST_STATES: Record<number, (status: RefundRequestStatus) => boolean> = {
  [-1]: () => true,
  0: (status) => REFUND_STATES[status].status === 0,
};

export interface RefundLike {
  refundNo: string;
  orderNo: string;
  kind: string;
  status: RefundRequestStatus;
  amount: number;
  reason: string;
  imageUrls: string[];
  reviewNote: string | null;
  lines: { lineId: number }[];
  createdAt: Date;
  returnParcel: { carrier: string; trackingNo: string; sentAt: Date } | null;
}

function refundBase(r: RefundLike, o: OrderView, env: MappingEnv) {
  const lineId = r.lines[0]?.lineId ?? 0;
  const goods = toOrderGoods({ ...o, lines: o.lines.filter((l) => l.id === lineId) }, env)[0] ?? null;
  return {
    order_refund_id: r.refundNo,
    order_id: o.id,
    order_no: r.orderNo,
    order_goods_id: lineId,
    type: REFUND_TYPE_OF[r.kind] ?? 10,
    refund_money: yuan(r.amount),
    ...REFUND_STATES[r.status],
    create_time: yoshopTime(r.createdAt, env.timeZone),
    orderGoods: goods,
  };
}

/** refund/list item. */
export const toRefundListItem = (r: RefundLike, o: OrderView, env: MappingEnv) => refundBase(r, o, env);

/** refund/detail `detail`: `address` is where the goods go back to (the order's store), shown once approved. */
export function toRefundDetail(r: RefundLike, o: OrderView, store: Store | undefined, env: MappingEnv) {
  return {
    ...refundBase(r, o, env),
    apply_desc: r.reason,
    images: r.imageUrls.map((u) => ({ image_url: absoluteImage(u, env.publicUrl) })),
    refuse_desc: r.status === 'rejected' ? (r.reviewNote ?? '') : '',
    address: {
      name: store?.name ?? '',
      phone: store?.phone ?? '',
      region: { province: store?.province ?? '', city: store?.city ?? '', region: store?.district ?? '' },
      detail: store?.address ?? '',
    },
    is_user_send: r.returnParcel ? 1 : 0,
    express: { express_name: r.returnParcel?.carrier ?? '' },
    express_no: r.returnParcel?.trackingNo ?? '',
    send_time: r.returnParcel ? yoshopTime(r.returnParcel.sentAt, env.timeZone) : '',
  };
}
