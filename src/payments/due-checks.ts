import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/** Notifications get lost: waiting payments and refunds are asked after about 5 s, 15 s, 30 s, 1 min, 5 min, 10 min, then every 30 min. */
export const BACKOFF_SECONDS = [5, 15, 30, 60, 300, 600, 1800] as const;

/** The next check of a row asked `attempts` times, from the BACKOFF_SECONDS schedule (its last step repeats). */
const nextCheckAt = (now: Date) =>
  sql<Date>`${now}::timestamptz + make_interval(secs => (${sql.raw(`array[${BACKOFF_SECONDS.join(',')}]`)})[least(check_attempts + 1, ${BACKOFF_SECONDS.length - 1}) + 1])`;

/**
 * Claims up to `limit` gateway payments still waiting whose check is due, by moving their next check forward in one
 * statement under `SKIP LOCKED`: several ordo processes share the work without asking the gateway twice.
 */
export async function claimDuePaymentChecks(db: Db, now: Date, limit: number): Promise<number[]> {
  const claimed = await db
    .updateTable('payments')
    .set({ next_check_at: nextCheckAt(now), check_attempts: sql`check_attempts + 1` })
    .where('id', 'in', (q) =>
      q
        .selectFrom('payments')
        .select('id')
        .where('status', '=', 'processing')
        .where('provider', 'in', ['wechatpay', 'alipay'])
        .where('next_check_at', '<=', now)
        .orderBy('next_check_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return claimed.map((p) => p.id);
}

/** The same for refunds waiting on a gateway's answer. */
export async function claimDueRefundChecks(db: Db, now: Date, limit: number): Promise<number[]> {
  const claimed = await db
    .updateTable('payment_refunds')
    .set({ next_check_at: nextCheckAt(now), check_attempts: sql`check_attempts + 1` })
    .where('id', 'in', (q) =>
      q
        .selectFrom('payment_refunds')
        .select('id')
        .where('status', '=', 'processing')
        .where('next_check_at', '<=', now)
        .orderBy('next_check_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning('id')
    .execute();
  return claimed.map((r) => r.id);
}
