import type { UpdateObject } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { Database, RefundRequestRow } from '../db/schema.ts';
import {
  REFUND_REQUEST_STATES,
  type RefundRequestEvent,
  type RefundRequestStatus,
} from '../domain/refund-request-status.ts';
import { AppError } from '../errors.ts';

/**
 * The one way a refund request's status changes, under the applier contract every state table shares: the move is
 * written only when the table (domain/refund-request-status.ts) allows it from the status we read, with
 * `WHERE status = <that status>`, in one statement with the other columns in `set`. Returns the request as moved, or
 * null when nothing was written — the table refuses the move from that status, or another transaction moved the
 * request first. A caller that needs the move throws `refundRequestMoveRefused` itself.
 */
export async function applyRefundRequestTransition(
  trx: Db,
  request: { id: number; status: RefundRequestStatus },
  event: RefundRequestEvent,
  set: UpdateObject<Database, 'refund_requests'> = {},
): Promise<RefundRequestRow | null> {
  const to = REFUND_REQUEST_STATES.next(request.status, event);
  if (!to) return null;
  const moved = await trx
    .updateTable('refund_requests')
    .set({ ...set, status: to })
    .where('id', '=', request.id)
    .where('status', '=', request.status)
    .returningAll()
    .executeTakeFirst();
  return moved ?? null;
}

/**
 * Why a move a caller needed did not happen: the request is past it (invalid_state, naming its status), or another
 * transaction moved it between the read and the write (conflict).
 */
export function refundRequestMoveRefused(
  request: { status: RefundRequestStatus },
  event: RefundRequestEvent,
): AppError {
  if (REFUND_REQUEST_STATES.next(request.status, event))
    return new AppError('conflict', 'the refund changed meanwhile; read it again');
  return new AppError('invalid_state', `this refund is already ${request.status}`, { status: request.status });
}
