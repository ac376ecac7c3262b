/**
 * How a physical order reaches the buyer: `express` ships it to the order's address snapshot; `pickup` means the
 * buyer collects it at the order's store (no address, no shipping fee). Till sales and top-ups are not shipments:
 * their orders have no delivery (null).
 */
export const DELIVERIES = ['express', 'pickup'] as const;
export type Delivery = (typeof DELIVERIES)[number];
