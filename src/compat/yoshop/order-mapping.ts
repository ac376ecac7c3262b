import type { OrderView } from '../../orders/order-view.ts';
import { ORDER_TYPE_PHYSICAL } from './checkout-mapping.ts';
import { absoluteImage, toYoshopOrder, yoshopTime, type MappingEnv } from './mapping.ts';

/**
 * The order pages (pages/order/index.vue, detail.vue, express/index.vue): the order as mapping.ts shapes it, plus
 * `order_type` (the detail shows the address block only for 10 实物订单), the goods count, and the parcels.
 */

/** A parcel staff sent, as the shipping module lists it. */
export interface ShipmentLike {
  id: number;
  carrier: string;
  trackingNumbers: string[];
  createdAt: Date;
  lines: { lineId: number; quantity: number }[];
}

/** delivery_method: 10 手动发货 (a carrier and tracking number staff typed in); ordo records no other kind. */
const DELIVERY_METHOD_MANUAL = 10;

/** One parcel as `order.delivery[]` and `order/express`'s `express[]` read it; ordo keeps no carrier trace. */
function toParcel(s: ShipmentLike, o: OrderView, env: MappingEnv) {
  return {
    delivery_id: s.id,
    delivery_method: DELIVERY_METHOD_MANUAL,
    express: { express_name: s.carrier },
    express_no: s.trackingNumbers.join(','),
    create_time: yoshopTime(s.createdAt, env.timeZone),
    goods: s.lines.map((sl) => {
      const line = o.lines.find((l) => l.id === sl.lineId);
      return {
        order_goods_id: sl.lineId,
        delivery_num: sl.quantity,
        goods: {
          goods_name: line?.title ?? '',
          goods_image: absoluteImage(line?.imageUrl ?? '', env.publicUrl),
        },
      };
    }),
    traces: [] as { context: string; time: string }[],
  };
}

/** order/list item. */
export function toOrderListItem(o: OrderView, env: MappingEnv) {
  return {
    ...toYoshopOrder(o, env),
    order_type: ORDER_TYPE_PHYSICAL,
    total_num: o.lines.reduce((n, l) => n + l.quantity, 0),
  };
}

/** order/detail `order`, with its parcels. */
export function toOrderDetail(o: OrderView, shipments: ShipmentLike[], env: MappingEnv) {
  return { ...toOrderListItem(o, env), delivery: shipments.map((s) => toParcel(s, o, env)) };
}

/** order/express `express`: every parcel (the page shows a tab per parcel when there are several). */
export const toExpressList = (o: OrderView, shipments: ShipmentLike[], env: MappingEnv) =>
  shipments.map((s) => toParcel(s, o, env));
