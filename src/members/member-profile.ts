import type { AppContext } from '../context.ts';
import { notFound } from '../errors.ts';

export interface MemberProfile {
  id: number;
  merchantId: number;
  username: string | null;
  mobile: string | null;
  email: string;
  nickname: string;
  avatarUrl: string;
  gender: number;
  regionCode: string;
  region: string;
  grade: { id: number; name: string; discountPercent: number } | null;
  balance: number;
  points: number;
  payMoney: number;
  expendMoney: number;
  platform: string;
  lastLoginAt: Date | null;
  createdAt: Date;
}

export async function getMemberProfile(ctx: AppContext, memberId: number): Promise<MemberProfile> {
  const row = await ctx.db
    .selectFrom('members as m')
    .leftJoin('member_grades as g', 'g.id', 'm.grade_id')
    .selectAll('m')
    .select(['g.name as grade_name', 'g.discount_percent'])
    .where('m.id', '=', memberId)
    .executeTakeFirst();
  if (!row) throw notFound('member');
  return {
    id: row.id,
    merchantId: row.merchant_id,
    username: row.username,
    mobile: row.mobile,
    email: row.email,
    nickname: row.nickname,
    avatarUrl: row.avatar_url,
    gender: row.gender,
    regionCode: row.region_code,
    region: row.region,
    grade:
      row.grade_id && row.grade_name
        ? { id: row.grade_id, name: row.grade_name, discountPercent: row.discount_percent! }
        : null,
    balance: row.balance,
    points: row.points,
    payMoney: row.pay_money,
    expendMoney: row.expend_money,
    platform: row.platform,
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
  };
}

export interface ProfileChanges {
  nickname?: string;
  avatarUrl?: string;
  gender?: number;
  regionCode?: string;
  region?: string;
}

export async function updateMemberProfile(
  ctx: AppContext,
  memberId: number,
  changes: ProfileChanges,
): Promise<MemberProfile> {
  await ctx.db
    .updateTable('members')
    .set({
      nickname: changes.nickname,
      avatar_url: changes.avatarUrl,
      gender: changes.gender,
      region_code: changes.regionCode,
      region: changes.region,
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', memberId)
    .execute();
  return getMemberProfile(ctx, memberId);
}
