import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { OrderStatus } from '../domain/order-status.ts';
import { MONEY_RECEIVED } from '../domain/payment-status.ts';
import { AppError } from '../errors.ts';
import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { scopeOrders } from './order-scope.ts';
import type { OrderLineRow, OrderRow } from '../db/schema.ts';
import { toOrderView, type OrderView } from './order-view.ts';

export interface OrderFilters {
  status?: string[];
  createdFrom?: Date;
  createdTo?: Date;
  memberId?: number;
  storeId?: number;
  /** orders paid (at least in part, refunds included) by this payment method */
  method?: string;
  /** An order number, or part of the receiver's name or mobile. */
  search?: string;
  limit: number;
  cursor?: string;
}

interface Cursor {
  createdAt: Date;
  id: number;
}

// The cursor is the sort key of the last row seen: new orders arriving meanwhile never shift the pages.
const encodeCursor = (c: Cursor) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');

function decodeCursor(raw: string): Cursor {
  const [at, id] = Buffer.from(raw, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || !/^\d{1,15}$/.test(id ?? ''))
    throw new AppError('validation_failed', 'the cursor is not valid', { cursor: raw });
  return { createdAt, id: Number(id) };
}

function filtered(ctx: AppContext, principal: Principal, filters: Omit<OrderFilters, 'limit' | 'cursor'>) {
  let query = scopeOrders(ctx.db.selectFrom('orders'), principal);
  // a filter naming a status no order can have simply matches nothing
  if (filters.status?.length) query = query.where('status', 'in', filters.status as OrderStatus[]);
  if (filters.createdFrom) query = query.where('created_at', '>=', filters.createdFrom);
  if (filters.createdTo) query = query.where('created_at', '<', filters.createdTo);
  if (filters.memberId !== undefined) query = query.where('member_id', '=', filters.memberId);
  if (filters.storeId !== undefined) query = query.where('store_id', '=', filters.storeId);
  if (filters.method) {
    const method = filters.method;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('payments')
          .select('payments.id')
          .whereRef('payments.order_id', '=', 'orders.id')
          .where('payments.method', '=', method)
          .where('payments.status', 'in', [...MONEY_RECEIVED]),
      ),
    );
  }
  if (filters.search) {
    const term = filters.search;
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('order_no', '=', term), eb('receiver_mobile', '=', term), eb('receiver_name', 'ilike', like)]),
    );
  }
  return query;
}

/** The page's rows with each order's lines as a JSON array beside it: one round trip for the page, no query per order. */
function pageRows(ctx: AppContext, principal: Principal, filters: Omit<OrderFilters, 'limit' | 'cursor'>) {
  return filtered(ctx, principal, filters)
    .selectAll('orders')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('order_lines')
          .selectAll()
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .orderBy('order_lines.line_no'),
      ).as('lines'),
    );
}

const toView = ({ lines, ...order }: OrderRow & { lines: OrderLineRow[] }): OrderView => toOrderView(order, lines);

export async function listOrders(
  ctx: AppContext,
  principal: Principal,
  filters: OrderFilters,
): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  let query = pageRows(ctx, principal, filters);
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', c.createdAt), eb.and([eb('created_at', '=', c.createdAt), eb('id', '<', c.id)])]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filters.limit + 1)
    .execute();
  const page = rows.slice(0, filters.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toView),
    nextCursor: rows.length > filters.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

/** Numbered pages with a total, for clients that page that way (the seed dialects); the canonical API uses cursors. */
export async function listOrderPage(
  ctx: AppContext,
  principal: Principal,
  filters: Omit<OrderFilters, 'limit' | 'cursor'>,
  page: number,
  pageSize: number,
): Promise<{ items: OrderView[]; total: number }> {
  const [rows, count] = await Promise.all([
    pageRows(ctx, principal, filters)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    filtered(ctx, principal, filters)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toView), total: Number(count.n) };
}
