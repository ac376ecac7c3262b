import { api } from './api.ts';
import { createProduct, placeOrder } from './actors.ts';
import type { TestApp } from './test-app.ts';

/** An unpaid order of one product line; returns its number, amount and product. */
export async function unpaidOrder(t: TestApp, admin: string, buyerToken: string, price = 12_345, quantity = 1) {
  const product = await createProduct(t, admin, { price, stock: 100 });
  const placed = await placeOrder(t, buyerToken, { lines: [{ productId: product.id, quantity }] });
  if (placed.status !== 201) throw new Error(`order failed: ${JSON.stringify(placed.body)}`);
  return {
    orderNo: placed.body.orderNo as string,
    orderId: placed.body.id as number,
    payable: placed.body.payableAmount as number,
    productId: product.id,
  };
}

export async function startPayment(t: TestApp, token: string, orderNo: string, body: Record<string, unknown>) {
  return api(t, 'POST', `/v1/orders/${orderNo}/payments`, { token, body });
}

/** The buyer pays at the simulated gateway, and the notification (if any) has been handled when this returns. */
export async function buyerPays(t: TestApp, content: string) {
  const reply = await api(t, 'POST', '/sandbox/pay', { body: { content } });
  await t.sandbox.simulator.settle();
  return reply;
}

export async function orderRow(t: TestApp, orderNo: string) {
  return t.ctx.db.selectFrom('orders').selectAll().where('order_no', '=', orderNo).executeTakeFirstOrThrow();
}

export async function eventsOf(t: TestApp, orderId: number, action?: string) {
  let q = t.ctx.db.selectFrom('order_events').selectAll().where('order_id', '=', orderId);
  if (action) q = q.where('action', '=', action);
  return q.orderBy('id').execute();
}

/** A tiny valid PNG (1×1) for voucher uploads. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export function multipartBody(
  fields: Record<string, string>,
  files: { name: string; filename: string; type: string; data: Buffer }[],
) {
  const boundary = `----ordo${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\ncontent-type: ${f.type}\r\n\r\n`,
      ),
    );
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
