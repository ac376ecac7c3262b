import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { listWallet } from '../../../coupons/wallet.ts';
import { findTillMember, listTillMembers, type TillMemberKey } from '../../../members/till-members.ts';
import { ok, XXPAY_CODE, type MappingEnv } from '../mapping.ts';
import { bad, int, paramsOf, staffOf, text, XxpayError, type Params } from '../params.ts';
import { tablePage, toXxpayMember, toXxpayMemberInfo } from '../till-mapping.ts';
import { layuiPage } from './till-params.ts';

/**
 * Members for the cashier and the console's member screens:
 * - `member/getAllMemberInfo`: `memberId` is what `type` says — 1 or none: ordo's member id (the console's detail
 *   page; `balance` in fen); 2: a card number or mobile as the cashier types it (`balance` in yuan, as the cashier
 *   prints it); 3: a member payment code, which ordo does not issue (refused).
 * - `member/list`: `page`, `limit` (-1 all), `memberNo` (card number or mobile, or part of the name).
 * - `member/get`: `memberId`.
 */
export function registerMemberRoutes(app: FastifyInstance, ctx: AppContext, env: MappingEnv): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/member/getAllMemberInfo',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const type = int(p, 'type', 1, 3) ?? 1;
      if (type === 3) throw new XxpayError(XXPAY_CODE.failure, '暂不支持会员付款码,请输入会员卡号或手机号');
      const member = await findTillMember(ctx, staff.merchantId, memberKey(p, type === 2));
      if (!member) throw new XxpayError(XXPAY_CODE.failure, '会员不存在');
      const unused = await listWallet(
        ctx,
        { merchantId: staff.merchantId, memberId: member.id },
        { state: 'unused', page: 1, pageSize: 1 },
      );
      return ok(toXxpayMemberInfo(member, staff.merchantId, unused.total, type === 2, env));
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/member/list',
    handler: async (request) => {
      const staff = staffOf(request);
      const p = paramsOf(request);
      const q = text(p, 'memberNo', { max: 64 });
      const { items, total } = await listTillMembers(ctx, staff.merchantId, { q, ...layuiPage(p) });
      return tablePage(
        items.map((m) => toXxpayMember(m, staff.merchantId, env)),
        total,
      );
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/api/member/get',
    handler: async (request) => {
      const staff = staffOf(request);
      const member = await findTillMember(ctx, staff.merchantId, memberKey(paramsOf(request), false));
      if (!member) throw new XxpayError(XXPAY_CODE.failure, '会员不存在');
      return ok(toXxpayMember(member, staff.merchantId, env));
    },
  });
}

/** `memberId` as ordo's member id, or (`byCardOrMobile`) as a card number or mobile. */
function memberKey(p: Params, byCardOrMobile: boolean): TillMemberKey {
  if (!byCardOrMobile) return { memberId: int(p, 'memberId', 1, Number.MAX_SAFE_INTEGER) ?? missing() };
  return { cardOrMobile: text(p, 'memberId', { required: true, max: 20, pattern: /^\d{5,20}$/ })! };
}

const missing = (): never => {
  throw bad('memberId is required');
};
