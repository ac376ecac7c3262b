import { fenToYuanString } from '../../domain/money.ts';
import type { MerchantSettings } from '../../merchants/merchant-settings.ts';
import type { TradeBucket, TradeStatistics } from '../../reports/trade-statistics.ts';
import type { OwnStaffAccount } from '../../staff/own-account.ts';
import { PRODUCT_TYPE, xxpayTime, type MappingEnv } from './mapping.ts';

/**
 * The merchant console's frame and dashboard in XxPay's shapes: the merchant (`mch/get`), the signed-in user
 * (`mch/current`), the side menu (`mch/menu_get`), the statistics cards and charts. Amounts are fen except the
 * chart's bars, which XxPay sends in yuan.
 */

/** One screen of the side menu: its folder under `x_mch/src/views/`, and the route whose answer it needs. */
interface MenuScreen {
  name: string;
  title: string;
  /** the console route the screen's table or cards read; the screen is listed only when ordo serves it */
  needs: string;
}

interface MenuGroup {
  name: string;
  title: string;
  icon: string;
  /** a screen of its own (the home page) instead of children */
  jump?: string;
  needs?: string;
  list?: MenuScreen[];
}

/** Every screen ordo can serve, in the console's order; `mch/menu_get` keeps those whose route is there. */
export const CONSOLE_MENU: MenuGroup[] = [
  { name: 'home', title: '主页', icon: 'layui-icon-home', jump: '/', needs: 'data/dataStatistics' },
  {
    name: 'data',
    title: '数据统计',
    icon: 'layui-icon-chart',
    list: [{ name: 'history', title: '数据统计', needs: 'data/dataStatistics' }],
  },
  {
    name: 'order',
    title: '交易管理',
    icon: 'layui-icon-rmb',
    list: [
      { name: 'trade', title: '交易记录', needs: 'trade_order/list' },
      { name: 'pay', title: '支付订单', needs: 'pay_order/list' },
      { name: 'refund', title: '退款订单', needs: 'refund_order/list' },
    ],
  },
  {
    name: 'account',
    title: '会员管理',
    icon: 'layui-icon-user',
    list: [
      { name: 'member', title: '会员列表', needs: 'member/list' },
      { name: 'rule', title: '充值规则', needs: 'member_recharge_rule/list' },
    ],
  },
  {
    name: 'store',
    title: '门店管理',
    icon: 'layui-icon-home',
    list: [{ name: 'list', title: '门店列表', needs: 'store/list' }],
  },
  {
    name: 'sys',
    title: '账户管理',
    icon: 'layui-icon-set',
    list: [{ name: 'user', title: '子账户', needs: 'subuser/list' }],
  },
  {
    name: 'handover',
    title: '交接班',
    icon: 'layui-icon-log',
    list: [{ name: 'history', title: '交接班记录', needs: 'handover_history/list' }],
  },
];

/** The menu tree as layui's side menu reads it, listing only the screens `served` says ordo answers. */
export function toXxpayMenu(served: (route: string) => boolean) {
  let resourceId = 0;
  const menu = [];
  for (const group of CONSOLE_MENU) {
    const groupId = (resourceId += 1);
    if (group.jump !== undefined) {
      if (served(group.needs!))
        menu.push({
          resourceId: groupId,
          name: group.name,
          title: group.title,
          jump: group.jump,
          icon: group.icon,
          parentId: 0,
          list: [],
        });
      continue;
    }
    const list = group
      .list!.filter((screen) => served(screen.needs))
      .map((screen) => ({
        resourceId: (resourceId += 1),
        name: screen.name,
        title: screen.title,
        jump: `${group.name}/${screen.name}/`,
        icon: '',
        parentId: groupId,
        list: [],
      }));
    if (list.length > 0)
      menu.push({
        resourceId: groupId,
        name: group.name,
        title: group.title,
        jump: '',
        icon: group.icon,
        parentId: 0,
        list,
      });
  }
  return menu;
}

/** `mch/get`: the merchant as the header (`mchName`) and the merchant page read it; no key leaves ordo. */
export function toXxpayMerchant(m: MerchantSettings, signedIn: OwnStaffAccount, env: MappingEnv) {
  return {
    mchId: m.id,
    mchName: m.name,
    mchShortName: m.name,
    loginUserName: signedIn.username,
    status: 1,
    privateKey: '--',
    createTime: xxpayTime(signedIn.createdAt, env.timeZone),
  };
}

/** `mch/current`: the signed-in staff member; ordo's admins are XxPay's merchant super admin, operators its operators. */
export function toXxpayCurrentUser(s: OwnStaffAccount, env: MappingEnv) {
  return {
    userId: s.id,
    belongInfoId: s.merchantId,
    loginUserName: s.username,
    userName: s.name,
    isSuperAdmin: s.role === 'admin' ? 1 : 0,
    currentUserRoleType: s.role === 'admin' ? 'superAdmin' : 'operator',
    storeId: null,
    storeName: '',
    lastLoginTime: xxpayTime(s.lastLoginAt, env.timeZone),
    createTime: xxpayTime(s.createdAt, env.timeZone),
  };
}

/** `data/dataStatistics`: every figure in fen (the cards divide by 100). */
export function toXxpayStatistics(s: TradeStatistics) {
  return {
    sumTradeAmount: s.sumTradeAmount,
    sumRealAmount: s.sumRealAmount,
    sumMemberAmount: s.sumMemberAmount,
    sumRefundAmount: s.sumRefundAmount,
    countAddMember: s.countAddMember,
    countTrade: s.countTrade,
    sumDiscountAmount: s.sumDiscountAmount,
    sumNotMemberAmount: s.sumNotMemberAmount,
    countRefund: s.countRefund,
    countRecharge: s.countRecharge,
    sumRechargeAmount: s.sumRechargeAmount,
    sumRechargeGiveAmount: s.sumRechargeGiveAmount,
    sumGivePoints: s.sumGivePoints,
    // ordo gives no member-card discount (XxPay's figure is 0 too)
    sumMemberDiscountAmount: 0,
    countMemberTradeOrder: s.countMemberTrade,
    countNotMemberTradeOrder: s.countNotMemberTrade,
  };
}

/** `data/statisticsByAmountCharts`: one label and two bars (yuan, as text) per bucket. */
export function toXxpayAmountChart(buckets: (TradeBucket & { label: string })[]) {
  return {
    xTitleArray: buckets.map((b) => b.label),
    tradeAmountArray: buckets.map((b) => fenToYuanString(b.tradeAmount)),
    refundAmountArray: buckets.map((b) => fenToYuanString(b.refundAmount)),
  };
}

/** `data/statisticsByProductType`: the pie's slices, `productType` 1 cash, 2 member balance, 3 WeChat, 4 Alipay. */
export function toXxpayProductTypes(perMethod: { method: string; count: number; amount: number }[]) {
  return perMethod
    .filter((m) => PRODUCT_TYPE[m.method] !== undefined)
    .map((m) => ({ productType: PRODUCT_TYPE[m.method]!, totalCount: m.count, totalAmount: m.amount }));
}
