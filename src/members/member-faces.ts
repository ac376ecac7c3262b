import type { AppContext } from '../context.ts';

/** How members appear next to what they wrote (a review): nickname and avatar, by member id. */
export async function memberFaces(
  ctx: AppContext,
  memberIds: readonly number[],
): Promise<Map<number, { nickname: string; avatarUrl: string }>> {
  if (!memberIds.length) return new Map();
  const rows = await ctx.db
    .selectFrom('members')
    .select(['id', 'nickname', 'avatar_url'])
    .where('id', 'in', [...new Set(memberIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { nickname: r.nickname, avatarUrl: r.avatar_url }]));
}
