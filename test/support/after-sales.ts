import { api } from './api.ts';
import { createProduct, placeOrder } from './actors.ts';
import { startPayment } from './payments.ts';
import type { TestApp } from './test-app.ts';

/** A paid order (balance) of the given lines; returns its number, id, lines and amounts. */
export async function paidOrder(
  t: TestApp,
  admin: string,
  buyer: { memberId: number; token: string },
  lines: { price: number; quantity: number }[],
  extra: Record<string, unknown> = {},
) {
  const products: { id: number }[] = [];
  for (const l of lines) products.push(await createProduct(t, admin, { price: l.price, stock: 100 }));
  const placed = await placeOrder(t, buyer.token, {
    lines: lines.map((l, i) => ({ productId: products[i]!.id, quantity: l.quantity })),
    ...extra,
  });
  if (placed.status !== 201) throw new Error(`order failed: ${JSON.stringify(placed.body)}`);
  await t.ctx.db
    .updateTable('members')
    .set({ balance: placed.body.payableAmount })
    .where('id', '=', buyer.memberId)
    .execute();
  const paid = await startPayment(t, buyer.token, placed.body.orderNo, { method: 'balance', client: 'H5' });
  if (paid.status !== 200) throw new Error(`payment failed: ${JSON.stringify(paid.body)}`);
  return {
    orderNo: placed.body.orderNo as string,
    orderId: placed.body.id as number,
    payable: placed.body.payableAmount as number,
    lines: placed.body.lines as {
      id: number;
      lineTotal: number;
      quantity: number;
      discountAmount: number;
      productId: number;
    }[],
    productIds: products.map((p) => p.id),
  };
}

export async function ship(t: TestApp, admin: string, orderNo: string, lines?: { lineId: number; quantity: number }[]) {
  return api(t, 'POST', `/v1/admin/orders/${orderNo}/shipments`, {
    token: admin,
    body: { carrier: '顺丰速运', trackingNumbers: ['SF1234567890'], ...(lines ? { lines } : {}) },
  });
}
