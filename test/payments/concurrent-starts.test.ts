import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveToken } from '../../src/auth/tokens.ts';
import { ERROR_STATUS, type AppError } from '../../src/errors.ts';
import { cancelOrder } from '../../src/flows/cancel-order.ts';
import { insertAttempt } from '../../src/payments/payment-attempts.ts';
import { startPayment as startPaymentUseCase, type StartedPayment } from '../../src/flows/start-payment.ts';
import { createMember, staffToken } from '../support/actors.ts';
import { buyerPays, eventsOf, orderRow, startPayment, unpaidOrder } from '../support/payments.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = await staffToken(t);
});
afterAll(() => t.close());

const NATIVE = { method: 'wechat', channel: 'native', client: 'PC' } as const;

/** What the (simulated) WeChat gateway says of a trade, asked the way ordo asks it. */
async function gatewayState(outTradeNo: string) {
  const payment = await t.ctx.db
    .selectFrom('payments')
    .select('account_id')
    .where('out_trade_no', '=', outTradeNo)
    .executeTakeFirstOrThrow();
  const { provider } = await t.ctx.payments.providerFor(t.ctx.db, payment.account_id!);
  return (await provider.query(outTradeNo)).state;
}

const attemptsOf = (orderId: number) =>
  t.ctx.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();

/** The simulator pays the QR; the order is then paid once, by that one attempt, to the fen. */
async function expectPaidOnceBy(
  order: { orderNo: string; orderId: number; payable: number },
  qr: string,
  outTradeNo: string,
) {
  const paid = await buyerPays(t, qr);
  expect(paid.status).toBe(200);
  expect(await orderRow(t, order.orderNo)).toMatchObject({
    status: 'paid',
    payment_status: 'paid',
    paid_amount: order.payable,
  });
  const settled = (await attemptsOf(order.orderId)).filter((p) => p.status === 'paid');
  expect(settled).toEqual([expect.objectContaining({ out_trade_no: outTradeNo, amount: order.payable })]);
  expect(await eventsOf(t, order.orderId, 'pay')).toHaveLength(1);
  expect(
    await t.ctx.db.selectFrom('payment_refunds').select('id').where('order_id', '=', order.orderId).execute(),
  ).toEqual([]);
}

describe('identical payment starts at the same moment', () => {
  it('30 at once on one order: every 200 is the one live attempt, the rest a clear 409, and its QR pays the order once', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 12_345);
    const replies = await Promise.all(
      Array.from({ length: 30 }, () => startPayment(t, buyer.token, order.orderNo, NATIVE)),
    );

    const ok = replies.filter((r) => r.status === 200);
    for (const refused of replies.filter((r) => r.status !== 200)) {
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'conflict', message: expect.any(String) });
    }
    expect(ok.length).toBeGreaterThan(0);
    const handedOut = new Set(ok.map((r) => `${r.body.payment.outTradeNo} ${r.body.action.content}`));
    expect(handedOut.size).toBe(1);
    const { outTradeNo } = ok[0]!.body.payment;
    // nothing was closed: the one attempt is the only one, and it is waiting at the gateway
    expect((await attemptsOf(order.orderId)).map((p) => [p.out_trade_no, p.status, p.amount])).toEqual([
      [outTradeNo, 'processing', order.payable],
    ]);
    expect(await gatewayState(outTradeNo)).toBe('unpaid');

    await expectPaidOnceBy(order, ok[0]!.body.action.content, outTradeNo);
  });

  it('from two ordo processes on one database: still one live attempt for all', async () => {
    const second = await t.openSecondContext();
    try {
      const buyer = await createMember(t);
      const order = await unpaidOrder(t, admin, buyer.token, 9_901);
      const principal = (await resolveToken(t.ctx.db, buyer.token, t.clock.now()))!;
      const viaSecond = (): Promise<{
        status: number;
        payment?: StartedPayment['payment'];
        action?: StartedPayment['action'];
        code?: string;
      }> =>
        startPaymentUseCase(second.ctx, principal, { orderNo: order.orderNo, ...NATIVE }).then(
          (started) => ({ status: 200, ...started }),
          (err: AppError) => ({ status: ERROR_STATUS[err.code] as number, code: err.code }),
        );
      const viaFirst = () =>
        startPayment(t, buyer.token, order.orderNo, NATIVE).then((r) => ({
          status: r.status,
          payment: r.body.payment,
          action: r.body.action,
          code: r.body.error?.code,
        }));
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? viaSecond() : viaFirst())));

      for (const refused of replies.filter((r) => r.status !== 200))
        expect(refused).toMatchObject({ status: 409, code: 'conflict' });
      const ok = replies.filter((r) => r.status === 200);
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(ok.map((r) => r.payment!.outTradeNo)).size).toBe(1);
      const live = ok[0]!;
      if (live.action?.kind !== 'qr') throw new Error(`expected a QR, got ${JSON.stringify(live.action)}`);
      expect(new Set(ok.map((r) => JSON.stringify(r.action))).size).toBe(1);
      expect((await attemptsOf(order.orderId)).map((p) => p.status)).toEqual(['processing']);

      await expectPaidOnceBy(order, live.action.content, live.payment!.outTradeNo);
    } finally {
      await second.close();
    }
  });
});

describe('a refused payment leaves the live attempt alone', () => {
  it('a balance payment refused for 余额不足 keeps the waiting WeChat mini-program attempt payable', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 12_345);
    await t.ctx.db
      .updateTable('members')
      .set({ balance: order.payable - 1 })
      .where('id', '=', buyer.memberId)
      .execute();
    const mini = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'mini',
      client: 'MP-WEIXIN',
      openId: 'o-concurrent-starts',
    });
    expect(mini.status).toBe(200);
    const { outTradeNo } = mini.body.payment;

    const refused = await startPayment(t, buyer.token, order.orderNo, { method: 'balance', client: 'MP-WEIXIN' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('insufficient_balance');

    expect((await attemptsOf(order.orderId)).map((p) => [p.out_trade_no, p.status])).toEqual([
      [outTradeNo, 'processing'],
    ]);
    expect(await gatewayState(outTradeNo)).toBe('unpaid');
    const member = await t.ctx.db
      .selectFrom('members')
      .select(['balance', 'pay_money'])
      .where('id', '=', buyer.memberId)
      .executeTakeFirstOrThrow();
    expect(member).toEqual({ balance: order.payable - 1, pay_money: 0 });
    // starting the same again still shows the same attempt
    const again = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'mini',
      client: 'MP-WEIXIN',
      openId: 'o-concurrent-starts',
    });
    expect(again.body.payment.outTradeNo).toBe(outTradeNo);

    await expectPaidOnceBy(order, mini.body.action.params.package, outTradeNo);
    expect(
      (
        await t.ctx.db
          .selectFrom('members')
          .select('balance')
          .where('id', '=', buyer.memberId)
          .executeTakeFirstOrThrow()
      ).balance,
    ).toBe(order.payable - 1);
  });

  it('a balance payment that goes ahead closes the WeChat attempt first and is charged once', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 12_345);
    await t.ctx.db.updateTable('members').set({ balance: order.payable }).where('id', '=', buyer.memberId).execute();
    const mini = await startPayment(t, buyer.token, order.orderNo, {
      method: 'wechat',
      channel: 'mini',
      client: 'MP-WEIXIN',
      openId: 'o-concurrent-starts',
    });
    const paid = await startPayment(t, buyer.token, order.orderNo, { method: 'balance', client: 'MP-WEIXIN' });
    expect(paid.status).toBe(200);
    expect(paid.body.payment).toMatchObject({ status: 'paid', method: 'balance', amount: order.payable });
    expect((await attemptsOf(order.orderId)).map((p) => [p.method, p.status])).toEqual([
      ['wechat', 'closed'],
      ['balance', 'paid'],
    ]);
    expect(await gatewayState(mini.body.payment.outTradeNo)).toBe('closed');
    expect(await orderRow(t, order.orderNo)).toMatchObject({ status: 'paid', paid_amount: order.payable });
    expect(
      (
        await t.ctx.db
          .selectFrom('members')
          .select('balance')
          .where('id', '=', buyer.memberId)
          .executeTakeFirstOrThrow()
      ).balance,
    ).toBe(0);
  });
});

describe('an attempt still being started', () => {
  /** An attempt as a start leaves it between its insert and the gateway's answer. */
  async function startingAttempt(order: { orderNo: string }) {
    const row = await orderRow(t, order.orderNo);
    const wechat = await t.ctx.db
      .selectFrom('payment_methods')
      .select('account_id')
      .where('store_id', '=', row.store_id)
      .where('client', '=', 'PC')
      .where('method', '=', 'wechat')
      .executeTakeFirstOrThrow();
    return insertAttempt(t.ctx.db, row, {
      method: 'wechat',
      channel: 'native',
      provider: 'wechatpay',
      accountId: wechat.account_id,
      client: 'PC',
      now: t.clock.now(),
    });
  }

  it('is not closed by another method: that start gets a 409 to retry and changes nothing', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 5_000);
    const starting = await startingAttempt(order);
    const other = await startPayment(t, buyer.token, order.orderNo, { method: 'alipay', client: 'PC' });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('being started') });
    expect((await attemptsOf(order.orderId)).map((p) => [p.out_trade_no, p.status])).toEqual([
      [starting.out_trade_no, 'processing'],
    ]);
  });

  it('left by a process that stopped mid-call is closed after a minute, and a fresh QR pays the order once', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 7_777);
    const abandoned = await startingAttempt(order);
    t.clock.advance(61_000);
    const started = await startPayment(t, buyer.token, order.orderNo, NATIVE);
    expect(started.status).toBe(200);
    expect(started.body.payment.outTradeNo).not.toBe(abandoned.out_trade_no);
    expect((await attemptsOf(order.orderId)).map((p) => p.status)).toEqual(['closed', 'processing']);
    await expectPaidOnceBy(order, started.body.action.content, started.body.payment.outTradeNo);
  });
});

describe('an attempt ended while its gateway call is under way', () => {
  it('is never handed out: the order cancelled mid-start answers 409, not a QR of a closed attempt', async () => {
    const buyer = await createMember(t);
    const order = await unpaidOrder(t, admin, buyer.token, 4_321);
    const principal = (await resolveToken(t.ctx.db, buyer.token, t.clock.now()))!;
    const providerFor = t.ctx.payments.providerFor;
    // the buyer cancels in another tab just as the gateway is creating the trade
    t.ctx.payments.providerFor = async (db, accountId) => {
      const gateway = await providerFor(db, accountId);
      const create: typeof gateway.provider.create = async (request) => {
        await cancelOrder(t.ctx, principal, order.orderNo);
        return gateway.provider.create(request);
      };
      return { ...gateway, provider: { ...gateway.provider, create } };
    };
    try {
      const started = await startPayment(t, buyer.token, order.orderNo, NATIVE);
      expect(started.status).toBe(409);
      expect(started.body.error.code).toBe('conflict');
    } finally {
      t.ctx.payments.providerFor = providerFor;
    }
    expect(await orderRow(t, order.orderNo)).toMatchObject({ status: 'cancelled', paid_amount: 0 });
    const attempts = await attemptsOf(order.orderId);
    expect(attempts.map((p) => [p.status, p.action])).toEqual([['closed', null]]);
    // the trade the gateway created after the cancel is closed there too
    expect(await gatewayState(attempts[0]!.out_trade_no)).toBe('closed');
  });
});
