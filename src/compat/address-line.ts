import type { OrderView } from '../orders/order-view.ts';

/** The `address` of a pickup order (collected at the order's store, which the dialects' answers name). */
export const PICKUP_ADDRESS = '到店自提';

/**
 * An order's address as the one line the storefront and wholesale answers show: the receiver's address, or for a
 * pickup order where it goes instead of an empty string.
 */
export function addressLine(order: Pick<OrderView, 'address' | 'delivery'>): string {
  const a = order.address;
  if (a) return [a.province, a.city, a.district, a.address].filter(Boolean).join(' ');
  return order.delivery === 'pickup' ? PICKUP_ADDRESS : '';
}
