import type { Selectable } from 'kysely';
import type { AppContext } from '../context.ts';
import type { MembersTable } from '../db/schema.ts';

/** A member as the till and the merchant's member screens show one. */
export interface TillMember {
  id: number;
  cardNo: string;
  username: string | null;
  nickname: string;
  mobile: string | null;
  gender: number;
  avatarUrl: string;
  balance: number;
  points: number;
  createdAt: Date;
  updatedAt: Date;
}

const toTillMember = (m: Selectable<MembersTable>): TillMember => ({
  id: m.id,
  cardNo: m.card_no,
  username: m.username,
  nickname: m.nickname,
  mobile: m.mobile,
  gender: m.gender,
  avatarUrl: m.avatar_url,
  balance: m.balance,
  points: m.points,
  createdAt: m.created_at,
  updatedAt: m.updated_at,
});

/** How the till names a member: ordo's member id, or what is printed on the card or typed in (card number or mobile). */
export type TillMemberKey = { memberId: number } | { cardOrMobile: string };

/** The merchant's member the key names, or null. A card number and a mobile number never look alike (migration 016). */
export async function findTillMember(
  ctx: AppContext,
  merchantId: number,
  key: TillMemberKey,
): Promise<TillMember | null> {
  let query = ctx.db.selectFrom('members').selectAll().where('merchant_id', '=', merchantId);
  if ('memberId' in key) query = query.where('id', '=', key.memberId);
  else {
    const value = key.cardOrMobile;
    query = query.where((eb) => eb.or([eb('card_no', '=', value), eb('mobile', '=', value)]));
  }
  const row = await query.orderBy('id').limit(1).executeTakeFirst();
  return row ? toTillMember(row) : null;
}

/**
 * One page of the merchant's members, newest first, with the total the console's table pages by. `q` is a card
 * number or mobile (exact) or part of the nickname or username; `limit` null means every member.
 */
export async function listTillMembers(
  ctx: AppContext,
  merchantId: number,
  filters: { q?: string; page: number; limit: number | null },
): Promise<{ items: TillMember[]; total: number }> {
  let query = ctx.db.selectFrom('members').where('merchant_id', '=', merchantId);
  if (filters.q) {
    const term = filters.q;
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('card_no', '=', term),
        eb('mobile', '=', term),
        eb('nickname', 'ilike', like),
        eb('username', 'ilike', like),
      ]),
    );
  }
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    (filters.limit === null
      ? query.selectAll().orderBy('id', 'desc')
      : query
          .selectAll()
          .orderBy('id', 'desc')
          .limit(filters.limit)
          .offset((filters.page - 1) * filters.limit)
    ).execute(),
  ]);
  return { items: rows.map(toTillMember), total: Number(count.n) };
}
