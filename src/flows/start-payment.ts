import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { CompiledQuery, type SelectQueryBuilder } from 'kysely';
import { compileOnce } from '../db/compile-once.ts';
import type { Db } from '../db/connect.ts';
import type { Database, OrderRow } from '../db/schema.ts';
import { orderUpdateOf } from '../events/order-updates.ts';
import type { MovedOrder } from '../orders/apply-order-transition.ts';
import { AppError, notFound } from '../errors.ts';
import { insufficientBalance, postLedgerEntry } from '../members/ledger.ts';
import { scopeOrders } from '../orders/order-scope.ts';
import type { Channel, PaymentAction } from '../domain/payment-action.ts';
import { ORDER_TRANSITIONS } from '../domain/order-status.ts';
import { ORDER_PAYMENT_STATES, PAYMENT_TRANSITIONS } from '../domain/payment-status.ts';
import { transitionOf } from '../domain/state-table.ts';
import { applyPaymentTransition } from '../payments/apply-payment-transition.ts';
import { AnotherAttemptLive, insertAttempt } from '../payments/payment-attempts.ts';
import { CHANNELS, methodNotAvailable } from '../payments/payment-methods.ts';
import { toPaymentView, type PaymentView, type PaymentViewColumns } from '../payments/payment-view.ts';
import { liveAttempt, resolveLiveAttempt } from './resolve-live-attempt.ts';
import { afterSettlement, settleInTransaction } from './settle-payment.ts';
import { sqlRefusal } from './sql-refusals.ts';
import {
  anotherStartUnderWay,
  isAbandoned,
  isStarting,
  STARTING_WAIT_MS,
  waitWhileStarting,
} from '../payments/starting-attempt.ts';

export interface StartPaymentInput {
  orderNo: string;
  method: 'wechat' | 'alipay' | 'balance';
  channel?: Channel;
  client: string;
  clientIp?: string;
  openId?: string;
  returnUrl?: string;
}

export interface StartedPayment {
  payment: PaymentView;
  /** what the cashier shows next; null when the payment completed at once (balance) */
  action: PaymentAction | null;
}

/**
 * One round trip: the order, the store's setting for this method and client, whether an attempt is waiting, and the
 * buyer's balance. Built and compiled once, in the two scopes of `scopeOrders`.
 */
const orderToPay = (
  scoped: SelectQueryBuilder<Database, 'orders', OrderRow>,
  orderNo: string,
  client: string,
  method: string,
) =>
  scoped
    .leftJoin('payment_methods as method', (join) =>
      join
        .onRef('method.store_id', '=', 'orders.store_id')
        .on('method.client', '=', client)
        .on('method.method', '=', method)
        .on('method.enabled', '=', true),
    )
    .select((eb) => [
      'method.id as method_id',
      'method.channel as method_channel',
      'method.account_id as method_account_id',
      eb
        .exists(
          eb
            .selectFrom('payments')
            .select('payments.id')
            .whereRef('payments.order_id', '=', 'orders.id')
            .where('payments.status', '=', 'processing'),
        )
        .as('has_live_attempt'),
      eb
        .selectFrom('members')
        .select('members.balance')
        .whereRef('members.id', '=', 'orders.member_id')
        .as('member_balance'),
    ])
    .where('orders.order_no', '=', orderNo);
const memberOrderToPay = compileOnce(
  (db, memberId: number, merchantId: number, orderNo: string, client: string, method: string) =>
    orderToPay(
      scopeOrders(db.selectFrom('orders').selectAll('orders'), { kind: 'member', memberId, merchantId }),
      orderNo,
      client,
      method,
    ),
);
const merchantOrderToPay = compileOnce((db, merchantId: number, orderNo: string, client: string, method: string) =>
  orderToPay(
    scopeOrders(db.selectFrom('orders').selectAll('orders'), { kind: 'merchant', merchantId }),
    orderNo,
    client,
    method,
  ),
);

/** The order's attempt changed while we looked (one being started got its answer): read it all again. */
const LOOK_AGAIN = Symbol('look again');

/**
 * Starts paying an unpaid order with one method. A QR, redirect, form or SDK call comes back for the gateways;
 * balance settles at once in one transaction. Asking again with the same method and channel shows the same
 * attempt — also when the asks arrive together: one request starts the attempt, the others wait for its answer
 * and show it (or get a 409 to retry). Another method first ends the earlier attempt (and settles it if the buyer
 * had paid after all), but only once nothing can refuse the new payment any more, and never an attempt still
 * being started.
 */
export async function startPayment(
  ctx: AppContext,
  principal: Principal,
  input: StartPaymentInput,
): Promise<StartedPayment> {
  const deadline = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    try {
      const started = await startOnce(ctx, principal, input, deadline);
      if (started !== LOOK_AGAIN) return started;
    } catch (err) {
      // another request inserted the order's attempt between our read and our insert: look again
      if (!(err instanceof AnotherAttemptLive) || Date.now() >= deadline) throw err;
    }
  }
}

async function startOnce(
  ctx: AppContext,
  principal: Principal,
  input: StartPaymentInput,
  deadline: number,
): Promise<StartedPayment | typeof LOOK_AGAIN> {
  const found = (
    principal.kind === 'member'
      ? await memberOrderToPay(
          ctx.db,
          principal.memberId,
          principal.merchantId,
          input.orderNo,
          input.client,
          input.method,
        )
      : await merchantOrderToPay(ctx.db, principal.merchantId, input.orderNo, input.client, input.method)
  )[0];
  if (!found) throw notFound('order', { orderNo: input.orderNo });
  const { method_id, method_channel, method_account_id, has_live_attempt, member_balance, ...order } = found;
  assertPayable(order);
  if (method_id === null) throw methodNotAvailable(input.method, input.client);
  const channel = input.method === 'balance' ? '' : (input.channel ?? (method_channel as Channel));
  if (input.method !== 'balance' && !CHANNELS[input.method].includes(channel)) {
    throw new AppError('validation_failed', `${input.method} has no channel ${channel}`, {
      allowed: CHANNELS[input.method],
    });
  }
  const live = has_live_attempt ? await liveAttempt(ctx, order.id) : undefined;
  const same = live !== undefined && live.method === input.method && live.channel === channel;
  if (same && live.action) return { payment: toPaymentView(live), action: live.action as PaymentAction };

  // everything that can refuse this payment is checked before an earlier attempt is touched
  const pay =
    input.method === 'balance'
      ? balancePayment(ctx, principal, order, member_balance)
      : await gatewayPayment(ctx, order, method_account_id, { ...input, channel: channel as Channel });
  if (live && isStarting(live) && !isAbandoned(live, ctx.clock.now())) {
    if (!same) throw anotherStartUnderWay(order.order_no);
    await waitWhileStarting(ctx, live, order.order_no, deadline);
    return LOOK_AGAIN;
  }
  if (live) {
    const outcome = await resolveLiveAttempt(ctx, live);
    if (outcome === 'paid')
      throw new AppError('invalid_state', 'the order was paid by the earlier attempt', { status: 'paid' });
    if (outcome === 'still_open')
      throw new AppError('conflict', 'the earlier payment attempt could not be closed yet; try again shortly');
  }
  return pay();
}

function assertPayable(order: OrderRow) {
  if (order.status !== 'pending_payment') {
    throw new AppError(
      'invalid_state',
      order.status === 'payment_review'
        ? 'a payment voucher is under review'
        : `an order that is ${order.status} cannot be paid`,
      { status: order.status },
    );
  }
  if (order.payable_amount <= 0) throw new AppError('invalid_state', 'nothing to pay');
}

/** Checks that the gateway can be asked, and returns the start itself. */
async function gatewayPayment(
  ctx: AppContext,
  order: OrderRow,
  accountId: number | null,
  input: StartPaymentInput & { channel: Channel },
) {
  if (accountId === null) throw new AppError('unprocessable', `${input.method} has no provider account configured`);
  const gateway = await ctx.payments.providerFor(ctx.db, accountId);
  return () => startGatewayPayment(ctx, order, accountId, gateway, input);
}

async function startGatewayPayment(
  ctx: AppContext,
  order: OrderRow,
  accountId: number,
  { provider, account }: Awaited<ReturnType<AppContext['payments']['providerFor']>>,
  input: StartPaymentInput & { channel: Channel },
): Promise<StartedPayment> {
  const now = ctx.clock.now();
  const payment = await insertAttempt(ctx.db, order, {
    method: input.method,
    channel: input.channel,
    provider: account.provider,
    accountId,
    client: input.client,
    clientIp: input.clientIp,
    now,
  });
  let created;
  try {
    created = await provider.create({
      outTradeNo: payment.out_trade_no,
      amount: payment.amount,
      description: await orderDescription(ctx.db, order),
      channel: input.channel,
      expiresAt: order.expires_at ?? new Date(now.getTime() + 30 * 60_000),
      notifyUrl: ctx.payments.notifyUrl(account.provider, accountId),
      returnUrl: input.returnUrl,
      clientIp: input.clientIp,
      openId: input.openId,
    });
  } catch (err) {
    await applyPaymentTransition(ctx.db, payment, 'fail', ctx.clock.now(), {
      raw: JSON.stringify({ error: String(err) }),
    });
    ctx.log.error({ err, outTradeNo: payment.out_trade_no }, 'gateway refused to create the payment');
    throw new AppError(
      'provider_error',
      'the payment gateway did not accept the payment; try again or choose another method',
    );
  }
  // only while the attempt is still waiting: one closed meanwhile (the order cancelled or expired) is never handed out
  const updated = await ctx.db
    .updateTable('payments')
    .set({
      action: JSON.stringify(created.action),
      raw: JSON.stringify({ create: created.raw }),
      next_check_at: new Date(now.getTime() + 5_000),
      updated_at: now,
    })
    .where('id', '=', payment.id)
    .where('status', '=', 'processing')
    .returningAll()
    .executeTakeFirst();
  if (!updated) {
    // nobody has this trade's QR; closing it at the gateway too leaves nothing there that could take money
    await provider
      .close(payment.out_trade_no)
      .catch((err) =>
        ctx.log.warn({ err, outTradeNo: payment.out_trade_no }, 'could not close a trade created for an ended attempt'),
      );
    throw new AppError(
      'conflict',
      'the payment was ended while it was being started; look at the order and start again',
      { orderNo: order.order_no },
    );
  }
  return { payment: toPaymentView(updated), action: created.action };
}

async function orderDescription(db: Db, order: OrderRow): Promise<string> {
  const first = await db
    .selectFrom('order_lines')
    .select('title')
    .where('order_id', '=', order.id)
    .orderBy('line_no')
    .limit(1)
    .executeTakeFirst();
  return (first?.title ?? `订单 ${order.order_no}`).slice(0, 120);
}

/**
 * Checks that the balance can pay (the buyer's own order, not a top-up, enough balance), and returns the payment
 * itself. The balance is read with the order so that a refusal leaves an earlier attempt alone; the debit re-checks
 * it under its guard, so a balance spent elsewhere in between is refused then (the earlier attempt is closed by
 * that time, and the buyer starts again).
 */
function balancePayment(ctx: AppContext, principal: Principal, order: OrderRow, balance: number | null) {
  if (principal.kind !== 'member' || order.member_id !== principal.memberId)
    throw new AppError('forbidden', 'only the buyer can pay from their balance');
  if (order.order_type === 'recharge')
    throw new AppError('unprocessable', 'a balance top-up cannot be paid from the balance');
  if ((balance ?? 0) < order.payable_amount) throw insufficientBalance('balance');
  const memberId = principal.memberId;
  // a till sale earns its points when it is paid, which the general settlement does
  return order.order_type === 'pos'
    ? () => payWithBalanceAndSettle(ctx, memberId, order)
    : () => payFromBalance(ctx, memberId, order);
}

/** The `pay` moves of the order, its attempt and the order's payment status, as their state tables have them. */
const BALANCE_PAY_MOVES = {
  order: transitionOf(ORDER_TRANSITIONS, 'pay'),
  payment: transitionOf(PAYMENT_TRANSITIONS, 'pay'),
  orderPayment: transitionOf(ORDER_PAYMENT_STATES.transitions, 'pay'),
};

// compiled once: one statement, one transaction
const payStatement = (args: Record<string, unknown>) =>
  CompiledQuery.raw('select ordo_pay_from_balance($1::jsonb) as paid', [JSON.stringify(args)]);

interface PaidFromBalance {
  payment: Omit<PaymentViewColumns, 'action' | 'created_at' | 'paid_at' | 'closed_at'> & {
    created_at: string;
    paid_at: string;
    closed_at: string | null;
  };
  order: MovedOrder;
}

/**
 * Balance pays in one statement (pay-from-balance.sql): the attempt, the debit (never below zero) with its ledger
 * line and the settlement, in one transaction. Other processes hear of it at commit (its NOTIFY), this one after.
 */
async function payFromBalance(ctx: AppContext, memberId: number, order: OrderRow): Promise<StartedPayment> {
  const statement = payStatement({
    orderId: order.id,
    orderNo: order.order_no,
    merchantId: order.merchant_id,
    memberId,
    amount: order.payable_amount,
    client: order.client,
    at: ctx.clock.now(),
    actor: { kind: 'member', id: memberId },
    moves: BALANCE_PAY_MOVES,
    notify: ctx.orderUpdates.notification({}),
  });
  let paid: PaidFromBalance;
  try {
    paid = (await ctx.db.executeQuery<{ paid: PaidFromBalance }>(statement)).rows[0]!.paid;
  } catch (err) {
    // the unique index on waiting attempts: another one was inserted meanwhile
    if ((err as { code?: string }).code === '23505') throw new AnotherAttemptLive(order.order_no);
    const refusal = sqlRefusal(err);
    if (refusal?.code === 'insufficient_balance') throw insufficientBalance('balance');
    if (refusal?.code === 'invalid_state') throw new AppError('invalid_state', 'the order can no longer be paid');
    throw err;
  }
  ctx.orderUpdates.notified(orderUpdateOf(paid.order));
  const { created_at, paid_at, closed_at, ...payment } = paid.payment;
  // JSON carries the times as text
  const times = {
    created_at: new Date(created_at),
    paid_at: new Date(paid_at),
    closed_at: closed_at === null ? null : new Date(closed_at),
  };
  return { payment: toPaymentView({ ...payment, ...times, action: null }), action: null };
}

/** Balance pays in one transaction: debit (never below zero), record the attempt, settle. */
async function payWithBalanceAndSettle(ctx: AppContext, memberId: number, order: OrderRow): Promise<StartedPayment> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const attempt = await insertAttempt(trx, order, {
      method: 'balance',
      provider: 'balance',
      client: order.client,
      now,
    });
    const debited = await postLedgerEntry(trx, {
      merchantId: order.merchant_id,
      memberId,
      account: 'balance',
      delta: -order.payable_amount,
      reason: 'order_payment',
      orderId: order.id,
      paymentId: attempt.id,
      now,
    });
    if (!debited) throw insufficientBalance('balance');
    const result = await settleInTransaction(
      trx,
      { paymentId: attempt.id, paidAt: now, via: 'balance', actor: { kind: 'member', id: memberId } },
      now,
      attempt,
    );
    // The order was checked under no lock; if it stopped being payable meanwhile, roll the debit back.
    if (result.outcome !== 'settled') throw new AppError('invalid_state', 'the order can no longer be paid');
    return result;
  });
  await afterSettlement(ctx, result);
  return { payment: toPaymentView(result.payment), action: null };
}
