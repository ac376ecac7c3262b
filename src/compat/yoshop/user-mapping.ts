import type { OrderStatus } from '../../domain/order-status.ts';
import type { MemberProfile } from '../../members/member-profile.ts';
import { absoluteImage, DATA_TYPES, toPersonal, yoshopTime, yuan, type MappingEnv } from './mapping.ts';

/** The user centre (我的), the wallet and the points and balance logs, in YoShop's shapes. */

export function toUserInfo(p: MemberProfile, defaultAddressId: number, env: MappingEnv) {
  return {
    ...toPersonal(p, defaultAddressId),
    avatar_url: absoluteImage(p.avatarUrl, env.publicUrl),
    grade: p.grade ? { grade_id: p.grade.id, name: p.grade.name } : null,
  };
}

export function toAssets(p: MemberProfile, couponCount: number) {
  return { balance: yuan(p.balance), points: p.points, coupon: couponCount };
}

/** The order badges of the user centre: the same statuses as order/list's tabs, and refunds under way. */
export function toTodoCounts(byStatus: Partial<Record<OrderStatus, number>>, openRefunds: number) {
  const count = (tab: string) => (DATA_TYPES[tab] ?? []).reduce((n, s) => n + (byStatus[s as OrderStatus] ?? 0), 0);
  return { payment: count('payment'), delivery: count('delivery'), received: count('received'), refund: openRefunds };
}

interface LedgerLine {
  id: number;
  delta: number;
  reason: string;
  createdAt: Date;
}

/** What the ledger's reasons say to a shopper; a refund carries the buyer's own words as its reason. */
const REASON_TEXT: Record<string, string> = {
  opening: '开户赠送',
  recharge: '余额充值',
  order_payment: '订单消费',
  order_points: '积分抵扣订单',
  points_returned: '订单取消，积分退回',
  order_completed: '订单完成，赠送积分',
  refund: '订单退款，扣回赠送积分',
};

function describe(line: LedgerLine, account: 'balance' | 'points'): string {
  const known = REASON_TEXT[line.reason];
  if (known) return known;
  if (account === 'balance') return line.delta > 0 ? '订单退款，退回余额' : '余额扣除';
  return line.delta > 0 ? '积分退回' : '积分扣除';
}

export const toPointsLog = (line: LedgerLine, env: MappingEnv) => ({
  log_id: line.id,
  value: line.delta,
  describe: describe(line, 'points'),
  create_time: yoshopTime(line.createdAt, env.timeZone),
});

export const toBalanceLog = (line: LedgerLine, env: MappingEnv) => ({
  log_id: line.id,
  money: yuan(line.delta),
  describe: describe(line, 'balance'),
  create_time: yoshopTime(line.createdAt, env.timeZone),
});

/** A paid top-up, as the recharge record page (我的充值记录) lists it. */
export const toRechargeOrder = (line: LedgerLine, env: MappingEnv) => ({
  order_id: line.id,
  actual_money: yuan(line.delta),
  pay_time: yoshopTime(line.createdAt, env.timeZone),
});
