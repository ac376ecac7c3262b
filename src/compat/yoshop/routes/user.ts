import { defaultAddressOf } from '../../../addresses/member-address.ts';
import { listWallet } from '../../../coupons/wallet.ts';
import { memberLedgerPage } from '../../../members/member-ledger-page.ts';
import { getMemberProfile } from '../../../members/member-profile.ts';
import { memberOrderCounts } from '../../../orders/member-order-counts.ts';
import { openRefundCount } from '../../../refunds/open-refund-count.ts';
import { ok, paginator } from '../mapping.ts';
import { PAGE_SIZE, pageOf } from '../params.ts';
import type { MemberRoutes } from '../route-table.ts';
import { toAssets, toBalanceLog, toPointsLog, toTodoCounts, toUserInfo } from '../user-mapping.ts';

/** The user centre (我的) and the wallet: who the member is, what they hold, what awaits them, their logs. */
export const userRoutes: MemberRoutes = {
  'user/info': async ({ ctx, env, member }) => {
    const [profile, address] = await Promise.all([
      getMemberProfile(ctx, member.memberId),
      defaultAddressOf(ctx, member.memberId),
    ]);
    return ok({ userInfo: toUserInfo(profile, address?.id ?? 0, env) });
  },
  'user/assets': async ({ ctx, member }) => {
    // the coupon count is the unused, unexpired coupons in the member's wallet (codes typed at checkout are not held)
    const [profile, wallet] = await Promise.all([
      getMemberProfile(ctx, member.memberId),
      listWallet(ctx, member, { state: 'unused', page: 1, pageSize: 1 }),
    ]);
    return ok({ assets: toAssets(profile, wallet.total) });
  },
  'order/todoCounts': async ({ ctx, member }) => {
    const [byStatus, refunds] = await Promise.all([memberOrderCounts(ctx, member), openRefundCount(ctx, member)]);
    return ok({ counts: toTodoCounts(byStatus, refunds) });
  },
  'points.log/list': async ({ ctx, env, member, p }) => {
    const page = pageOf(p);
    const { items, total } = await memberLedgerPage(ctx, member, 'points', { page, pageSize: PAGE_SIZE });
    return ok({
      list: paginator(
        items.map((l) => toPointsLog(l, env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
  'balance.log/list': async ({ ctx, env, member, p }) => {
    const page = pageOf(p);
    const { items, total } = await memberLedgerPage(ctx, member, 'balance', { page, pageSize: PAGE_SIZE });
    return ok({
      list: paginator(
        items.map((l) => toBalanceLog(l, env)),
        page,
        PAGE_SIZE,
        total,
      ),
    });
  },
};
