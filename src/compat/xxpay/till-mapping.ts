import type { CouponReason } from '../../coupons/refusals.ts';
import { fenToYuanString } from '../../domain/money.ts';
import type { RechargeRule } from '../../members/recharge-rules.ts';
import type { TillMember } from '../../members/till-members.ts';
import type { StoreListItem } from '../../merchants/store-list.ts';
import type { OperatorDayTotals } from '../../reports/operator-day-totals.ts';
import type { StaffListing } from '../../staff/manage-staff.ts';
import { XXPAY_CODE, xxpayTime, type MappingEnv } from './mapping.ts';

/**
 * The till's and the member screens' shapes (seed 004's cashier `cash/` and console `x_mch/` member, recharge rule,
 * store, sub-user and handover pages): ordo's members, recharge rules, stores, staff and operator totals as those
 * pages read them. Money is fen unless a field says otherwise.
 */

/** The `{code, msg, count, data}` a layui table pages by. */
export const tablePage = (data: unknown[], count: number) => ({ code: XXPAY_CODE.ok, msg: 'success', count, data });

/** Sale subjects as XxPay writes them, by how the sale was paid. */
export const TILL_SUBJECT = {
  cash: '消费|现金支付',
  balance: '消费|会员卡支付商品',
  wechatCode: '消费|微信条码支付',
  alipayCode: '消费|支付宝条码支付',
  wechatQr: '消费|微信扫码支付',
  alipayQr: '消费|支付宝扫码支付',
} as const;

/** A recharge's subject: `充值|<how it was paid>`, as XxPay writes it. */
export const rechargeSubject = (wallet: 'wechat' | 'alipay') =>
  `充值|${wallet === 'wechat' ? '微信条码支付' : '支付宝条码支付'}`;

/** Member `status`: 1 enabled; 2 no mobile bound (XxPay's 未绑定手机号). ordo has no disabled members. */
const memberStatus = (m: TillMember) => (m.mobile ? 1 : 2);

/** A member as `member/list` and `member/get` answer it (XxPay's Member). */
export function toXxpayMember(m: TillMember, merchantId: number, env: MappingEnv) {
  return {
    memberId: m.id,
    memberNo: m.cardNo,
    memberName: m.nickname || m.username || m.mobile || m.cardNo,
    tel: m.mobile ?? '',
    sex: m.gender,
    status: memberStatus(m),
    birthday: null,
    remark: '',
    mchId: merchantId,
    avatar: m.avatarUrl,
    createTime: xxpayTime(m.createdAt, env.timeZone),
    updateTime: xxpayTime(m.updatedAt, env.timeZone),
  };
}

/**
 * `member/getAllMemberInfo`: the member with balance, points and unused coupons. `balanceInYuan` is for the cashier
 * (it prints `￥{{balance}}` and subtracts the yuan amount from it); the console's member detail divides by 100.
 */
export function toXxpayMemberInfo(
  m: TillMember,
  merchantId: number,
  couponCount: number,
  balanceInYuan: boolean,
  env: MappingEnv,
) {
  return {
    ...toXxpayMember(m, merchantId, env),
    balance: balanceInYuan ? fenToYuanString(m.balance) : m.balance,
    point: m.points,
    couponCount,
  };
}

/** XxPay's rule types: 1 bonus balance, 2 bonus points (3, a coupon, ordo does not give). */
export const RULE_TYPE = { balance: 1, points: 2 } as const;

export function toXxpayRechargeRule(r: RechargeRule, env: MappingEnv) {
  return {
    ruleId: r.id,
    mchId: r.merchantId,
    rechargeAmount: r.rechargeAmount,
    ruleType: RULE_TYPE[r.bonusKind],
    givePoints: r.bonusAmount,
    giveCouponId: null,
    firstFlag: r.recommended ? 1 : 0,
    status: r.enabled ? 1 : 0,
    remark: r.remark,
    createTime: xxpayTime(r.createdAt, env.timeZone),
    updateTime: xxpayTime(r.updatedAt, env.timeZone),
  };
}

/** A store as `store/list` answers it: `storeNo` is ordo's store id as text (ordo numbers stores once). */
export function toXxpayStore(s: StoreListItem, merchantId: number, env: MappingEnv) {
  return {
    storeId: s.id,
    storeNo: String(s.id),
    storeName: s.name,
    status: 1,
    tel: s.phone,
    areaInfo: [s.province, s.city, s.district].filter(Boolean).join(''),
    address: s.address,
    mchId: merchantId,
    createTime: xxpayTime(s.createdAt, env.timeZone),
  };
}

/**
 * A staff account as `subuser/list` answers it. ordo's staff work for the whole merchant, not one store, so
 * `storeId` is null; `isSuperAdmin` marks an admin (the console shows 「商户」 beside the name).
 */
export function toXxpaySubuser(s: StaffListing, env: MappingEnv) {
  return {
    userId: s.id,
    loginUserName: s.username,
    nickName: s.name || s.username,
    mobile: '',
    storeId: null,
    storeName: '',
    isSuperAdmin: s.role === 'admin' ? 1 : 0,
    status: s.disabled ? 0 : 1,
    belongInfoId: s.merchantId,
    lastLoginTime: xxpayTime(s.lastLoginAt, env.timeZone),
    createTime: xxpayTime(s.createdAt, env.timeZone),
  };
}

/**
 * An operator's day as `handover_history/list` answers it (XxPay's handover record): `id` names the operator, store
 * and day; amounts in fen, as the page divides by 100.
 */
export function toXxpayHandover(d: OperatorDayTotals, merchantId: number, env: MappingEnv) {
  return {
    id: `${d.operatorId}-${d.storeId}-${d.day}`,
    mchId: merchantId,
    userId: d.operatorId,
    userName: d.operatorName,
    storeId: d.storeId,
    workStartTime: xxpayTime(d.firstPaidAt, env.timeZone),
    workEndTime: xxpayTime(d.lastPaidAt, env.timeZone),
    countTotalOrder: d.orders,
    sumRealAmount: d.paid,
    sumCashAmount: d.cash,
  };
}

/**
 * `account/get` (the console's account page): the merchant's income as XxPay's account balances, fen. ordo holds
 * no deposit (bail), freezes nothing and pays no agents, so those are 0.
 */
export function toXxpayAccount(merchantId: number, income: { total: number; settled: number; unsettled: number }) {
  return {
    mchId: merchantId,
    balanceAmount: income.total,
    balanceUnAmount: income.unsettled,
    balanceSettAmount: income.settled,
    bailAmount: 0,
    balanceFrozenAmount: 0,
    agpayAmount: 0,
    agpayUnAmount: 0,
  };
}

/** Why a coupon was refused at the till, in the cashier's words (it shows `msg`). */
export const TILL_COUPON_MESSAGE: Record<CouponReason, string> = {
  not_found: '优惠券不存在',
  run_out: '优惠券已发完',
  ended: '优惠券活动已结束',
  limit_reached: '已达到领取上限',
  used: '优惠券已被使用',
  not_started: '优惠券尚未生效',
  expired: '优惠券已过期',
  min_spend_not_met: '消费金额未达到优惠券使用门槛',
  not_in_scope: '该优惠券仅限指定商品使用,收银台不能核销',
};
