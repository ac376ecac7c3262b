import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { formatOrderNo } from '../domain/order-number.ts';

/** A new order number: the local date and the next value of the database sequence (no row lock, so no queue). */
export async function nextOrderNo(trx: Db, now: Date, timeZone: string): Promise<string> {
  const { rows } = await sql<{ seq: number }>`select nextval('order_no_seq')::bigint as seq`.execute(trx);
  return formatOrderNo(now, rows[0]!.seq, timeZone);
}
