import type { Db } from '../db/connect.ts';

/**
 * `payment_notifications` keeps what gateways told ordo about its trades: every verified notification (applied or
 * flagged), and every other gateway answer that was refused (a query or a code payment reporting another amount).
 * A flagged row is how a mismatch is raised for a person to look at.
 */
export interface GatewayReport {
  provider: string;
  /** the gateway's own id for a notification; for an answer without one, a key naming what was refused */
  reportId: string;
  paymentId: number | null;
  outTradeNo: string;
  /** why it was not applied; null when it was */
  flag: string | null;
  raw: unknown;
  now: Date;
}

const row = (r: GatewayReport) => ({
  provider: r.provider,
  notification_id: r.reportId,
  payment_id: r.paymentId,
  out_trade_no: r.outTradeNo,
  outcome: r.flag ? ('flagged' as const) : ('applied' as const),
  reason: r.flag ?? '',
  payload: JSON.stringify(r.raw ?? {}),
  received_at: r.now,
});

/** Stores a report under its id; false when it was already there (a gateway's retry or a duplicate). */
export async function storeGatewayReport(trx: Db, report: GatewayReport): Promise<boolean> {
  const inserted = await trx
    .insertInto('payment_notifications')
    .values(row(report))
    .onConflict((oc) => oc.columns(['provider', 'notification_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Flags a report: a notification stored a moment ago as taken becomes flagged, with the reason; a refused answer
 * is stored once under its key, so the reconciliation asking again and again adds no rows.
 */
export async function flagGatewayReport(trx: Db, report: GatewayReport & { flag: string }): Promise<void> {
  await trx
    .insertInto('payment_notifications')
    .values(row(report))
    .onConflict((oc) =>
      oc.columns(['provider', 'notification_id']).doUpdateSet({ outcome: 'flagged', reason: report.flag }),
    )
    .execute();
}
