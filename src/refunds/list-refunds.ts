import type { Db } from '../db/connect.ts';

/** Refund requests, newest first, narrowed to an order, a merchant, a member (their own orders), a status or one refund number. */
export async function listRefunds(
  db: Db,
  filter: {
    orderId?: number;
    merchantId?: number;
    memberId?: number;
    refundNo?: string;
    status?: string;
    limit?: number;
  },
) {
  let query = db
    .selectFrom('refund_requests as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .selectAll('r')
    .select('o.order_no');
  if (filter.orderId !== undefined) query = query.where('r.order_id', '=', filter.orderId);
  if (filter.merchantId !== undefined) query = query.where('r.merchant_id', '=', filter.merchantId);
  if (filter.memberId !== undefined) query = query.where('o.member_id', '=', filter.memberId);
  if (filter.refundNo !== undefined) query = query.where('r.refund_no', '=', filter.refundNo);
  if (filter.status) query = query.where('r.status', '=', filter.status as never);
  const rows = await query
    .orderBy('r.id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  const lines = rows.length
    ? await db
        .selectFrom('refund_request_lines')
        .selectAll()
        .where(
          'refund_request_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  return rows.map((r) => ({
    refundNo: r.refund_no,
    orderNo: r.order_no,
    kind: r.kind,
    status: r.status,
    amount: r.amount,
    shippingAmount: r.shipping_amount,
    reason: r.reason,
    imageUrls: r.image_urls,
    reviewNote: r.review_note,
    lines: lines
      .filter((l) => l.refund_request_id === r.id)
      .map((l) => ({ lineId: l.order_line_id, amount: l.amount })),
    createdAt: r.created_at,
    completedAt: r.completed_at,
    /** how the buyer sent the goods of a return back (refunds/return-parcel.ts), or null before they did */
    returnParcel: r.return_sent_at
      ? { carrier: r.return_carrier, trackingNo: r.return_tracking_no, sentAt: r.return_sent_at }
      : null,
  }));
}
