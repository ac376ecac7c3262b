import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

/** A member or staff account as far as lock-out goes. */
export interface SignInAccount {
  table: 'members' | 'staff';
  id: number;
  lockedUntil: Date | null;
}

/**
 * A locked account is refused before its password is even checked, so guessing on stops paying off. The lock is a
 * column, not process memory: every ordo process on the database sees it.
 */
export function refuseIfLocked(ctx: AppContext, account: SignInAccount): void {
  const now = ctx.clock.now();
  if (!account.lockedUntil || account.lockedUntil <= now) return;
  const retryAfterSeconds = Math.ceil((account.lockedUntil.getTime() - now.getTime()) / 1000);
  throw new AppError(
    'rate_limited',
    `too many failed sign-ins: this account is locked; try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
    { reason: 'account_locked', retryAfterSeconds },
  );
}

/**
 * Counts a failed sign-in in one atomic update (concurrent failures from several processes all count); the
 * `lockoutFailures`-th in a row locks the account for `lockoutMinutes` and starts the count again. With lock-out
 * off (0) nothing is written.
 */
export async function noteFailedSignIn(ctx: AppContext, account: SignInAccount): Promise<void> {
  const { lockoutFailures, lockoutMinutes } = ctx.config;
  if (lockoutFailures === 0) return;
  const lockedUntil = new Date(ctx.clock.now().getTime() + lockoutMinutes * 60_000);
  const reachesLimit = sql<boolean>`failed_sign_ins + 1 >= ${lockoutFailures}`;
  const row = await ctx.db
    .updateTable(account.table)
    .set({
      failed_sign_ins: sql`case when ${reachesLimit} then 0 else failed_sign_ins + 1 end`,
      locked_until: sql`case when ${reachesLimit} then ${lockedUntil} else locked_until end`,
    })
    .where('id', '=', account.id)
    .returning(['locked_until'])
    .executeTakeFirst();
  if (row?.locked_until && row.locked_until.getTime() === lockedUntil.getTime()) {
    ctx.log.warn(
      { account: `${account.table}:${account.id}`, lockedUntil },
      'account locked after repeated failed sign-ins',
    );
  }
}

/** A successful sign-in forgets earlier failures. */
export async function clearFailedSignIns(ctx: AppContext, account: SignInAccount): Promise<void> {
  await ctx.db
    .updateTable(account.table)
    .set({ failed_sign_ins: 0, locked_until: null })
    .where('id', '=', account.id)
    .where((eb) => eb.or([eb('failed_sign_ins', '>', 0), eb('locked_until', 'is not', null)]))
    .execute();
}
