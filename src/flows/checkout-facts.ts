import { sql, type Selectable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { LineProduct } from '../catalog/resolve-lines.ts';
import { specsOfRows, type ProductSpecs } from '../catalog/specs.ts';
import { compileOnce } from '../db/compile-once.ts';
import type { CartLine } from './checkout-lines.ts';
import type { Db } from '../db/connect.ts';
import type { AddressesTable, StoresTable } from '../db/schema.ts';

/** What pricing reads of the store: its shipping rule, and what an order's goods snapshot keeps of it. */
export type StoreFacts = Omit<Selectable<StoresTable>, 'merchant_id' | 'created_at'>;

/** Everything checkout reads before it prices and writes. */
export interface CheckoutFacts {
  /** the merchant's products among those asked for, and their specs */
  products: LineProduct[];
  specs: Map<number, ProductSpecs>;
  /** the merchant's stores, by id */
  stores: StoreFacts[];
  /** null when the member does not exist */
  member: { points: number; discountPercent: number | null } | null;
  pointsRule: { perYuanOff: number; maxPercent: number };
  /** the member's address the order ships to, when one was named */
  address: Selectable<AddressesTable> | null;
  /** the order an earlier request with the same idempotency key placed (committed) */
  earlier: { requestHash: string; orderId: number; orderNo: string } | null;
  /** the cart lines checked out, by id (none unless the checkout is from the cart) */
  cart: CartLine[];
}

export interface CheckoutFactsRequest {
  merchantId: number;
  memberId: number;
  /** the lines' products; a checkout from the cart names none and reads the cart's */
  productIds: readonly number[];
  /** a checkout from the member's cart: the lines named, or (none named) the lines selected */
  cart?: { itemIds?: readonly number[] };
  addressId?: number;
  idempotency?: { scope: string; key: string };
}

// One statement, built and compiled once: the cart lines checked out, the products with their specs, the stores, the
// member's points and grade, the merchant's points rule, the address and an earlier order under the same key. Read one
// by one they cost eight round trips per checkout (bench/README.md).
const checkoutFactsRow = compileOnce(
  (
    db: Db,
    merchantId: number,
    memberId: number,
    productIds: number[],
    fromCart: boolean,
    namedCartItems: number[] | null,
    addressId: number | null,
    keyScope: string | null,
    key: string | null,
  ) =>
    db
      .with('cart', (db) =>
        db
          .selectFrom('cart_items')
          .select(['id', 'product_id', 'option_ids', 'quantity'])
          .where('member_id', '=', memberId)
          .where(sql<boolean>`${fromCart}::boolean`)
          .where(
            sql<boolean>`case when ${namedCartItems}::bigint[] is null then selected else id = any(${namedCartItems}::bigint[]) end`,
          ),
      )
      .with('wanted', (db) =>
        db
          .selectFrom('cart')
          .select('product_id')
          .union(db.selectNoFrom(sql<number>`unnest(${productIds}::bigint[])`.as('product_id'))),
      )
      .selectFrom('merchants')
      .select((eb) => [
        jsonArrayFrom(eb.selectFrom('cart').selectAll().orderBy('id')).as('cart'),
        'merchants.points_per_yuan_off',
        'merchants.points_max_percent',
        jsonArrayFrom(
          eb
            .selectFrom('products')
            .select([
              'id',
              'store_id',
              'category_id',
              'title',
              'internal_title',
              'article_no',
              'cover_url',
              'list_price',
              'price',
              'stock',
              'on_sale',
            ])
            .whereRef('products.merchant_id', '=', 'merchants.id')
            .where('products.id', 'in', eb.selectFrom('wanted').select('product_id')),
        ).as('products'),
        jsonArrayFrom(
          eb
            .selectFrom('product_spec_groups')
            .select(['id', 'product_id', 'name'])
            .where('product_id', 'in', eb.selectFrom('wanted').select('product_id'))
            .orderBy('sort')
            .orderBy('id'),
        ).as('spec_groups'),
        jsonArrayFrom(
          eb
            .selectFrom('product_spec_values')
            .select(['id', 'group_id', 'title', 'price'])
            .where('product_id', 'in', eb.selectFrom('wanted').select('product_id'))
            .orderBy('sort')
            .orderBy('id'),
        ).as('spec_values'),
        jsonArrayFrom(
          eb
            .selectFrom('product_skus')
            .select(['id', 'product_id', 'value_ids', 'code', 'image_url', 'price', 'list_price', 'stock', 'sold'])
            .where('product_id', 'in', eb.selectFrom('wanted').select('product_id'))
            .orderBy('sort')
            .orderBy('id'),
        ).as('skus'),
        jsonArrayFrom(
          eb
            .selectFrom('stores')
            .select([
              'id',
              'name',
              'logo_url',
              'phone',
              'province',
              'city',
              'district',
              'address',
              'latitude',
              'longitude',
              'shipping_fee',
              'free_shipping_over',
            ])
            .whereRef('stores.merchant_id', '=', 'merchants.id')
            .orderBy('id'),
        ).as('stores'),
        eb.selectFrom('members').select('points').where('members.id', '=', memberId).as('member_points'),
        eb
          .selectFrom('members')
          .innerJoin('member_grades', 'member_grades.id', 'members.grade_id')
          .select('member_grades.discount_percent')
          .where('members.id', '=', memberId)
          .as('grade_discount_percent'),
        jsonObjectFrom(
          eb
            .selectFrom('addresses')
            .selectAll()
            .where('addresses.id', '=', addressId)
            .where('addresses.member_id', '=', memberId),
        ).as('address'),
        jsonObjectFrom(
          eb
            .selectFrom('idempotency_keys as k')
            .innerJoin('orders as o', 'o.id', 'k.order_id')
            .select(['k.request_hash as requestHash', 'o.id as orderId', 'o.order_no as orderNo'])
            .where('k.scope', '=', keyScope)
            .where('k.key', '=', key),
        ).as('earlier'),
      ])
      .where('merchants.id', '=', merchantId),
);

export async function readCheckoutFacts(db: Db, request: CheckoutFactsRequest): Promise<CheckoutFacts> {
  const [row] = await checkoutFactsRow(
    db,
    request.merchantId,
    request.memberId,
    [...request.productIds],
    request.cart !== undefined,
    request.cart?.itemIds ? [...request.cart.itemIds] : null,
    request.addressId ?? null,
    request.idempotency?.scope ?? null,
    request.idempotency?.key ?? null,
  );
  if (!row) throw new Error(`merchant ${request.merchantId} not found`);
  const productIds = [...new Set([...request.productIds, ...row.cart.map((c) => c.product_id)])];
  const specs = specsOfRows(productIds, { groups: row.spec_groups, values: row.spec_values, skus: row.skus });
  return {
    products: row.products,
    specs,
    stores: row.stores,
    member:
      row.member_points === null ? null : { points: row.member_points, discountPercent: row.grade_discount_percent },
    pointsRule: { perYuanOff: row.points_per_yuan_off, maxPercent: row.points_max_percent },
    // JSON carries the address's times as text; nothing here reads them
    address: row.address as Selectable<AddressesTable> | null,
    earlier: row.earlier,
    cart: row.cart,
  };
}
