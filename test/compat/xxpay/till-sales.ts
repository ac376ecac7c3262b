import { expect } from 'vitest';
import { DEMO } from '../../../src/demo/seed-demo.ts';
import { api } from '../../support/api.ts';
import { staffToken } from '../../support/actors.ts';
import { createMerchantApp } from '../../support/merchant-api.ts';
import type { TestApp } from '../../support/test-app.ts';
import { consoleCall, consoleLogin } from './console-client.ts';

/** A merchant ready to sell at the till: an app to act through, the admin's refund password, a console session. */
export async function tillReady(t: TestApp): Promise<string> {
  const admin = await staffToken(t);
  await createMerchantApp(t, admin);
  const adminRow = await t.ctx.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
  await api(t, 'PUT', `/v1/admin/staff/${adminRow.id}/refund-password`, { token: admin, body: { password: '888888' } });
  return consoleLogin(t, DEMO.staff[0]!.username, DEMO.staff[0]!.password);
}

/** A cash sale at the till (yuan as the cashier types them); its trade order number. */
export async function cashSale(t: TestApp, token: string, fields: Record<string, string>): Promise<string> {
  const sale = await consoleCall(t, 'memberPay/cash', fields, token, 'POST');
  expect(sale.code).toBe(0);
  return sale.data.tradeOrderId;
}

/** A sale paid from the demo member's balance (found by mobile, as the cashier looks members up). */
export async function balanceSale(t: TestApp, token: string, requiredAmount: string): Promise<string> {
  const sale = await consoleCall(t, 'memberPay/balance', { requiredAmount, mobile: DEMO.member.mobile }, token, 'POST');
  expect(sale.code).toBe(0);
  return sale.data.tradeOrderId;
}

/** A refund at the till (memberPay/refund2, the admin's refund password); its refund number (the refund order's id). */
export async function refund(t: TestApp, token: string, tradeOrderId: string, refundAmount: string): Promise<string> {
  const done = await consoleCall(
    t,
    'memberPay/refund2',
    { tradeOrderId, refundAmount, refundPassword: '888888' },
    token,
    'POST',
  );
  expect(done.code).toBe(0);
  return done.data.refundOrderId;
}
