import type { AppContext } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

/** Put a member in a grade of the merchant by hand (or none); spending moves them on from there as usual. */
export async function setMemberGrade(
  ctx: AppContext,
  merchantId: number,
  memberId: number,
  gradeId: number | null,
): Promise<void> {
  if (gradeId !== null) {
    const grade = await ctx.db
      .selectFrom('member_grades')
      .select('id')
      .where('id', '=', gradeId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!grade) throw new AppError('validation_failed', 'no such grade', { gradeId });
  }
  const updated = await ctx.db
    .updateTable('members')
    .set({ grade_id: gradeId, updated_at: ctx.clock.now() })
    .where('id', '=', memberId)
    .where('merchant_id', '=', merchantId)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw notFound('member', { memberId });
}
