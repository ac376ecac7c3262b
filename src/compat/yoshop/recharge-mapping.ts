import type { RechargeRule } from '../../members/recharge-rules.ts';
import { yuan } from './mapping.ts';

/**
 * The wallet's recharge page (pages/wallet/recharge): the merchant's recharge rules as plans (pay `money`, get
 * `gift_money` more) and a free amount besides (`is_custom`). The wallet shows its 充值 entry (`is_entrance`).
 */
export const RECHARGE_SETTING = {
  is_entrance: true,
  is_custom: 1,
  describe: '1. 充值金额到账后可用于商城消费\n2. 赠送金额随充值一同到账\n3. 充值不支持余额支付',
};

/** A plan the page draws as `money` and 送`gift_money`; a rule that gives points says so in the gift. */
export const toRechargePlan = (rule: RechargeRule) => ({
  plan_id: rule.id,
  plan_name: rule.remark || `充${yuan(rule.rechargeAmount)}元`,
  money: yuan(rule.rechargeAmount),
  gift_money: rule.bonusKind === 'points' ? `${rule.bonusAmount}积分` : yuan(rule.bonusAmount),
  sort: 0,
});

/** The top-up is paid with WeChat or Alipay: never with the balance it fills. */
export const RECHARGE_METHODS = ['wechat', 'alipay'] as const;
