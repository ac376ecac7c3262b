import type { AppContext } from '../context.ts';

export interface MemberListItem {
  id: number;
  username: string | null;
  mobile: string | null;
  nickname: string;
  grade: { id: number; name: string; discountPercent: number } | null;
  balance: number;
  points: number;
  payMoney: number;
  expendMoney: number;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/**
 * The merchant's members for staff, newest first, a page at a time (the cursor is the last id seen). `q` finds a
 * member by exact id or mobile, or by part of the username or nickname.
 */
export async function listMembers(
  ctx: AppContext,
  merchantId: number,
  filters: { q?: string; limit: number; cursor?: string },
): Promise<{ items: MemberListItem[]; nextCursor: string | null }> {
  let query = ctx.db
    .selectFrom('members as m')
    .leftJoin('member_grades as g', 'g.id', 'm.grade_id')
    .select([
      'm.id',
      'm.username',
      'm.mobile',
      'm.nickname',
      'm.grade_id',
      'g.name as grade_name',
      'g.discount_percent',
      'm.balance',
      'm.points',
      'm.pay_money',
      'm.expend_money',
      'm.created_at',
      'm.last_login_at',
    ])
    .where('m.merchant_id', '=', merchantId);
  if (filters.cursor) query = query.where('m.id', '<', Number(filters.cursor));
  if (filters.q) {
    const term = filters.q;
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const asId = /^\d{1,15}$/.test(term) ? Number(term) : null;
    query = query.where((eb) =>
      eb.or([
        ...(asId === null ? [] : [eb('m.id', '=', asId)]),
        eb('m.mobile', '=', term),
        eb('m.username', 'ilike', like),
        eb('m.nickname', 'ilike', like),
      ]),
    );
  }
  const rows = await query
    .orderBy('m.id', 'desc')
    .limit(filters.limit + 1)
    .execute();
  const page = rows.slice(0, filters.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      username: r.username,
      mobile: r.mobile,
      nickname: r.nickname,
      grade:
        r.grade_id && r.grade_name
          ? { id: r.grade_id, name: r.grade_name, discountPercent: r.discount_percent! }
          : null,
      balance: r.balance,
      points: r.points,
      payMoney: r.pay_money,
      expendMoney: r.expend_money,
      createdAt: r.created_at,
      lastLoginAt: r.last_login_at,
    })),
    nextCursor: rows.length > filters.limit ? String(page[page.length - 1]!.id) : null,
  };
}
