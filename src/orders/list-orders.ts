import type { SelectQueryBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { OrderStatus } from '../domain/order-status.ts';
import { MONEY_RECEIVED } from '../domain/payment-status.ts';
import { AppError } from '../errors.ts';
import type { Principal } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { scopeOrders } from './order-scope.ts';
import type { Database, OrderLineRow, OrderRow } from '../db/schema.ts';
import { toOrderView, type OrderView } from './order-view.ts';

export interface OrderFilters extends SharedOrderFilters {
  status?: string[];
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

type OrdersQuery = SelectQueryBuilder<Database, 'orders', object>;

/** The filters every order listing offers (the canonical list, the dialects' pages, the till's trade orders). */
export interface SharedOrderFilters {
  createdFrom?: Date;
  createdTo?: Date;
  memberId?: number;
  storeId?: number;
}

/** The caller's orders narrowed by the shared filters: the one place they are built, for every listing. */
export function scopedOrders(ctx: AppContext, principal: Principal, f: SharedOrderFilters): OrdersQuery {
  let query: OrdersQuery = scopeOrders(ctx.db.selectFrom('orders'), principal);
  if (f.createdFrom) query = query.where('orders.created_at', '>=', f.createdFrom);
  if (f.createdTo) query = query.where('orders.created_at', '<', f.createdTo);
  if (f.memberId !== undefined) query = query.where('orders.member_id', '=', f.memberId);
  if (f.storeId !== undefined) query = query.where('orders.store_id', '=', f.storeId);
  return query;
}

function filtered(ctx: AppContext, principal: Principal, filters: Omit<OrderFilters, 'limit' | 'cursor'>) {
  let query = scopedOrders(ctx, principal, filters);
  // a filter naming a status no order can have simply matches nothing
  if (filters.status?.length) query = query.where('orders.status', 'in', filters.status as OrderStatus[]);
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
      eb.or([
        eb('orders.order_no', '=', term),
        eb('orders.receiver_mobile', '=', term),
        eb('orders.receiver_name', 'ilike', like),
      ]),
    );
  }
  return query;
}

/** The page's rows with each order's lines as a JSON array beside it: one round trip for the page, no query per order. */
function withLines(query: OrdersQuery) {
  return query
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

/**
 * One numbered page (newest first) of the orders `filtered` selects, with the total; `pageSize` null lists every
 * match. Shared by every listing that pages by number.
 */
export async function numberedOrderPage(
  filtered: () => OrdersQuery,
  page: number,
  pageSize: number | null,
): Promise<{ items: OrderView[]; total: number }> {
  let rows = withLines(filtered()).orderBy('orders.created_at', 'desc').orderBy('orders.id', 'desc');
  if (pageSize !== null) rows = rows.limit(pageSize).offset((page - 1) * pageSize);
  const [found, count] = await Promise.all([
    rows.execute(),
    filtered()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: found.map((r) => toView(r as OrderRow & { lines: OrderLineRow[] })), total: Number(count.n) };
}

export async function listOrders(
  ctx: AppContext,
  principal: Principal,
  filters: OrderFilters,
): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  let query = withLines(filtered(ctx, principal, filters));
  if (filters.cursor) {
    const c = decodeCursor(filters.cursor);
    query = query.where((eb) =>
      eb.or([
        eb('orders.created_at', '<', c.createdAt),
        eb.and([eb('orders.created_at', '=', c.createdAt), eb('orders.id', '<', c.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('orders.created_at', 'desc')
    .orderBy('orders.id', 'desc')
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
export function listOrderPage(
  ctx: AppContext,
  principal: Principal,
  filters: Omit<OrderFilters, 'limit' | 'cursor'>,
  page: number,
  pageSize: number,
): Promise<{ items: OrderView[]; total: number }> {
  return numberedOrderPage(() => filtered(ctx, principal, filters), page, pageSize);
}
